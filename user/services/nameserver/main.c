/* nameserver: the root server (IPC address 0), started first by init. Servers register their
 * address under a name, clients look names up (protocol: idl/names.idl, decoded and checked
 * by its generated dispatcher). A name belongs to the connection that registered it and is
 * forgotten when that connection closes.
 *
 * One task does everything: it accepts every pending connection, then waits for a message
 * with a short timeout (a receive cannot also wait for connections), backing off while
 * idle, so a new connection waits at most IDLE_MAX_NS to be accepted. */
#include <names_idl.h>
#include <wingos.h>

#define MS_NS       1000000ull
#define IDLE_MIN_NS (1 * MS_NS)
#define IDLE_MAX_NS (16 * MS_NS)
#define NAMES_MAX   256

struct name {
    char text[WG_NAME_MAX + 1];
    uint64_t address;
    wg_handle owner; /* our handle of the connection it was registered on; 0: a free slot */
};

static struct name names[NAMES_MAX];

static struct name *find(const char *text)
{
    for (unsigned i = 0; i < NAMES_MAX; i++)
        if (names[i].owner != 0 && strcmp(names[i].text, text) == 0)
            return &names[i];
    return NULL;
}

static enum wg_error add(const char *text, uint64_t address, wg_handle owner)
{
    if (find(text))
        return WG_ERR_ALREADY_EXISTS;
    for (unsigned i = 0; i < NAMES_MAX; i++)
        if (names[i].owner == 0) {
            strlcpy(names[i].text, text, sizeof names[i].text);
            names[i].address = address;
            names[i].owner = owner;
            printf("nameserver: \"%s\" is address %llu\n", text, (unsigned long long)address);
            return WG_ERR_OK;
        }
    return WG_ERR_NO_MEMORY;
}

/* The connection `owner` closed: its names go, and so does our handle of it. */
static void forget(wg_handle owner)
{
    for (unsigned i = 0; i < NAMES_MAX; i++)
        if (names[i].owner == owner) {
            printf("nameserver: \"%s\" is gone\n", names[i].text);
            names[i].owner = 0;
        }
    wg_asset_release(WG_SELF, owner);
}

static enum wg_error on_register(void *context, struct idl_call *call,
                                 const struct name_service_register_name_request *request,
                                 struct name_service_register_name_response *response)
{
    (void)context;
    (void)response;
    if (request->name[0] == '\0')
        return WG_ERR_INVALID_ARGUMENT;
    return add(request->name, request->address, call->connection);
}

static enum wg_error on_lookup(void *context, struct idl_call *call,
                               const struct name_service_lookup_request *request,
                               struct name_service_lookup_response *response)
{
    (void)context;
    (void)call;
    if (request->name[0] == '\0')
        return WG_ERR_INVALID_ARGUMENT;
    struct name *found = find(request->name);
    if (!found)
        return WG_ERR_NOT_FOUND;
    response->address = found->address;
    return WG_ERR_OK;
}

static const struct name_service_handlers handlers = {
    .register_name = on_register,
    .lookup = on_lookup,
};

/* Handles one received message with reply token `token` (0: none expected). Only calls
 * are served: a request sent without waiting for the answer is dropped, with its assets. */
static void handle(wg_handle server, struct wg_message *message, uint64_t token)
{
    if (message->event == WG_IPC_EVENT_CLOSED) {
        forget(message->connection);
        return;
    }
    if (message->event != WG_IPC_EVENT_MESSAGE)
        return; /* no other notice is ours to act on */
    if (token == 0)
        idl_release_assets(message);
    else
        name_service_dispatch(&handlers, NULL, server, message, token);
}

/* Accepts every connection waiting; true if there was one. */
static bool accept_pending(wg_handle server)
{
    bool any = false;
    while (wg_ok(wg_ipc_accept(WG_SELF, server, 0)))
        any = true;
    return any;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint64_t address;
    struct wg_result server = wg_ipc_server_create(WG_SELF, WG_IPC_SERVER_ROOT, &address);
    if (!wg_ok(server)) {
        printf("nameserver: cannot take address 0: %s\n", wg_error_name(server.err));
        return -(int)server.err;
    }
    idl_rt_warm_up(); /* the page tables for long names' bodies, made once, now */
    printf("nameserver: serving at address %llu\n", (unsigned long long)address);
    uint64_t idle = IDLE_MIN_NS;
    for (;;) {
        bool busy = accept_pending(server.value);
        struct wg_message message;
        struct wg_result received = wg_ipc_receive(WG_SELF, server.value, &message, idle);
        if (wg_ok(received))
            handle(server.value, &message, received.value);
        busy |= wg_ok(received);
        idle = busy ? IDLE_MIN_NS : (idle * 2 > IDLE_MAX_NS ? IDLE_MAX_NS : idle * 2);
    }
}
