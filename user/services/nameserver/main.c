/* nameserver: the root server (IPC address 0), started first by init. Servers register their
 * address under a name, clients look names up (protocol: user/lib/names.h). A name belongs
 * to the connection that registered it and is forgotten when that connection closes.
 *
 * One task does everything: it accepts every pending connection, then waits for a message
 * with a short timeout (a receive cannot also wait for connections), backing off while
 * idle, so a new connection waits at most IDLE_MAX_NS to be accepted. */
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

/* Answers one request: the reply's error, with the address in *address for a lookup. */
static enum wg_error serve(const struct wg_message *request, uint64_t *address)
{
    enum wg_name_op op;
    char text[WG_NAME_MAX + 1];
    enum wg_error err = wg_name_decode(request, &op, text, address);
    if (err != WG_ERR_OK)
        return err;
    if (op == WG_NAME_OP_REGISTER)
        return add(text, *address, request->connection);
    struct name *found = find(text);
    *address = found ? found->address : 0;
    return found ? WG_ERR_OK : WG_ERR_NOT_FOUND;
}

/* Handles one received message with reply token `token` (0: none expected). */
static void handle(wg_handle server, struct wg_message *message, uint64_t token)
{
    if (message->event == WG_IPC_EVENT_CLOSED) {
        forget(message->connection);
        return;
    }
    if (message->event != WG_IPC_EVENT_MESSAGE)
        return;                                       /* no other notice is ours to act on */
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) /* we keep no asset sent to us */
        if ((message->entries[i].flags & WG_ENTRY_ASSET) &&
            !(message->entries[i].flags & WG_ENTRY_DROPPED))
            wg_asset_release(WG_SELF, message->entries[i].value);
    if (token == 0)
        return;
    uint64_t address = 0;
    enum wg_error err = serve(message, &address);
    struct wg_message reply = {0};
    reply.entries[0].value = (uint64_t)err;
    reply.entries[1].value = err == WG_ERR_OK ? address : 0;
    wg_ipc_reply(WG_SELF, server, token, &reply);
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
