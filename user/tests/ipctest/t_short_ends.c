/* Short messages that do not end well: a receiver killed while parked in
 * IPC_REPLY_RECEIVE_SHORT (a thread, a helper process), callers killed in IPC_CALL_SHORT
 * before and after the server took their message (the late reply dropped, the queue bound
 * intact after more than WG_IPC_QUEUE_MAX of them), a timeout that passes while the server
 * holds the call, and calls that only check (timeout 0), with and without a parked receiver. */
#include "ipct.h"

#define CYCLES (WG_IPC_QUEUE_MAX + 6)

/* Calls w0 = 1 .. count; true if every one was answered. */
static bool short_calls(wg_handle client, uint64_t count)
{
    for (uint64_t i = 1; i <= count; i++)
        if (!CHECK_CODE(WG_ERR_OK, short_call(client, i, 5 * SECOND_NS)))
            return false;
    return true;
}

static void test_parked_receiver_killed(void)
{
    struct pair pair;
    struct thread first, second;
    if (!pair_open(&pair))
        return;
    struct short_server s = {.server = pair.server};
    if (thread_start(&first, serve_short, (uint64_t)&s, 0)) {
        task_wait_blocked(first.task, 2 * SECOND_NS);
        CHECK_OK(wg_task_kill(WG_SELF, first.task));
        int64_t status = thread_join(&first, 5 * SECOND_NS);
        CHECK(status == WG_EXIT_KILLED, "the parked receiver ended with %lld", (long long)status);
    }
    if (thread_start(&second, serve_short, (uint64_t)&s, 0)) {
        short_calls(pair.client, 20);
        short_stop(pair.client);
        int64_t answered = thread_join(&second, 5 * SECOND_NS);
        CHECK(answered == 21, "the second receiver answered %lld", (long long)answered);
    }
    CHECK(s.received == 21, "%llu messages received", (unsigned long long)s.received);
    pair_close(&pair);
}

/* A "shortserve" helper holding the only server handle, its receiver parked, is destroyed:
 * the server goes with it. */
static void test_parked_helper_destroyed(void)
{
    struct helper helper;
    wg_handle client = short_helper_start(&helper, 0);
    if (!client)
        return;
    if (short_calls(client, 10) && task_wait_blocked(helper.task, 2 * SECOND_NS)) {
        helper_end(&helper);
        CHECK_CODE(WG_ERR_PEER_CLOSED, short_call(client, 11, SECOND_NS));
    }
    helper_end(&helper);
    CHECK_OK(wg_asset_release(WG_SELF, client));
}

/* One caller killed: after the server took its message (odd cycles: and answers it later,
 * the reply dropped), or while it is still queued (even: it must be gone). */
static bool killed_caller_cycle(struct pair *pair, uint64_t cycle)
{
    struct short_caller f = {pair->client, 1000 + cycle};
    struct thread caller;
    if (!thread_start(&caller, short_call_forever, (uint64_t)&f, 0))
        return false;
    bool blocked = task_wait_blocked(caller.task, 2 * SECOND_NS); /* its message is queued */
    uint64_t token = blocked && cycle % 2 ? short_take(pair->server, 0, f.w0, false) : 0;
    CHECK_OK(wg_task_kill(WG_SELF, caller.task));
    int64_t status = thread_join(&caller, 5 * SECOND_NS);
    CHECK(status == WG_EXIT_KILLED, "cycle %llu: the caller ended with %lld",
          (unsigned long long)cycle, (long long)status);
    short_send(pair->client, 5000 + cycle);
    short_take(pair->server, token, 5000 + cycle,
               true); /* the reply to the dead caller is dropped */
    return blocked && !test_failed();
}

static void test_killed_callers(void)
{
    struct pair pair;
    struct wg_message message = {0};
    if (!pair_open(&pair))
        return;
    for (uint64_t cycle = 0; cycle < CYCLES && killed_caller_cycle(&pair, cycle); cycle++)
        ;
    /* Nothing of theirs is counted against the queue any more. */
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        if (!CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0)))
            break;
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    pair_close(&pair);
}

/* The server sleeps 50 ms over each call: a 10 ms call times out, its late reply is dropped
 * and the next call gets its own answer. */
static void test_timeout_while_server_holds(void)
{
    struct pair pair;
    struct thread server;
    if (!pair_open(&pair))
        return;
    struct short_server s = {.server = pair.server, .delay = 50 * MS_NS};
    if (thread_start(&server, serve_short, (uint64_t)&s, 0)) {
        task_wait_blocked(server.task, 2 * SECOND_NS);
        CHECK_CODE(WG_ERR_TIMED_OUT, short_call(pair.client, 9, 10 * MS_NS));
        CHECK_CODE(WG_ERR_OK, short_call(pair.client, 20, 5 * SECOND_NS));
        short_stop(pair.client);
        int64_t answered = thread_join(&server, 5 * SECOND_NS);
        CHECK(answered == 3, "the server answered %lld calls (the timed-out one too)",
              (long long)answered);
    }
    pair_close(&pair);
}

/* Timeout 0 only checks: WOULD_BLOCK, and nothing stays behind, CYCLES times with nobody
 * receiving (the message is dropped unreceived) and with a parked receiver (it gets the
 * message, its reply is dropped). */
static void test_zero_timeout(void)
{
    struct pair pair;
    struct thread server;
    struct wg_message got;
    if (!pair_open(&pair))
        return;
    for (uint64_t i = 1; i <= CYCLES; i++)
        if (!CHECK_CODE(WG_ERR_WOULD_BLOCK, short_call(pair.client, i, 0)))
            break;
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &got, 0));
    struct short_server s = {.server = pair.server};
    if (thread_start(&server, serve_short, (uint64_t)&s, 0)) {
        for (uint64_t i = 1; i <= CYCLES && !test_failed(); i++)
            if (task_wait_blocked(server.task, 2 * SECOND_NS))
                CHECK_CODE(WG_ERR_WOULD_BLOCK, short_call(pair.client, i, 0));
        short_stop(pair.client);
        int64_t answered = thread_join(&server, 5 * SECOND_NS);
        CHECK(answered == CYCLES + 1, "the server answered %lld calls", (long long)answered);
    }
    struct wg_message empty = {0};
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++) /* the bound is whole again */
        if (!CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &empty, 0)))
            break;
    pair_close(&pair);
}

const struct test short_end_tests[] = {
    {"ipc_short_parked_receiver_killed", test_parked_receiver_killed, false},
    {"ipc_short_parked_helper_destroyed", test_parked_helper_destroyed, false},
    {"ipc_short_killed_callers", test_killed_callers, false},
    {"ipc_short_timeout_while_server_holds", test_timeout_while_server_holds, false},
    {"ipc_short_zero_timeout", test_zero_timeout, false},
    {NULL, NULL, false},
};
