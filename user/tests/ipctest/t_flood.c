/* Many clients through one server: FLOOD_CLIENTS threads of a helper process each send
 * FLOOD_MESSAGES numbered messages over their own connection (every FLOOD_BATCH-th one a
 * call, the others plain sends, so up to FLOOD_BATCH are queued at once); the server (our
 * task) checks that each connection's messages arrive all, once each, and in order. */
#include "ipct.h"

#define FLOOD_CLIENTS  64
#define FLOOD_MESSAGES 1000
#define FLOOD_BATCH    10

_Static_assert(FLOOD_CLIENTS <= THREADS_MAX, "one thread per client");
_Static_assert(FLOOD_BATCH <= WG_IPC_QUEUE_MAX, "a batch fits the queue");

static uint64_t flood_address;

static struct wg_message flood_message(uint64_t client, uint64_t seq)
{
    struct wg_message message = {0};
    message.entries[0].value = client;
    message.entries[1].value = seq;
    message.entries[2].value = seq * 0x9e3779b97f4a7c15ull ^ client;
    return message;
}

/* One client: connects and sends its messages; 0 or the line where it failed. */
static int64_t flood_client(uint64_t client)
{
    struct wg_result connection = wg_ipc_connect(WG_SELF, flood_address);
    if (!wg_ok(connection))
        return __LINE__;
    int64_t status = 0;
    if (!wg_ok(wg_ipc_wait_accept(WG_SELF, connection.value, 30 * SECOND_NS)))
        status = __LINE__;
    for (uint64_t seq = 0; seq < FLOOD_MESSAGES && status == 0; seq++) {
        struct wg_message message = flood_message(client, seq), reply;
        if (seq % FLOOD_BATCH != FLOOD_BATCH - 1 && seq != FLOOD_MESSAGES - 1) {
            if (!wg_ok(wg_ipc_send(WG_SELF, connection.value, &message, 0)))
                status = __LINE__;
        } else if (!wg_ok(
                       wg_ipc_call(WG_SELF, connection.value, &message, &reply, 30 * SECOND_NS))) {
            status = __LINE__;
        } else if (reply.entries[0].value != seq + 1 || reply.entries[1].value != client) {
            status = __LINE__;
        }
    }
    wg_asset_release(WG_SELF, connection.value);
    return status;
}

/* flood ADDRESS: runs the clients as threads; the exit status is how many failed. */
int flood_role(int argc, char **argv)
{
    static struct thread threads[FLOOD_CLIENTS];
    flood_address = argc > 3 ? helper_parse_hex(argv[3]) : 0;
    int started = 0, failed = 0;
    while (started < FLOOD_CLIENTS &&
           thread_start(&threads[started], flood_client, (uint64_t)started, 0))
        started++;
    for (int i = 0; i < started; i++) {
        int64_t status = thread_join(&threads[i], 120 * SECOND_NS);
        if (status != 0 && failed++ == 0)
            printf("ipctest helper: flood client %d failed at line %lld\n", i, (long long)status);
    }
    return failed + (FLOOD_CLIENTS - started);
}

struct flood_client_state {
    wg_handle connection; /* ours, learnt from its first message */
    uint64_t next;        /* the sequence number expected next */
    bool closed;
};

struct flood_server {
    wg_handle server;
    wg_handle accepted[FLOOD_CLIENTS]; /* 0 once released */
    struct flood_client_state clients[FLOOD_CLIENTS];
    unsigned closed;
    uint64_t received;
};

/* The client whose connection is `connection`, or NULL. */
static struct flood_client_state *by_connection(struct flood_server *flood, wg_handle connection)
{
    for (unsigned i = 0; i < FLOOD_CLIENTS; i++)
        if (flood->clients[i].connection == connection)
            return &flood->clients[i];
    return NULL;
}

/* Checks and answers one message; false (and a failure) when it is not the expected one. */
static bool flood_take(struct flood_server *flood, const struct wg_message *message, uint64_t token)
{
    uint64_t client = message->entries[0].value, seq = message->entries[1].value;
    if (message->event == WG_IPC_EVENT_CLOSED) {
        struct flood_client_state *state = by_connection(flood, message->connection);
        if (!CHECK(state && !state->closed, "a close notice for an unknown connection"))
            return false;
        state->closed = true;
        flood->closed++;
        for (unsigned i = 0; i < FLOOD_CLIENTS; i++)
            if (flood->accepted[i] == message->connection)
                flood->accepted[i] = 0;
        CHECK_OK(wg_asset_release(WG_SELF, message->connection));
        return CHECK(state->next == FLOOD_MESSAGES, "client %u closed after %llu messages",
                     (unsigned)(state - flood->clients), (unsigned long long)state->next);
    }
    struct wg_message want = flood_message(client, seq);
    if (!CHECK(client < FLOOD_CLIENTS && message->entries[2].value == want.entries[2].value,
               "a garbled message (client %llu)", (unsigned long long)client))
        return false;
    struct flood_client_state *state = &flood->clients[client];
    if (state->connection == 0 && !by_connection(flood, message->connection))
        state->connection = message->connection;
    if (!CHECK(state->connection == message->connection, "client %llu on two connections",
               (unsigned long long)client) ||
        !CHECK(seq == state->next, "client %llu: message %llu arrived when %llu was due",
               (unsigned long long)client, (unsigned long long)seq,
               (unsigned long long)state->next))
        return false;
    state->next++;
    flood->received++;
    struct wg_message reply = {0};
    reply.entries[0].value = seq + 1;
    reply.entries[1].value = client;
    return token == 0 || CHECK_OK(wg_ipc_reply(WG_SELF, flood->server, token, &reply));
}

