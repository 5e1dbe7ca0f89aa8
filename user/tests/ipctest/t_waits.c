/* Waiting: every IPC wait ends at its timeout (receive, call, accept, wait-accept, reply
 * collection), zero timeouts only check, an abandoned call is cleaned up whether or not the
 * server had it, a message wakes a receiver even while an acceptor waits too, and a blocking
 * receive shared by several tasks never answers WOULD_BLOCK. */
#include "ipct.h"

#define SHORT_NS (30 * MS_NS)

/* Checks that `call` answers TIMED_OUT no sooner than SHORT_NS after it starts. */
#define CHECK_TIMES_OUT(call)                                                             \
    do {                                                                                  \
        uint64_t start_ = wg_clock().value;                                               \
        if (CHECK_ERR(WG_ERR_TIMED_OUT, call))                                            \
            CHECK(wg_clock().value - start_ >= SHORT_NS, "%s ended after %llu us", #call, \
                  (unsigned long long)((wg_clock().value - start_) / 1000));              \
    } while (0)

static void test_receive_and_accept_timeouts(void)
{
    struct pair pair;
    struct wg_message message = message_of(0);
    if (!pair_open(&pair))
        return;
    CHECK_TIMES_OUT(wg_ipc_receive(WG_SELF, pair.server, &message, SHORT_NS));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &message, 0));
    CHECK_TIMES_OUT(wg_ipc_accept(WG_SELF, pair.server, SHORT_NS));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_accept(WG_SELF, pair.server, 0));
    wg_handle waiting = VALUE(wg_ipc_connect(WG_SELF, pair.address));
    CHECK_TIMES_OUT(wg_ipc_wait_accept(WG_SELF, waiting, SHORT_NS));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_wait_accept(WG_SELF, waiting, 0));
    CHECK_OK(wg_asset_release(WG_SELF, waiting)); /* never accepted */
    message = message_of(0);
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    CHECK_TIMES_OUT(wg_ipc_receive_reply(WG_SELF, pair.client, id, &message, SHORT_NS));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive_reply(WG_SELF, pair.client, id, &message, 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_accept(WG_SELF, pair.server, 0)); /* it went away */
    pair_close(&pair);
}

struct receive_job {
    struct pair *pair;
    volatile uint64_t token;
};

/* Receives one message (2 s) and keeps its token without replying; 0 or the error. */
static int64_t receive_one(uint64_t arg)
{
    struct receive_job *job = (struct receive_job *)arg;
    struct wg_message message;
    struct wg_result token = wg_ipc_receive(WG_SELF, job->pair->server, &message, 2 * SECOND_NS);
    __atomic_store_n(&job->token, token.value, __ATOMIC_RELEASE);
    return token.err;
}

/* A call times out whether the server never saw it or received it and kept quiet; the
 * second is freed at once, so a late reply to it finds nothing (NOT_FOUND). */
static void test_call_timeouts(void)
{
    struct pair pair;
    struct wg_message message = message_of(1), reply;
    if (!pair_open(&pair))
        return;
    CHECK_TIMES_OUT(wg_ipc_call(WG_SELF, pair.client, &message, &reply, SHORT_NS));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &message, 0));
    struct receive_job job = {.pair = &pair};
    struct thread server;
    if (thread_start(&server, receive_one, (uint64_t)&job, 0)) {
        wg_sleep(10 * MS_NS); /* let it block in the receive */
        CHECK_ERR(WG_ERR_TIMED_OUT,
                  wg_ipc_call(WG_SELF, pair.client, &message, &reply, 500 * MS_NS));
        int64_t status = thread_join(&server, 3 * SECOND_NS);
        CHECK(status == WG_ERR_OK && job.token != 0, "the server's receive: %s",
              wg_error_name((int)status));
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, pair.server, job.token, &message));
    }
    /* Nothing stays counted against the queue: 64 more sends fit. */
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        if (!CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0)))
            break;
    pair_close(&pair);
}

static int64_t accept_once(uint64_t server)
{
    struct wg_result accepted = wg_ipc_accept(WG_SELF, server, 1500 * MS_NS);
    if (wg_ok(accepted))
        wg_asset_release(WG_SELF, accepted.value);
    return accepted.err;
}

struct wake_job {
    wg_handle server;
    uint64_t waited_ns;
};

/* Receives with a 1 s timeout; the error, and how long it waited in job->waited_ns. */
static int64_t receive_timed(uint64_t arg)
{
    struct wake_job *job = (struct wake_job *)arg;
    struct wg_message message;
    uint64_t start = wg_clock().value;
    enum wg_error err = wg_ipc_receive(WG_SELF, job->server, &message, SECOND_NS).err;
    job->waited_ns = wg_clock().value - start;
    return err;
}

/* One task waits to accept, a later one to receive (both on the server's one wait queue); a
 * message must wake the receiver at once, not leave it to find the message at its timeout. */
