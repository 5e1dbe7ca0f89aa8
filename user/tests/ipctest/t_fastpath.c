/* The call fast path: IPC_REPLY_RECEIVE, and a call or a reply handing its CPU straight to
 * the task it wakes. It must keep every guarantee of the general path: priorities (a handoff
 * never lets a lower-priority task run ahead of a higher one waiting on that CPU), callers
 * that die or time out while the server holds their call, and a mix with one-way sends and
 * messages that carry assets. */
#include "ipct.h"

#define CALLS 200

/* A server thread: answers each call with its first entry + 1 through REPLY_RECEIVE until a
 * message with entry 0 == 0 arrives, which is answered and ends it. Returns the number of
 * calls answered, or a negative error. Sleeps `delay` ns before answering (0: never). */
struct server_args {
    wg_handle server;
    uint64_t delay;
    volatile uint64_t received_at; /* clock when the first call arrived */
    volatile uint64_t dropped;     /* replies whose caller was gone */
};

static int64_t serve_increments(uint64_t arg)
{
    struct server_args *args = (struct server_args *)arg;
    struct wg_message in, out = {0};
    uint64_t token = 0, answered = 0;
    for (;;) {
        struct wg_result got =
            wg_ipc_reply_receive(WG_SELF, args->server, token, &out, &in, 5 * SECOND_NS);
        if (!wg_ok(got))
            return -(int64_t)got.err;
        if (args->received_at == 0)
            args->received_at = wg_clock().value;
        if (in.event != WG_IPC_EVENT_MESSAGE) {
            token = 0;
            continue;
        }
        message_drop_assets(&in);
        if (args->delay)
            wg_sleep(args->delay);
        token = got.value;
        out = (struct wg_message){0};
        out.entries[0].value = in.entries[0].value + 1;
        if (token != 0)
            answered++;
        if (in.entries[0].value == 0) { /* the last: answer it alone, then stop */
            enum wg_error err = wg_ipc_reply(WG_SELF, args->server, token, &out).err;
            if (err == WG_ERR_NOT_FOUND)
                args->dropped++;
            return err == WG_ERR_OK || err == WG_ERR_NOT_FOUND ? (int64_t)answered : -100;
        }
    }
}

/* Sends the message that ends serve_increments. */
static void stop_server(struct pair *pair)
{
    struct wg_message stop = {0}, reply;
    CHECK_OK(wg_ipc_call(WG_SELF, pair->client, &stop, &reply, 5 * SECOND_NS));
}

static void test_reply_receive_answers_calls(void)
{
    struct pair pair;
    struct thread thread;
    struct server_args args = {0};
    if (!pair_open(&pair)) {
        pair_close(&pair);
        return;
    }
    args.server = pair.server;
    if (thread_start(&thread, serve_increments, (uint64_t)&args, cpu_bit(0))) {
        for (uint64_t i = 1; i <= CALLS && !test_failed(); i++) {
            struct wg_message request = message_of(i), reply;
            CHECK_OK(wg_ipc_call(WG_SELF, pair.client, &request, &reply, 5 * SECOND_NS));
            CHECK(reply.entries[0].value == i + 1, "call %llu answered %llu", (unsigned long long)i,
                  (unsigned long long)reply.entries[0].value);
        }
        stop_server(&pair);
        int64_t answered = thread_join(&thread, 5 * SECOND_NS);
        CHECK(answered == CALLS + 1, "the server answered %lld calls", (long long)answered);
    }
    pair_close(&pair);
}

/* A caller killed while the server holds its call: the server's reply to it is dropped and
 * REPLY_RECEIVE goes on to the next message. */
struct caller_args {
    wg_handle client;
    volatile bool sent;
};

static int64_t call_once_forever(uint64_t arg)
{
    struct caller_args *args = (struct caller_args *)arg;
    struct wg_message request = message_of(41), reply;
    args->sent = true;
    return wg_ipc_call(WG_SELF, args->client, &request, &reply, WG_WAIT_FOREVER).err;
}

