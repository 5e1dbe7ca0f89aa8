/* The parts tests run in helper processes: ipctest started as "ipctest helper ROLE ARGS...".
 * Handles arrive as hex arguments (copied into the helper's space before it started). A
 * role's exit status is 0, or the line of roles.c where it went wrong (logged too). */
#include "ipct.h"

#define ROLE_TIMEOUT (5 * SECOND_NS)

static int role_failed(int line, const char *what, enum wg_error err)
{
    printf("ipctest helper: line %d: %s: %s\n", line, what, wg_error_name(err));
    return line;
}

#define TRY(call)                                      \
    do {                                               \
        enum wg_error err_ = (call).err;               \
        if (err_ != WG_ERR_OK)                         \
            return role_failed(__LINE__, #call, err_); \
    } while (0)
#define ENSURE(cond)                                        \
    do {                                                    \
        if (!(cond))                                        \
            return role_failed(__LINE__, #cond, WG_ERR_OK); \
    } while (0)

static uint64_t arg(int argc, char **argv, int index)
{
    return index < argc ? helper_parse_hex(argv[index]) : 0;
}

/* echo SERVER CALLS: accepts one connection, answers CALLS calls with data[0] + 1 and the
 * rest echoed, then waits for the connection to close. */
static int role_echo(int argc, char **argv)
{
    wg_handle server = arg(argc, argv, 3);
    uint64_t calls = arg(argc, argv, 4);
    struct wg_result connection = wg_ipc_accept(WG_SELF, server, ROLE_TIMEOUT);
    TRY(connection);
    struct wg_message message;
    for (uint64_t i = 0; i < calls; i++) {
        struct wg_result token = wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT);
        TRY(token);
        ENSURE(message.event == WG_IPC_EVENT_MESSAGE && token.value != 0);
        ENSURE(message.connection == connection.value);
        message.entries[0].value++;
        TRY(wg_ipc_reply(WG_SELF, server, token.value, &message));
    }
    TRY(wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT));
    ENSURE(message.event == WG_IPC_EVENT_CLOSED && message.connection == connection.value);
    TRY(wg_asset_release(WG_SELF, connection.value));
    return 0;
}

/* hold SERVER PAGE CONNECTIONS RECEIVES: counts accepted connections in word 0 of PAGE and
 * received messages in word 1, never replies, and waits to be destroyed inside an accept
 * that nothing will satisfy. */
static int role_hold(int argc, char **argv)
{
    wg_handle server = arg(argc, argv, 3);
    TRY(wg_vmem_map(WG_SELF, arg(argc, argv, 4), SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE));
    volatile uint64_t *words = (volatile uint64_t *)SCRATCH_ADDRESS;
    for (uint64_t i = 0; i < arg(argc, argv, 5); i++) {
        TRY(wg_ipc_accept(WG_SELF, server, ROLE_TIMEOUT));
        __atomic_fetch_add(&words[0], 1, __ATOMIC_RELEASE);
    }
    for (uint64_t i = 0; i < arg(argc, argv, 6); i++) {
        struct wg_message message;
        TRY(wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT));
        __atomic_fetch_add(&words[1], 1, __ATOMIC_RELEASE);
    }
    struct wg_result more = wg_ipc_accept(WG_SELF, server, WG_WAIT_FOREVER);
    return role_failed(__LINE__, "an accept without a client ended", more.err);
}

/* shm SERVER: receives a page (entry 0) and a value A (entry 1), checks word 0 == A there,
 * writes A + 1 to word 1 and replies; then receives C, checks word 2 == C, writes C + 1 to
 * word 3, replies, and waits for the close. */
