/* Ends of things: a server process destroyed while clients wait in calls, clients that exit
 * or are destroyed (the server hears of it, once per accepted connection, even when the
 * client leaves during the accept), queued assets released when a server closes, a server
 * end closed first, and a message that carries its own server and connection. */
#include "ipct.h"

#define CALLERS 4

/* Connects to the address `arg` and calls with no timeout; the call's error. */
static int64_t call_forever(uint64_t arg)
{
    struct wg_result connection = wg_ipc_connect(WG_SELF, arg);
    if (!wg_ok(connection))
        return connection.err;
    enum wg_error err = wg_ipc_wait_accept(WG_SELF, connection.value, 5 * SECOND_NS).err;
    struct wg_message message = message_of(3), reply;
    if (err == WG_ERR_OK)
        err = wg_ipc_call(WG_SELF, connection.value, &message, &reply, WG_WAIT_FOREVER).err;
    wg_asset_release(WG_SELF, connection.value);
    return err;
}

/* Waits up to 5 s for words[0] and words[1] to reach the given counts. */
static bool wait_counts(volatile uint64_t *words, uint64_t accepted, uint64_t received)
{
    uint64_t deadline = wg_clock().value + 5 * SECOND_NS;
    while ((words[0] != accepted || words[1] != received) && wg_clock().value < deadline)
        wg_sleep(MS_NS);
    return CHECK(words[0] == accepted && words[1] == received,
                 "the server accepted %llu and received %llu", (unsigned long long)words[0],
                 (unsigned long long)words[1]);
}

/* Starts CALLERS callers against a "hold" helper, which receives all calls but one. */
static void kill_server_under_callers(struct helper *helper, uint64_t address,
                                      volatile uint64_t *words)
{
    struct thread callers[CALLERS];
    int started = 0;
    while (started < CALLERS && thread_start(&callers[started], call_forever, address, 0))
        started++;
    if (started == CALLERS && wait_counts(words, CALLERS, CALLERS - 1))
        wg_sleep(20 * MS_NS); /* the last call sits in the queue */
    helper_end(helper);
    for (int i = 0; i < started; i++) {
        int64_t status = thread_join(&callers[i], 5 * SECOND_NS);
        CHECK(status == WG_ERR_PEER_CLOSED, "caller %d got %s", i, wg_error_name((int)status));
    }
}

static void test_server_killed_mid_call(void)
{
    uint64_t address;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle vmem = VALUE(wg_vmem_map(WG_SELF, page, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE));
    struct helper helper;
    if (server && vmem && helper_create(&helper)) {
        uint64_t args[] = {helper_give(&helper, server), helper_give(&helper, page), CALLERS,
                           CALLERS - 1};
        CHECK_OK(wg_asset_release(WG_SELF, server));
        server = 0;
        if (helper_role(&helper, "hold", args, 4, 0))
            kill_server_under_callers(&helper, address, (volatile uint64_t *)SCRATCH_ADDRESS);
        helper_end(&helper);
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_connect(WG_SELF, address));
    }
    wg_handle handles[] = {server, vmem, page};
    for (unsigned i = 0; i < 3; i++)
        if (handles[i])
            CHECK_OK(wg_asset_release(WG_SELF, handles[i]));
}

/* Receives from `server` and checks the event and connection; the reply token. */
static uint64_t expect_event(wg_handle server, uint32_t event, wg_handle connection)
{
    struct wg_message message;
    struct wg_result token = wg_ipc_receive(WG_SELF, server, &message, 5 * SECOND_NS);
    if (!CHECK_OK(token))
        return 0;
    CHECK(message.event == event && message.connection == connection,
          "event %u on %llx, expected %u on %llx", message.event,
          (unsigned long long)message.connection, event, (unsigned long long)connection);
    return token.value;
}

/* A client that sends and exits, then one destroyed in the middle of a call: the server
 * gets their messages, then a CLOSED notice for each (token 0). */
