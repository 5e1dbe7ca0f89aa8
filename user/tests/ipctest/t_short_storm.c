/* Kills racing the short path: callers with short timeouts and one-way senders keep several
 * receivers parked in IPC_REPLY_RECEIVE_SHORT busy while callers (one test) or receivers and
 * callers (the other) are killed and replaced at random moments: a message may be handed
 * to a receiver the instant it is killed, a reply may find its caller gone. Whatever the
 * timing: every answer is right, the only refusals are TIMED_OUT and WOULD_BLOCK (a full
 * queue), nothing hangs, the runner finds every page, asset and task given back, and the
 * channel's queue bound is whole again afterwards: a call a receiver held when it died is
 * freed when its caller gives up (every caller here has a timeout). */
#include "ipct.h"

#define RECEIVERS 3
#define CALLERS   4
#define ROUNDS    100

struct storm {
    wg_handle client;
    volatile uint64_t stop;
    volatile uint64_t counts[3]; /* calls answered, timed out, refused (a full queue) */
};

/* Calls (and every eighth time sends one-way) until told to stop; 0, or what went wrong. */
static int64_t storm_caller(uint64_t arg)
{
    struct storm *st = (struct storm *)arg;
    for (uint64_t i = 1; !__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE); i++) {
        if (i % 8 == 0) {
            struct wg_message message = {0};
            message.entries[0].value = i;
            enum wg_error err = wg_ipc_send(WG_SELF, st->client, &message, 0).err;
            if (err == WG_ERR_WOULD_BLOCK)
                wg_yield();
            else if (err != WG_ERR_OK)
                return 1000 + err;
            continue;
        }
        enum wg_error err = short_call(st->client, i, 2 * MS_NS);
        if (err == WG_ERR_WOULD_BLOCK) /* the queue is full */
            wg_yield();
        else if (err != WG_ERR_OK && err != WG_ERR_TIMED_OUT)
            return 2000 + err;
        __atomic_fetch_add(&st->counts[err == WG_ERR_OK          ? 0
                                       : err == WG_ERR_TIMED_OUT ? 1
                                                                 : 2],
                           1, __ATOMIC_RELAXED);
    }
    return 0;
}

/* Kills thread `t` and checks it ended KILLED (a caller may also have just ended well). */
static void kill_one(struct thread *t, bool caller)
{
    CHECK_OK(wg_task_kill(WG_SELF, t->task));
    int64_t status = thread_join(t, 5 * SECOND_NS);
    CHECK(status == WG_EXIT_KILLED || (caller && status == 0),
          "a thread of the storm ended with %lld", (long long)status);
}

struct crew {
    struct storm st;
    struct short_server s;
    struct thread receivers[RECEIVERS], callers[CALLERS];
    int receiving, calling;
    uint64_t receivers_killed;
};

static void storm_rounds(struct crew *c, bool kill_receivers)
{
    uint64_t seed = wg_clock().value | 1;
    for (int round = 0; round < ROUNDS && !test_failed(); round++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        wg_sleep((seed % 3000) * 1000); /* 0 to 3 ms */
        bool receiver = kill_receivers && seed & 1;
        struct thread *t =
            receiver ? &c->receivers[(seed >> 8) % RECEIVERS] : &c->callers[(seed >> 8) % CALLERS];
        kill_one(t, !receiver);
        c->receivers_killed += receiver;
        if (receiver)
            thread_start(t, serve_short, (uint64_t)&c->s, 0);
        else
            thread_start(t, storm_caller, (uint64_t)&c->st, 0);
    }
}

/* Stops the callers, lets the receivers park and kills them (they hold nothing then). */
static void storm_end(struct crew *c)
{
    __atomic_store_n(&c->st.stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < c->calling; i++) {
        int64_t status = thread_join(&c->callers[i], 5 * SECOND_NS);
        CHECK(status == 0, "caller %d failed: %lld", i, (long long)status);
    }
    for (int i = 0; i < c->receiving; i++) {
        task_wait_blocked(c->receivers[i].task, 2 * SECOND_NS);
        kill_one(&c->receivers[i], false);
    }
}

/* Empties the queue (answering what expects it) and counts the one-way sends that fit. */
static int free_slots(struct pair *pair)
{
    struct wg_message got, message = {0};
    struct wg_result token;
    while (wg_ok(token = wg_ipc_receive(WG_SELF, pair->server, &got, 0)))
        if (token.value != 0)
            wg_ipc_reply(WG_SELF, pair->server, token.value, &message);
    int fit = 0;
    while (fit < WG_IPC_QUEUE_MAX + 1 && wg_ok(wg_ipc_send(WG_SELF, pair->client, &message, 0)))
        fit++;
    return fit;
}

static void run_storm(bool kill_receivers)
{
    static struct crew c;
    struct pair pair;
    if (!pair_open(&pair))
        return;
    c = (struct crew){.st.client = pair.client, .s.server = pair.server};
    while (c.receiving < RECEIVERS &&
           thread_start(&c.receivers[c.receiving], serve_short, (uint64_t)&c.s, 0))
        c.receiving++;
    while (c.receiving == RECEIVERS && c.calling < CALLERS &&
           thread_start(&c.callers[c.calling], storm_caller, (uint64_t)&c.st, 0))
        c.calling++;
    if (c.calling == CALLERS)
        storm_rounds(&c, kill_receivers);
    storm_end(&c);
    CHECK(c.st.counts[0] > 0, "no call was answered");
    int fit = free_slots(&pair);
    CHECK(fit == WG_IPC_QUEUE_MAX, "%d sends fit after %llu receivers were killed", fit,
          (unsigned long long)c.receivers_killed);
    printf("ipctest: kill storm: calls %llu answered, %llu timed out, %llu refused; %llu "
           "receivers killed, %d of %d queue slots free\n",
           (unsigned long long)c.st.counts[0], (unsigned long long)c.st.counts[1],
           (unsigned long long)c.st.counts[2], (unsigned long long)c.receivers_killed, fit,
           WG_IPC_QUEUE_MAX);
    pair_close(&pair);
}

static void test_storm_of_caller_kills(void)
{
    run_storm(false);
}

static void test_storm_of_receiver_kills(void)
{
    run_storm(true);
}

const struct test short_storm_tests[] = {
    {"ipc_short_storm_of_caller_kills", test_storm_of_caller_kills, false},
    {"ipc_short_storm_of_receiver_kills", test_storm_of_receiver_kills, false},
    {NULL, NULL, false},
};
