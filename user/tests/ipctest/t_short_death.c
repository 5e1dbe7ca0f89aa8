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

/* The server's last handle goes while the call is queued (round 0) or received (round 1). */
static void test_server_released_under_call(void)
{
    for (int round = 0; round < 2; round++) {
        struct pair pair;
        struct short_caller args;
        struct thread caller;
        if (!pair_open(&pair))
            return;
        if (start_caller(&caller, &args, pair.client)) {
            if (round == 1)
                short_take(pair.server, 0, 5, false);
            CHECK_OK(wg_asset_release(WG_SELF, pair.server));
            pair.server = 0;
            expect_end(&caller, WG_ERR_PEER_CLOSED);
            CHECK_CODE(WG_ERR_PEER_CLOSED, short_call(pair.client, 6, SECOND_NS));
        }
        pair_close(&pair);
    }
}

/* The server's end of the connection goes while it holds the call: the caller hears
 * PEER_CLOSED and the token is spent. */
static void test_server_end_released_under_call(void)
{
    struct pair pair;
    struct short_caller args;
    struct thread caller;
    if (!pair_open(&pair))
        return;
    if (start_caller(&caller, &args, pair.client)) {
        uint64_t token = short_take(pair.server, 0, 5, false);
        CHECK_OK(wg_asset_release(WG_SELF, pair.accepted));
        pair.accepted = 0;
        expect_end(&caller, WG_ERR_PEER_CLOSED);
        struct wg_message reply = {0};
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, pair.server, token, &reply));
    }
    pair_close(&pair);
}

/* A "shortserve" helper sleeping 10 s over each call is destroyed with one call in its
 * hands and one queued: both end with PEER_CLOSED. */
static void test_server_process_destroyed(void)
{
    uint64_t address;
    struct helper helper;
    struct thread callers[2];
    struct short_caller args[2];
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    wg_handle client = server ? VALUE(wg_ipc_connect(WG_SELF, address)) : 0;
    if (client && helper_create(&helper)) {
        uint64_t role_args[] = {helper_give(&helper, server), 10 * SECOND_NS};
        CHECK_OK(wg_asset_release(WG_SELF, server));
        server = 0;
        if (helper_role(&helper, "shortserve", role_args, 2, 0) &&
            CHECK_OK(wg_ipc_wait_accept(WG_SELF, client, 5 * SECOND_NS)) &&
            start_caller(&callers[0], &args[0], client)) {
            if (start_caller(&callers[1], &args[1], client)) {
                helper_end(&helper);
                expect_end(&callers[1], WG_ERR_PEER_CLOSED);
            }
            helper_end(&helper);
            expect_end(&callers[0], WG_ERR_PEER_CLOSED);
        }
        helper_end(&helper);
    }
    if (client)
        CHECK_OK(wg_asset_release(WG_SELF, client));
    if (server)
        CHECK_OK(wg_asset_release(WG_SELF, server));
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
    {"ipc_short_server_released_under_call", test_server_released_under_call, false},
    {"ipc_short_server_end_released_under_call", test_server_end_released_under_call, false},
    {"ipc_short_server_process_destroyed", test_server_process_destroyed, false},
    {"ipc_short_parked_receiver_outlives_handle", test_parked_receiver_outlives_handle, false},
    {NULL, NULL, false},
};