/* Accepts every client, then serves until all have closed. */
static void flood_serve(struct flood_server *flood)
{
    for (int i = 0; i < FLOOD_CLIENTS; i++)
        if (!(flood->accepted[i] = VALUE(wg_ipc_accept(WG_SELF, flood->server, 10 * SECOND_NS))))
            return;
    while (flood->closed < FLOOD_CLIENTS) {
        struct wg_message message;
        struct wg_result token = wg_ipc_receive(WG_SELF, flood->server, &message, 10 * SECOND_NS);
        if (!CHECK_OK(token) || !flood_take(flood, &message, token.value))
            return;
    }
}

static void test_many_clients_one_server(void)
{
    static struct flood_server flood;
    flood = (struct flood_server){0};
    uint64_t address, start = wg_clock().value;
    flood.server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    struct helper helper;
    if (flood.server && helper_create(&helper)) {
        if (helper_role(&helper, "flood", &address, 1, 0)) {
            flood_serve(&flood);
            int64_t status = helper_wait(&helper, 30 * SECOND_NS);
            CHECK(status == 0, "%lld clients failed", (long long)status);
        }
        helper_end(&helper);
    }
    CHECK(flood.received == FLOOD_CLIENTS * FLOOD_MESSAGES, "%llu messages received",
          (unsigned long long)flood.received);
    for (unsigned i = 0; i < FLOOD_CLIENTS; i++) /* after a failure: what is left */
        if (flood.accepted[i])
            wg_asset_release(WG_SELF, flood.accepted[i]);
    if (flood.server)
        CHECK_OK(wg_asset_release(WG_SELF, flood.server));
    printf("ipctest: %d clients x %d messages in %llu ms\n", FLOOD_CLIENTS, FLOOD_MESSAGES,
           (unsigned long long)((wg_clock().value - start) / MS_NS));
}

/* ---- WG_SELF names the caller's space while tasks migrate ----
 * Threads of ours and of a helper process each own a memory asset of a different size under
 * a handle of their space, and ask about it in bursts with short sleeps between, so CPUs go
 * idle and steal preempted tasks. An answer for another space (the kernel once read the
 * current task in two steps, racing with migration) is counted as wrong. */

#define SELF_THREADS    8
#define SELF_RUN_NS     (400 * MS_NS)
#define SELF_BURST      32
#define SELF_PAGE_BYTES 4096ull
#define SELF_OUR_PAGES  3

static wg_handle self_probe; /* a physical memory asset of self_pages pages, in this space */
static uint64_t self_pages, self_end_ns;

/* Asks about self_probe until self_end_ns; the exit status is how many answers were wrong. */
static int64_t self_spin(uint64_t arg)
{
    int64_t wrong = 0;
    while (wg_clock().value < self_end_ns) {
        for (unsigned i = 0; i < SELF_BURST; i++) {
            struct wg_asset_info info = {0};
            wrong += !wg_ok(wg_asset_info(WG_SELF, self_probe, &info)) ||
                     info.kind != WG_ASSET_PHYS_MEMORY || info.size != self_pages * SELF_PAGE_BYTES;
        }
        wg_sleep((arg % 3 + 1) * 100 * 1000); /* 0.1 to 0.3 ms */
    }
    return wrong;
}

/* Runs SELF_THREADS spinners; the wrong answers they saw, or -1 if one could not run. */
static int64_t self_run(void)
{
    static struct thread threads[SELF_THREADS];
    int64_t wrong = 0;
    int started = 0;
    self_end_ns = wg_clock().value + SELF_RUN_NS;
    while (started < SELF_THREADS && thread_start(&threads[started], self_spin, started, 0))
        started++;
    for (int i = 0; i < started; i++) {
        int64_t status = thread_join(&threads[i], 10 * SECOND_NS);
        wrong = status < 0 || wrong < 0 ? -1 : wrong + status;
    }
    return started == SELF_THREADS ? wrong : -1;
}

/* selfspin PAGES: the helper's side; the exit status is its wrong answers (-1: broken). */
int self_role(int argc, char **argv)
{
    self_pages = argc > 3 ? helper_parse_hex(argv[3]) : 1;
    struct wg_result probe = wg_pmem_create(WG_SELF, self_pages, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(probe))
        return -1;
    self_probe = probe.value;
    int64_t wrong = self_run();
    wg_asset_release(WG_SELF, self_probe);
    return (int)wrong;
}

static void test_self_is_own_space(void)
{
    uint64_t helper_pages = SELF_OUR_PAGES + 2;
    self_pages = SELF_OUR_PAGES;
    self_probe = VALUE(wg_pmem_create(WG_SELF, self_pages, 0, WG_PMEM_ANY_NODE));
    struct helper helper;
    if (self_probe && helper_create(&helper)) {
        if (helper_role(&helper, "selfspin", &helper_pages, 1, 0)) {
            int64_t wrong = self_run();
            CHECK(wrong == 0, "%lld answers about WG_SELF were for another space",
                  (long long)wrong);
            int64_t status = helper_wait(&helper, 30 * SECOND_NS);
            CHECK(status == 0, "the helper saw %lld wrong answers", (long long)status);
        }
        helper_end(&helper);
    }
    if (self_probe)
        CHECK_OK(wg_asset_release(WG_SELF, self_probe));
}

const struct test flood_tests[] = {
    {"ipc_many_clients_one_server", test_many_clients_one_server, false},
    {"ipc_self_is_own_space", test_self_is_own_space, false},
    {NULL, NULL, false},
};
