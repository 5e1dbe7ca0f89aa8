/* echo_client: the seed's IPC client example. It connects to "echo" by name (retrying for a
 * while, as the server may still be starting), sends one message expecting a reply, collects
 * the reply by the message's id and checks it: data[0] + 1 and data[1..5] echoed. Exit
 * status 0 on success, 1 on a wrong reply, -error when a step fails. */
#include <wingos.h>

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull
#define REQUEST   69420

/* Connects to "echo", retrying for up to 5 s while the name is not registered yet. */
static wg_handle connect_echo(void)
{
    uint64_t deadline = wg_clock().value + 5 * SECOND_NS;
    wg_handle connection = 0;
    enum wg_error err = wg_connect_by_name("echo", &connection);
    while (err == WG_ERR_NOT_FOUND && wg_clock().value < deadline) {
        wg_sleep(10 * MS_NS);
        err = wg_connect_by_name("echo", &connection);
    }
    wg_check(err, "echo_client: connecting to \"echo\"");
    return connection;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    wg_handle connection = connect_echo();
    printf("echo_client: connected with handle %llx\n", (unsigned long long)connection);
    struct wg_message message = {0};
    message.entries[0].value = REQUEST;
    for (unsigned i = 1; i < WG_MESSAGE_ENTRIES; i++)
        message.entries[i].value = 1000 + i;
    uint64_t id = wg_unwrap(wg_ipc_send(WG_SELF, connection, &message, WG_IPC_EXPECT_REPLY),
                            "echo_client: send");
    struct wg_message reply;
    wg_check(wg_ipc_receive_reply(WG_SELF, connection, id, &reply, 5 * SECOND_NS).err,
             "echo_client: receive reply");
    bool good = reply.entries[0].value == REQUEST + 1;
    for (unsigned i = 1; i < WG_MESSAGE_ENTRIES; i++)
        good &= reply.entries[i].value == 1000 + i;
    printf("echo_client: got %llu%s\n", (unsigned long long)reply.entries[0].value,
           good ? "" : " (wrong reply)");
    wg_asset_release(WG_SELF, connection);
    return good ? 0 : 1;
}