static void test_client_death_notifies_server(void)
{
    uint64_t address;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    for (int round = 0; round < 2 && server; round++) {
        struct helper helper;
        uint64_t args[] = {address, 2};
        if (!helper_create(&helper))
            break;
        if (helper_role(&helper, round == 0 ? "sender" : "caller", args, 2, 0)) {
            wg_handle connection = VALUE(wg_ipc_accept(WG_SELF, server, 5 * SECOND_NS));
            uint64_t token = expect_event(server, WG_IPC_EVENT_MESSAGE, connection);
            CHECK((token == 0) == (round == 0), "token %llu", (unsigned long long)token);
            if (round == 0)
                expect_event(server, WG_IPC_EVENT_MESSAGE, connection);
            if (round == 0)
                CHECK(helper_wait(&helper, 5 * SECOND_NS) == 0, "the sender failed");
            helper_end(&helper);
            CHECK(expect_event(server, WG_IPC_EVENT_CLOSED, connection) == 0, "a CLOSED token");
            struct wg_message reply = {0};
            enum wg_error err = wg_ipc_reply(WG_SELF, server, token, &reply).err;
            /* The dead caller's call is freed when its killed wait gives it up (NOT_FOUND),
             * or kept for the reply when its connection closed first (OK). */
            CHECK(round == 0 || err == WG_ERR_OK || err == WG_ERR_NOT_FOUND,
                  "replying to a dead caller gave %s", wg_error_name(err));
            if (connection)
                CHECK_OK(wg_asset_release(WG_SELF, connection));
        }
        helper_end(&helper);
    }
    if (server)
        CHECK_OK(wg_asset_release(WG_SELF, server));
}