static int role_shm(int argc, char **argv)
{
    wg_handle server = arg(argc, argv, 3);
    struct wg_result connection = wg_ipc_accept(WG_SELF, server, ROLE_TIMEOUT);
    TRY(connection);
    struct wg_message message, reply = {0};
    struct wg_result token = wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT);
    TRY(token);
    ENSURE(message.entries[0].flags == WG_ENTRY_ASSET);
    struct wg_result vmem =
        wg_vmem_map(WG_SELF, message.entries[0].value, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
    TRY(vmem);
    volatile uint64_t *words = (volatile uint64_t *)SCRATCH_ADDRESS;
    ENSURE(words[0] == message.entries[1].value);
    words[1] = message.entries[1].value + 1;
    TRY(wg_ipc_reply(WG_SELF, server, token.value, &reply));
    token = wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT);
    TRY(token);
    ENSURE(words[2] == message.entries[0].value);
    words[3] = message.entries[0].value + 1;
    TRY(wg_ipc_reply(WG_SELF, server, token.value, &reply));
    TRY(wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT));
    ENSURE(message.event == WG_IPC_EVENT_CLOSED);
    return 0;
}

/* caller ADDRESS: connects and makes a call that is never answered (to be destroyed). */
static int role_caller(int argc, char **argv)
{
    struct wg_result connection = wg_ipc_connect(WG_SELF, arg(argc, argv, 3));
    TRY(connection);
    TRY(wg_ipc_wait_accept(WG_SELF, connection.value, ROLE_TIMEOUT));
    struct wg_message message = message_of(7), reply;
    TRY(wg_ipc_call(WG_SELF, connection.value, &message, &reply, WG_WAIT_FOREVER));
    return role_failed(__LINE__, "the call was answered", WG_ERR_OK);
}

/* sender ADDRESS COUNT: connects, sends COUNT messages expecting no reply, and exits. */
static int role_sender(int argc, char **argv)
{
    struct wg_result connection = wg_ipc_connect(WG_SELF, arg(argc, argv, 3));
    TRY(connection);
    TRY(wg_ipc_wait_accept(WG_SELF, connection.value, ROLE_TIMEOUT));
    for (uint64_t i = 0; i < arg(argc, argv, 4); i++) {
        struct wg_message message = message_of(100 * i);
        TRY(wg_ipc_send(WG_SELF, connection.value, &message, 0));
    }
    return 0;
}

/* register NAME ADDRESS: registers NAME (a plain string) and stays until destroyed. */
static int role_register(int argc, char **argv)
{
    wg_handle registration;
    ENSURE(argc > 4);
    enum wg_error err = wg_name_register(argv[3], helper_parse_hex(argv[4]), &registration);
    if (err != WG_ERR_OK)
        return role_failed(__LINE__, "wg_name_register", err);
    for (;;)
        wg_sleep(SECOND_NS);
}

/* dropped SERVER: accepts, fills its handle table, then receives a message carrying an
 * asset (entry 0) that can no longer get a handle: it must arrive DROPPED with value 0.
 * Replies with entry 0 = the flags seen, and exits. */
static int role_dropped(int argc, char **argv)
{
    wg_handle server = arg(argc, argv, 3);
    TRY(wg_ipc_accept(WG_SELF, server, ROLE_TIMEOUT));
    uint64_t filled = 0;
    while (wg_ok(wg_asset_copy(WG_SELF, server, WG_SELF)))
        filled++;
    ENSURE(filled > 0);
    struct wg_message message, reply = {0};
    struct wg_result token = wg_ipc_receive(WG_SELF, server, &message, ROLE_TIMEOUT);
    TRY(token);
    reply.entries[0].value = message.entries[0].flags;
    reply.entries[1].value = message.entries[0].value;
    TRY(wg_ipc_reply(WG_SELF, server, token.value, &reply));
    return 0;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} roles[] = {
    {"echo", role_echo},        {"hold", role_hold},       {"shm", role_shm},
    {"caller", role_caller},    {"sender", role_sender},   {"register", role_register},
    {"flood", flood_role},      {"dropped", role_dropped}, {"selfspin", self_role},
    {"shortserve", short_role},
};

int role_main(int argc, char **argv)
{
    for (unsigned i = 0; argc > 2 && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(argv[2], roles[i].name) == 0)
            return roles[i].run(argc, argv);
    printf("ipctest helper: unknown role %s\n", argc > 2 ? argv[2] : "(none)");
    return 1;
}
