/* The server side going away under short calls: the server's last handle released while
 * a call is queued or held, the server's end of the connection released, the server process
 * destroyed with calls queued and held, and a receiver parked in IPC_REPLY_RECEIVE_SHORT
 * when the handle it named is released (its wait keeps the server alive until it ends). */
#include "ipct.h"

/* Starts a caller of w0 = 5 with no timeout on `client` and waits until it is blocked;
 * false (and a failure) if it does not get there. */
static bool start_caller(struct thread *caller, struct short_caller *args, wg_handle client)
{
    *args = (struct short_caller){client, 5};
    if (!thread_start(caller, short_call_forever, (uint64_t)args, 0))
        return false;
    if (task_wait_blocked(caller->task, 2 * SECOND_NS))
        return true;
    wg_task_kill(WG_SELF, caller->task);
    thread_join(caller, 5 * SECOND_NS);
    return false;
}

static void expect_end(struct thread *caller, enum wg_error want)
{
    int64_t status = thread_join(caller, 5 * SECOND_NS);
    CHECK(status == want, "the caller ended with %lld (%s), not %s", (long long)status,
          wg_error_name((int)status), wg_error_name(want));
}

/* What goes under a waiting caller, round by round: the server's last handle while its
 * call is queued (0) or held (1), the server's end of the connection while it holds the call
 * (2: its token is spent then). The caller hears PEER_CLOSED, and so does the next call. */
static void test_server_gone_under_call(void)
{
    for (int round = 0; round < 3; round++) {
        struct pair pair;
        struct short_caller args;
        struct thread caller;
        if (!pair_open(&pair))
            return;
        if (start_caller(&caller, &args, pair.client)) {
            uint64_t token = round > 0 ? short_take(pair.server, 0, 5, false) : 0;
            wg_handle *gone = round < 2 ? &pair.server : &pair.accepted;
            CHECK_OK(wg_asset_release(WG_SELF, *gone));
            *gone = 0;
            expect_end(&caller, WG_ERR_PEER_CLOSED);
            CHECK_CODE(WG_ERR_PEER_CLOSED, short_call(pair.client, 6, SECOND_NS));
            struct wg_message reply = {0};
            if (round == 2)
                CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, pair.server, token, &reply));
        }
        pair_close(&pair);
    }
}

/* A "shortserve" helper sleeping 10 s over each call is destroyed with one call in its
 * hands and one queued: both end with PEER_CLOSED. */
static void test_server_process_destroyed(void)
{
    struct helper helper;
    struct thread callers[2];
    struct short_caller args[2];
    wg_handle client = short_helper_start(&helper, 10 * SECOND_NS);
    if (!client)
        return;
    if (start_caller(&callers[0], &args[0], client)) {
        if (start_caller(&callers[1], &args[1], client)) {
            helper_end(&helper);
            expect_end(&callers[1], WG_ERR_PEER_CLOSED);
        }
        helper_end(&helper);
        expect_end(&callers[0], WG_ERR_PEER_CLOSED);
    }
    helper_end(&helper);
    CHECK_OK(wg_asset_release(WG_SELF, client));
}

/* A receiver parked on a server whose only handle is then released: its wait holds the
 * server. Round 0: a call still reaches it; its syscall ends with the server's last
 * reference, so the server closes under the caller (PEER_CLOSED) and the receiver's next
 * step finds its handle stale. Round 1: it is killed; the server goes with it. */
static void test_parked_receiver_outlives_handle(void)
{
    for (int round = 0; round < 2; round++) {
        struct pair pair;
        struct thread receiver;
        if (!pair_open(&pair))
            return;
        struct short_server s = {.server = pair.server};
        if (thread_start(&receiver, serve_short, (uint64_t)&s, 0)) {
            task_wait_blocked(receiver.task, 2 * SECOND_NS);
            CHECK_OK(wg_asset_release(WG_SELF, pair.server));
            pair.server = 0;
            if (round == 1)
                CHECK_OK(wg_task_kill(WG_SELF, receiver.task));
            CHECK_CODE(WG_ERR_PEER_CLOSED, short_call(pair.client, 7, 5 * SECOND_NS));
            int64_t status = thread_join(&receiver, 5 * SECOND_NS);
            int64_t want = round == 0 ? -(int64_t)WG_ERR_STALE_HANDLE : WG_EXIT_KILLED;
            CHECK(status == want, "round %d: the receiver ended with %lld", round,
                  (long long)status);
            CHECK(s.received == (round == 0 ? 1u : 0u), "round %d: %llu received", round,
                  (unsigned long long)s.received);
        }
        pair_close(&pair);
    }
}

const struct test short_death_tests[] = {
    {"ipc_short_server_gone_under_call", test_server_gone_under_call, false},
    {"ipc_short_server_process_destroyed", test_server_process_destroyed, false},
    {"ipc_short_parked_receiver_outlives_handle", test_parked_receiver_outlives_handle, false},
    {NULL, NULL, false},
};
