/* Root calls (rootcall.h): the requesting side and init's serving side. */
#include "test.h"

#include "rootcall.h"

#define POLL_NS (100 * MS_NS)

struct wg_result rootcall_request(wg_handle connection, enum rootcall_op op, uint64_t a, uint64_t b,
                                  uint64_t c)
{
    struct wg_message request = {0}, reply;
    request.entries[0].value = op;
    request.entries[1].value = a;
    request.entries[2].value = b;
    request.entries[3].value = c;
    struct wg_result sent = wg_ipc_call(WG_SELF, connection, &request, &reply, 5 * SECOND_NS);
    if (!wg_ok(sent))
        return sent;
    enum wg_error err = (enum wg_error)reply.entries[0].value;
    if (err != WG_ERR_OK)
        return (struct wg_result){err, 0};
    if (reply.entries[1].flags & WG_ENTRY_DROPPED)
        return (struct wg_result){WG_ERR_NO_MEMORY, 0};
    return (struct wg_result){WG_ERR_OK, reply.entries[1].value};
}

/* Does one request in our (the root) space; the reply carries the new asset, moved. */
static struct wg_message rootcall_answer(const struct wg_message *request)
{
    const struct wg_message_entry *args = request->entries;
    struct wg_result made = {WG_ERR_INVALID_ARGUMENT, 0};
    if (args[0].value == ROOTCALL_MMIO_CREATE)
        made = wg_mmio_create(WG_SELF, args[1].value, args[2].value);
    else if (args[0].value == ROOTCALL_IRQ_CREATE)
        made = wg_irq_create(WG_SELF, (uint32_t)args[1].value);
    else if (args[0].value == ROOTCALL_PMEM_CREATE)
        made = wg_pmem_create(WG_SELF, args[1].value, (uint32_t)args[2].value, args[3].value);
    else if (args[0].value == ROOTCALL_IOPORT_CREATE)
        made = wg_ioport_create(WG_SELF, (uint32_t)args[1].value, (uint32_t)args[2].value);
    else if (args[0].value == ROOTCALL_MSI_CREATE)
        made = wg_msi_create(WG_SELF);
    struct wg_message reply = {0};
    reply.entries[0].value = made.err;
    if (wg_ok(made))
        reply.entries[1] =
            (struct wg_message_entry){.value = made.value, .flags = WG_ENTRY_ASSET | WG_ENTRY_MOVE};
    return reply;
}

/* Accepts the program's connection and answers its requests until the program ends. */
static void rootcall_serve(wg_handle server, const struct wg_process *process)
{
    wg_handle connection = 0;
    while (wg_process_wait(process, 0).err != WG_ERR_OK) {
        if (connection == 0) {
            struct wg_result accepted = wg_ipc_accept(WG_SELF, server, POLL_NS);
            connection = wg_ok(accepted) ? accepted.value : 0;
            continue;
        }
        struct wg_message request;
        struct wg_result token = wg_ipc_receive(WG_SELF, server, &request, POLL_NS);
        if (!wg_ok(token) || request.event != WG_IPC_EVENT_MESSAGE)
            continue;
        struct wg_message reply = rootcall_answer(&request);
        if (!wg_ok(wg_ipc_reply(WG_SELF, server, token.value, &reply)) && reply.entries[1].flags)
            wg_asset_release(WG_SELF, reply.entries[1].value);
    }
    if (connection != 0)
        wg_asset_release(WG_SELF, connection);
}

int64_t rootcall_host(const char *program, int argc, char **argv)
{
    return rootcall_host_with(program, 0, argc, argv);
}

int64_t rootcall_host_with(const char *program, uint32_t space_flags, int argc, char **argv)
{
    uint64_t address;
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &address);
    if (!wg_ok(server))
        return -(int64_t)server.err;
    char hex[HELPER_HEX_SIZE];
    const char *args[WG_EXEC_MAX_ARGS] = {program, helper_hex(hex, address)};
    int count = 2;
    for (int i = 1; i < argc && count < WG_EXEC_MAX_ARGS; i++)
        args[count++] = argv[i];
    struct wg_process process;
    enum wg_error err = wg_spawn_with(program, count, args, space_flags, &process);
    int64_t status = -(int64_t)err;
    if (err == WG_ERR_OK) {
        rootcall_serve(server.value, &process);
        struct wg_result ended = wg_process_wait(&process, WG_WAIT_FOREVER);
        status = wg_ok(ended) ? (int64_t)ended.value : -(int64_t)ended.err;
        wg_process_destroy(&process);
    }
    wg_asset_release(WG_SELF, server.value);
    return status;
}
