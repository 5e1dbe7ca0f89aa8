/* echo_server: the seed's IPC server example. It creates a server, registers it with the
 * name server as "echo", and then forever accepts connections and answers each message with
 * data[0] + 1 and data[1..5] unchanged. Closed connections are released. */
#include <wingos.h>

#define MS_NS 1000000ull

/* Accepts every connection waiting. */
static void accept_pending(wg_handle server)
{
    struct wg_result accepted;
    while (wg_ok(accepted = wg_ipc_accept(WG_SELF, server, 0)))
        printf("echo_server: accepted connection %llx\n", (unsigned long long)accepted.value);
}

/* The answer to `request`: values only (an asset sent to us is released, not echoed). */
static void make_reply(const struct wg_message *request, struct wg_message *reply)
{
    *reply = (struct wg_message){0};
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
        const struct wg_message_entry *entry = &request->entries[i];
        if ((entry->flags & WG_ENTRY_ASSET) && !(entry->flags & WG_ENTRY_DROPPED))
            wg_asset_release(WG_SELF, entry->value);
        reply->entries[i].value = entry->value + (i == 0 ? 1 : 0);
    }
}

static void serve(wg_handle server, const struct wg_message *message, uint64_t token)
{
    if (message->event == WG_IPC_EVENT_CLOSED) {
        printf("echo_server: connection %llx closed\n", (unsigned long long)message->connection);
        wg_asset_release(WG_SELF, message->connection);
        return;
    }
    if (message->event != WG_IPC_EVENT_MESSAGE)
        return;
    struct wg_message reply;
    make_reply(message, &reply);
    if (token != 0)
        wg_check(wg_ipc_reply(WG_SELF, server, token, &reply).err, "echo_server: reply");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint64_t address;
    wg_handle server =
        wg_unwrap(wg_ipc_server_create(WG_SELF, 0, &address), "echo_server: creating the server");
    wg_handle registration;
    wg_check(wg_name_register("echo", address, &registration), "echo_server: registering");
    printf("echo_server: serving \"echo\" at address %llu\n", (unsigned long long)address);
    for (;;) {
        accept_pending(server);
        struct wg_message message;
        struct wg_result received = wg_ipc_receive(WG_SELF, server, &message, 10 * MS_NS);
        if (wg_ok(received))
            serve(server, &message, received.value);
        else if (received.err != WG_ERR_TIMED_OUT)
            wg_fail("echo_server: receive", received.err);
    }
}