static void test_reply_receive_with_dead_client(void)
{
    struct pair pair;
    if (!pair_open(&pair)) {
        pair_close(&pair);
        return;
    }
    struct caller_args caller = {.client = pair.client};
    struct thread thread;
    if (thread_start(&thread, call_once_forever, (uint64_t)&caller, 0)) {
        struct wg_message in, out = {0};
        uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &in, 5 * SECOND_NS));
        CHECK_OK(wg_task_kill(WG_SELF, thread.task));
        CHECK(thread_join(&thread, 5 * SECOND_NS) == WG_EXIT_KILLED, "the caller was killed");
        struct wg_message later = message_of(7);
        CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &later, 0)); /* one-way, queued */
        struct wg_result next =
            wg_ipc_reply_receive(WG_SELF, pair.server, token, &out, &in, SECOND_NS);
        CHECK(wg_ok(next) && next.value == 0 && in.entries[0].value == 7,
              "after the dead caller's reply: %s, entry %llu", wg_error_name(next.err),
              (unsigned long long)in.entries[0].value);
        /* Bad arguments are refused before anything is consumed. */
        CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_ipc_reply_receive(WG_SELF, pair.server, 0, &out,
                                                               (void *)KERNEL_POINTER, 0));
        CHECK_REFUSED(WG_ERR_BAD_ADDRESS,
                      wg_ipc_reply_receive(WG_SELF, pair.server, 5, (void *)UNMAPPED_LOW, &in, 0));
        CHECK_REFUSED(WG_ERR_WRONG_KIND,
                      wg_ipc_reply_receive(WG_SELF, pair.client, 0, &out, &in, 0));
        CHECK_REFUSED(WG_ERR_WOULD_BLOCK,
                      wg_ipc_reply_receive(WG_SELF, pair.server, 0, &out, &in, 0));
    }
    pair_close(&pair);
}

/* Runs on CPU 0 at priority 12 and notes when it ran. */
static volatile uint64_t competitor_ran_at;

static int64_t note_time(uint64_t arg)
{
    (void)arg;
    competitor_ran_at = wg_clock().value;
    return 0;
}

/* Client 16, server 10, a ready competitor 12, all on CPU 0: the call must not hand the CPU
 * to the server while the competitor waits. */
static void test_handoff_respects_priorities(void)
{
    struct pair pair;
    if (!pair_open(&pair)) {
        pair_close(&pair);
        return;
    }
    struct server_args args = {.server = pair.server};
    struct thread server, competitor;
    competitor_ran_at = 0;
    wg_handle self = VALUE(wg_task_self());
    CHECK_OK(wg_task_set_affinity(WG_SELF, self, cpu_bit(0)));
    if (thread_create(&server, serve_increments, (uint64_t)&args)) {
        CHECK_OK(wg_task_set_affinity(WG_SELF, server.task, cpu_bit(0)));
        CHECK_OK(wg_task_set_priority(WG_SELF, server.task, 10));
        CHECK_OK(wg_task_start(WG_SELF, server.task));
        wg_sleep(10 * MS_NS); /* the server blocks in REPLY_RECEIVE */
        if (thread_create(&competitor, note_time, 0)) {
            CHECK_OK(wg_task_set_affinity(WG_SELF, competitor.task, cpu_bit(0)));
            CHECK_OK(wg_task_set_priority(WG_SELF, competitor.task, 12));
            CHECK_OK(wg_task_start(WG_SELF, competitor.task)); /* ready, below us */
            args.received_at = 0;
            struct wg_message request = message_of(5), reply;
            CHECK_OK(wg_ipc_call(WG_SELF, pair.client, &request, &reply, 5 * SECOND_NS));
            CHECK(competitor_ran_at != 0 && competitor_ran_at <= args.received_at,
                  "the priority-10 server ran before the waiting priority-12 task");
            thread_join(&competitor, 5 * SECOND_NS);
        }
        stop_server(&pair);
        thread_join(&server, 5 * SECOND_NS);
    }
    CHECK_OK(wg_task_set_affinity(WG_SELF, self, ~0ull >> (64 - cpu_count())));
    CHECK_OK(wg_asset_release(WG_SELF, self));
    pair_close(&pair);
}