/* A server closed with messages (and their assets) still queued releases them all. */
static void test_queued_assets_released_on_close(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 4, 0, WG_PMEM_ANY_NODE));
    struct wg_message message = {0}, reply;
    message.entries[1] = (struct wg_message_entry){.value = page, .flags = WG_ENTRY_ASSET};
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0));
    message.entries[1].flags |= WG_ENTRY_MOVE;
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    CHECK_OK(wg_asset_release(WG_SELF, pair.server));
    pair.server = 0;
    CHECK_ERR(WG_ERR_PEER_CLOSED, wg_ipc_receive_reply(WG_SELF, pair.client, id, &reply, 0));
    /* The moved handle is gone: a message naming it is refused before anything else. */
    CHECK_ERR(WG_ERR_STALE_HANDLE, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    message = (struct wg_message){0};
    CHECK_ERR(WG_ERR_PEER_CLOSED, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK_ERR(WG_ERR_PEER_CLOSED, wg_ipc_call(WG_SELF, pair.client, &message, &reply, 0));
    pair_close(&pair);
}

/* A message carrying its own server and its own client connection, the other handles then
 * released: nothing may stay alive (or the send is refused). */
static void test_message_holding_its_own_channel(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    struct wg_message message = {0};
    message.entries[0] = (struct wg_message_entry){.value = pair.server, .flags = WG_ENTRY_ASSET};
    message.entries[1] =
        (struct wg_message_entry){.value = pair.client, .flags = WG_ENTRY_ASSET | WG_ENTRY_MOVE};
    if (wg_ok(wg_ipc_send(WG_SELF, pair.client, &message, 0)))
        pair.client = 0; /* moved into the message */
    pair_close(&pair);
}

/* A server that closed its end of a connection hears nothing more of it: no CLOSED notice
 * naming the handle it released when the client goes too. */
static void test_closed_server_end_is_silent(void)
{
    struct pair pair;
    struct wg_message message = message_of(80), out;
    if (!pair_open(&pair))
        return;
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK_OK(wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    CHECK_OK(wg_asset_release(WG_SELF, pair.accepted));
    pair.accepted = 0;
    CHECK_ERR(WG_ERR_PEER_CLOSED, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK_OK(wg_asset_release(WG_SELF, pair.client));
    pair.client = 0;
    struct wg_result late = wg_ipc_receive(WG_SELF, pair.server, &out, 0);
    CHECK(late.err == WG_ERR_WOULD_BLOCK, "receive gave %s, event %u on %llx",
          wg_error_name(late.err), out.event, (unsigned long long)out.connection);
    pair_close(&pair);
}

#define RACE_ROUNDS 3000

struct race {
    wg_handle server;
    volatile uint64_t done;
    uint64_t accepted;
    wg_handle handles[RACE_ROUNDS]; /* accepted, not yet reported closed */
};

/* Forgets `connection` (reported closed); false if it was never accepted. */
static bool race_forget(struct race *race, wg_handle connection)
{
    for (uint64_t i = 0; i < race->accepted; i++)
        if (race->handles[i] == connection) {
            race->handles[i] = 0;
            return wg_ok(wg_asset_release(WG_SELF, connection));
        }
    return false;
}

/* Accepts until told to stop, then takes the CLOSED notices; 0 or the line of a failure. */
static int64_t race_acceptor(uint64_t arg)
{
    struct race *race = (struct race *)arg;
    while (!__atomic_load_n(&race->done, __ATOMIC_ACQUIRE) && race->accepted < RACE_ROUNDS) {
        struct wg_result accepted = wg_ipc_accept(WG_SELF, race->server, 20 * MS_NS);
        if (wg_ok(accepted))
            race->handles[race->accepted++] = accepted.value;
    }
    for (;;) {
        struct wg_message message;
        struct wg_result got = wg_ipc_receive(WG_SELF, race->server, &message, 200 * MS_NS);
        if (got.err == WG_ERR_TIMED_OUT)
            return 0;
        if (!wg_ok(got) || message.event != WG_IPC_EVENT_CLOSED ||
            !race_forget(race, message.connection))
            return __LINE__;
    }
}

/* Clients that connect and leave at once, racing the accept: every connection the server
 * was handed must also be reported closed, or its handle is stranded in the server. */
static void test_accept_racing_client_close(void)
{
    static struct race race;
    uint64_t address;
    race = (struct race){0};
    race.server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    struct thread acceptor;
    if (!race.server ||
        !thread_start(&acceptor, race_acceptor, (uint64_t)&race, cpu_bit(1 % cpu_count())))
        return;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        struct wg_result connection = wg_ipc_connect(WG_SELF, address);
        for (int spin = 0; spin < (i * 37) % 300; spin++)
            __asm__ volatile("pause");
        if (wg_ok(connection))
            wg_asset_release(WG_SELF, connection.value);
    }
    __atomic_store_n(&race.done, 1, __ATOMIC_RELEASE);
    int64_t status = thread_join(&acceptor, 10 * SECOND_NS);
    CHECK(status == 0, "the acceptor failed at line %lld", (long long)status);
    uint64_t stranded = 0;
    for (uint64_t i = 0; i < race.accepted; i++)
        if (race.handles[i] != 0 && wg_ok(wg_asset_release(WG_SELF, race.handles[i])))
            stranded++;
    CHECK(stranded == 0, "%llu of %llu accepted connections were never reported closed",
          (unsigned long long)stranded, (unsigned long long)race.accepted);
    CHECK_OK(wg_asset_release(WG_SELF, race.server));
}

/* Sends, on `pair`'s client end, a message carrying a copy of `other`'s server and client
 * end; false if it is refused. */
static bool send_other_channel(struct pair *pair, struct pair *other)
{
    struct wg_message message = {0};
    message.entries[0] = (struct wg_message_entry){other->server, WG_ENTRY_ASSET, 0};
    message.entries[1] = (struct wg_message_entry){other->client, WG_ENTRY_ASSET, 0};
    return wg_ok(wg_ipc_send(WG_SELF, pair->client, &message, 0));
}

/* Two channels whose queued messages carry each other's server and client end, all other
 * handles then released: nothing may stay alive (or the sends are refused). */
static void test_messages_holding_each_others_channels(void)
{
    struct pair one, two;
    if (!pair_open(&one))
        return;
    if (pair_open(&two)) {
        if (send_other_channel(&one, &two))
            send_other_channel(&two, &one);
        pair_close(&two);
    }
    pair_close(&one);
}

/* A reply carrying the client end of its own channel, never collected, the other handles
 * then released: nothing may stay alive (or the reply is refused). */
static void test_reply_holding_its_own_channel(void)
{
    struct pair pair;
    struct wg_message message = message_of(90), got;
    if (!pair_open(&pair))
        return;
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &got, 0));
    struct wg_message reply = {0};
    reply.entries[0] = (struct wg_message_entry){pair.client, WG_ENTRY_ASSET, 0};
    wg_ipc_reply(WG_SELF, pair.server, token, &reply);
    pair_close(&pair);
}

const struct test lifetime_tests[] = {
    {"ipc_server_killed_mid_call", test_server_killed_mid_call, false},
    {"ipc_client_death_notifies_server", test_client_death_notifies_server, false},
    {"ipc_queued_assets_released_on_close", test_queued_assets_released_on_close, false},
    {"ipc_closed_server_end_is_silent", test_closed_server_end_is_silent, false},
    {"ipc_accept_racing_client_close", test_accept_racing_client_close, false},
    {"ipc_message_holding_its_own_channel", test_message_holding_its_own_channel, false},
    {"ipc_messages_holding_each_others_channels", test_messages_holding_each_others_channels,
     false},
    {"ipc_reply_holding_its_own_channel", test_reply_holding_its_own_channel, false},
    {NULL, NULL, false},
};