static void test_message_wakes_receiver_beside_acceptor(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    struct wake_job job = {.server = pair.server};
    struct thread acceptor, receiver;
    if (thread_start(&acceptor, accept_once, pair.server, 0)) {
        wg_sleep(20 * MS_NS);
        if (thread_start(&receiver, receive_timed, (uint64_t)&job, 0)) {
            wg_sleep(20 * MS_NS);
            struct wg_message message = message_of(5);
            CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0));
            int64_t status = thread_join(&receiver, 3 * SECOND_NS);
            CHECK(status == WG_ERR_OK, "the receiver got %s", wg_error_name((int)status));
            CHECK(job.waited_ns < 500 * MS_NS, "the receiver got the message after %llu ms",
                  (unsigned long long)(job.waited_ns / MS_NS));
        }
        int64_t status = thread_join(&acceptor, 3 * SECOND_NS);
        CHECK(status == WG_ERR_TIMED_OUT, "the acceptor got %s", wg_error_name((int)status));
    }
    pair_close(&pair);
}

#define RECEIVERS  4
#define SENDERS    4
#define PER_SENDER 500

struct crowd {
    wg_handle server;
    uint64_t address;
    volatile uint64_t received;
    volatile uint64_t first_error; /* the first unexpected receive error */
};

/* Serves until every call was answered; a blocking receive must never WOULD_BLOCK. */
static int64_t crowd_receiver(uint64_t arg)
{
    struct crowd *crowd = (struct crowd *)arg;
    while (__atomic_load_n(&crowd->received, __ATOMIC_ACQUIRE) < SENDERS * PER_SENDER) {
        struct wg_message message;
        struct wg_result token = wg_ipc_receive(WG_SELF, crowd->server, &message, 50 * MS_NS);
        if (token.err == WG_ERR_TIMED_OUT || (wg_ok(token) && token.value == 0))
            continue; /* a timeout, or a client's CLOSED notice */
        enum wg_error err = token.err;
        if (err == WG_ERR_OK)
            err = wg_ipc_reply(WG_SELF, crowd->server, token.value, &message).err;
        if (err != WG_ERR_OK) {
            uint64_t none = 0;
            __atomic_compare_exchange_n(&crowd->first_error, &none, (uint64_t)err, false,
                                        __ATOMIC_RELEASE, __ATOMIC_RELAXED);
            return err;
        }
        __atomic_fetch_add(&crowd->received, 1, __ATOMIC_RELEASE);
    }
    return 0;
}

static int64_t crowd_sender(uint64_t arg)
{
    struct crowd *crowd = (struct crowd *)arg;
    struct wg_result connection = wg_ipc_connect(WG_SELF, crowd->address);
    if (!wg_ok(connection))
        return connection.err;
    enum wg_error err = wg_ipc_wait_accept(WG_SELF, connection.value, 5 * SECOND_NS).err;
    for (int i = 0; i < PER_SENDER && err == WG_ERR_OK; i++) {
        struct wg_message message = message_of((uint64_t)i), reply;
        err = wg_ipc_call(WG_SELF, connection.value, &message, &reply, 5 * SECOND_NS).err;
    }
    wg_asset_release(WG_SELF, connection.value);
    return err;
}

/* Joins every started thread; the number whose status was not 0. */
static int join_all(struct thread *threads, int count)
{
    int failed = 0;
    for (int i = 0; i < count; i++)
        failed += thread_join(&threads[i], 20 * SECOND_NS) != 0;
    return failed;
}

/* Several tasks receive from one server while several clients call it. */
static void test_many_receivers(void)
{
    static struct crowd crowd;
    crowd = (struct crowd){0};
    struct thread receivers[RECEIVERS], senders[SENDERS];
    wg_handle accepted[SENDERS] = {0};
    int r = 0, s = 0;
    crowd.server = VALUE(wg_ipc_server_create(WG_SELF, 0, &crowd.address));
    while (crowd.server && r < RECEIVERS &&
           thread_start(&receivers[r], crowd_receiver, (uint64_t)&crowd, 0))
        r++;
    while (r == RECEIVERS && s < SENDERS &&
           thread_start(&senders[s], crowd_sender, (uint64_t)&crowd, 0))
        s++;
    for (int i = 0; i < s; i++)
        accepted[i] = VALUE(wg_ipc_accept(WG_SELF, crowd.server, 5 * SECOND_NS));
    int senders_failed = join_all(senders, s), receivers_failed = join_all(receivers, r);
    CHECK(crowd.first_error == 0, "a blocking receive gave %s",
          wg_error_name((int)crowd.first_error));
    CHECK(senders_failed == 0 && receivers_failed == 0, "%d senders and %d receivers failed",
          senders_failed, receivers_failed);
    for (int i = 0; i < s; i++)
        if (accepted[i])
            CHECK_OK(wg_asset_release(WG_SELF, accepted[i]));
    if (crowd.server)
        CHECK_OK(wg_asset_release(WG_SELF, crowd.server));
}

const struct test wait_tests[] = {
    {"ipc_receive_and_accept_timeouts", test_receive_and_accept_timeouts, false},
    {"ipc_call_timeouts", test_call_timeouts, false},
    {"ipc_message_wakes_receiver_beside_acceptor", test_message_wakes_receiver_beside_acceptor,
     false},
    {"ipc_many_receivers", test_many_receivers, false},
    {NULL, NULL, false},
};