/* The caller's timeout passes while the server, handed the CPU, sleeps: the call ends with
 * TIMED_OUT, the late reply is dropped, and the server serves the next call. */
static void test_timeout_during_handoff(void)
{
    struct pair pair;
    if (!pair_open(&pair)) {
        pair_close(&pair);
        return;
    }
    struct server_args args = {.server = pair.server, .delay = 50 * MS_NS};
    struct thread server;
    if (thread_start(&server, serve_increments, (uint64_t)&args, 0)) {
        wg_sleep(5 * MS_NS);
        struct wg_message request = message_of(9), reply;
        CHECK_ERR(WG_ERR_TIMED_OUT,
                  wg_ipc_call(WG_SELF, pair.client, &request, &reply, 10 * MS_NS));
        CHECK_OK(wg_ipc_call(WG_SELF, pair.client, &request, &reply, 5 * SECOND_NS));
        CHECK(reply.entries[0].value == 10, "the next call answered %llu",
              (unsigned long long)reply.entries[0].value);
        stop_server(&pair);
        int64_t answered = thread_join(&server, 5 * SECOND_NS);
        CHECK(answered == 3, "the server answered %lld calls (the timed-out one too)",
              (long long)answered);
    }
    pair_close(&pair);
}

/* Callers on the fast path, one-way senders and senders of assets, all at once. */
struct mixer_args {
    wg_handle client;
    unsigned kind; /* 0 calls, 1 one-way sends, 2 calls carrying a page */
};

static int64_t mix(uint64_t arg)
{
    struct mixer_args *args = (struct mixer_args *)arg;
    for (uint64_t i = 1; i <= 60; i++) {
        struct wg_message request = message_of(i * 3 + args->kind), reply;
        if (args->kind == 1) {
            struct wg_result sent;
            while ((sent = wg_ipc_send(WG_SELF, args->client, &request, 0)).err ==
                   WG_ERR_WOULD_BLOCK)
                wg_yield();
            if (!wg_ok(sent))
                return 1;
            continue;
        }
        wg_handle page = 0;
        if (args->kind == 2) {
            page = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE).value;
            request.entries[3] = (struct wg_message_entry){page, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
        }
        enum wg_error err;
        /* One-way senders may fill the channel's queue: the call is refused, not lost. */
        while ((err = wg_ipc_call(WG_SELF, args->client, &request, &reply, 5 * SECOND_NS).err) ==
               WG_ERR_WOULD_BLOCK)
            wg_yield();
        if (err != WG_ERR_OK)
            return 100 + err;
        if (reply.entries[0].value != request.entries[0].value + 1)
            return 2;
    }
    return 0;
}

static void test_flood_mixes_fast_and_slow(void)
{
    struct pair pair;
    if (!pair_open(&pair)) {
        pair_close(&pair);
        return;
    }
    struct server_args args = {.server = pair.server};
    struct thread server, mixers[6];
    struct mixer_args kinds[6];
    if (thread_start(&server, serve_increments, (uint64_t)&args, 0)) {
        for (unsigned m = 0; m < 6; m++) {
            kinds[m] = (struct mixer_args){pair.client, m % 3};
            thread_start(&mixers[m], mix, (uint64_t)&kinds[m], 0);
        }
        for (unsigned m = 0; m < 6; m++)
            CHECK(thread_join(&mixers[m], 20 * SECOND_NS) == 0, "mixer %u failed",
                  m); /* 100+: error */
        stop_server(&pair);
        int64_t answered = thread_join(&server, 5 * SECOND_NS);
        CHECK(answered == 4 * 60 + 1, "the server answered %lld calls", (long long)answered);
    }
    pair_close(&pair);
}

const struct test fastpath_tests[] = {
    {"ipc_reply_receive_answers_calls", test_reply_receive_answers_calls, false},
    {"ipc_reply_receive_with_dead_client", test_reply_receive_with_dead_client, false},
    {"ipc_handoff_respects_priorities", test_handoff_respects_priorities, false},
    {"ipc_timeout_during_handoff", test_timeout_during_handoff, false},
    {"ipc_flood_mixes_fast_and_slow", test_flood_mixes_fast_and_slow, false},
    {NULL, NULL, false},
};
