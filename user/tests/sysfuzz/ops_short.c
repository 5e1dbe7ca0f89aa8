/* Short messages end to end (IPC_CALL_SHORT, IPC_REPLY_RECEIVE_SHORT): a private server and
 * connection get a few messages (short or not, one-way or expecting a reply, hostile ones,
 * calls that only check, the client's end closed), then short receives take them in order
 * while each is sure to find one queued (the call waits for ever otherwise). Checked: the
 * order, the words and token of each, the connection they name, IPC_RECEIVE getting what a
 * short receive left, and the replies given through the next short receive; then, half the
 * time, short calls answered by a task serving the same server. */
#include "sysfuzz.h"

#define CALL(n, ...) raw_call6(WG_SYS_##n, __VA_ARGS__)
#define QUEUED_MAX   6

struct expected {
    bool is_short, reply, notice;
    uint64_t words[WG_IPC_SHORT_WORDS];
    uint64_t id;     /* the client's id when a reply is expected */
    uint64_t answer; /* the w0 we answered with (the others are w0 + 1 ...) */
};

static struct expected queued[QUEUED_MAX];
static struct wg_message message;

/* Sends one message, short or hostile; whether it was queued (noted in `e`). */
static bool send_one(wg_handle connection, struct expected *e)
{
    struct rng *r = &fuzz.rng;
    if (rng_chance(r, 60)) {
        memset(&message, 0, sizeof message);
        for (int i = 0; i < WG_IPC_SHORT_WORDS; i++)
            message.entries[i].value = args_number();
    } else {
        args_message(&message);
    }
    uint64_t flags = rng_chance(r, 50) ? WG_IPC_EXPECT_REPLY : 0;
    struct raw_result sent = CALL(IPC_SEND, WG_SELF, connection, (uint64_t)&message, flags, 0, 0);
    *e = (struct expected){.is_short = wg_message_is_short(&message), .reply = flags != 0};
    for (int i = 0; i < WG_IPC_SHORT_WORDS; i++)
        e->words[i] = message.entries[i].value;
    e->id = sent.value;
    return sent.err == WG_ERR_OK;
}

/* A call that only checks, on a channel nobody else receives from: refused, never queued. */
static void call_that_checks(wg_handle connection)
{
    struct raw_result got = CALL(IPC_CALL_SHORT, connection, args_number(), args_number(),
                                 args_number(), args_number(), 0);
    if (got.err != WG_ERR_WOULD_BLOCK)
        fuzz_fail("a short call nobody can answer gave %s", wg_error_name(got.err));
}

/* Takes the next queued message with a short receive that answers `token`; its token. */
static uint64_t take_next(wg_handle server, wg_handle accepted, uint64_t token,
                          struct expected *answered, const struct expected *e)
{
    uint64_t w0 = args_number();
    struct raw_result got =
        CALL(IPC_REPLY_RECEIVE_SHORT, server, token, w0, w0 + 1, w0 + 2, w0 + 3);
    if (answered)
        answered->answer = w0;
    const uint64_t *regs = raw_answer(); /* rax, rdx, rdi, rsi, r10, r8, r9 */
    if (got.err != WG_ERR_OK) {
        fuzz_fail("a short receive with a message queued gave %s", wg_error_name(got.err));
        return 0;
    }
    if (!e->is_short || e->notice) {
        if (regs[2] != 0)
            fuzz_fail("a long message or a notice came as a short one");
        struct raw_result long_one =
            CALL(IPC_RECEIVE, WG_SELF, server, (uint64_t)&message, 0, 0, 0);
        if (long_one.err != WG_ERR_OK ||
            message.event != (e->notice ? WG_IPC_EVENT_CLOSED : WG_IPC_EVENT_MESSAGE))
            fuzz_fail("what a short receive left gave %s", wg_error_name(long_one.err));
        for (int i = 0; long_one.err == WG_ERR_OK && i < WG_MESSAGE_ENTRIES; i++)
            if (message.entries[i].flags & WG_ENTRY_ASSET)
                pool_put(POOL_OTHER, message.entries[i].value, 0);
        return long_one.value;
    }
    bool same = regs[2] == accepted && (got.value != 0) == e->reply;
    for (int i = 0; i < WG_IPC_SHORT_WORDS; i++)
        same = same && regs[3 + i] == e->words[i];
    if (!same)
        fuzz_fail("a short message arrived changed (token %llu, connection %llx)",
                  (unsigned long long)got.value, (unsigned long long)regs[2]);
    return got.value;
}

/* The short replies must be collected as they were given. */
static void collect_replies(wg_handle connection, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        const struct expected *e = &queued[i];
        if (!e->reply || !e->is_short || e->notice)
            continue;
        struct raw_result got =
            CALL(IPC_RECEIVE_REPLY, WG_SELF, connection, e->id, (uint64_t)&message, 0, 0);
        bool same = got.err == WG_ERR_OK && message.entries[4].value == 0;
        for (int w = 0; w < WG_IPC_SHORT_WORDS; w++)
            same = same && message.entries[w].value == e->answer + (uint64_t)w;
        if (!same)
            fuzz_fail("a short reply was collected as %s, w0 %llx", wg_error_name(got.err),
                      (unsigned long long)message.entries[0].value);
    }
}

/* Queues up to QUEUED_MAX - 1 messages (or the notice of the client's end closing); their
 * count. */
static unsigned fill(wg_handle *connection)
{
    unsigned count = 0, tries = 1 + (unsigned)rng_below(&fuzz.rng, QUEUED_MAX - 1);
    for (unsigned i = 0; i < tries; i++) {
        unsigned pick = (unsigned)rng_below(&fuzz.rng, 8);
        if (pick == 0) {
            call_that_checks(*connection);
        } else if (pick == 1) { /* its queued messages go; the server hears of it */
            CALL(ASSET_RELEASE, WG_SELF, *connection, 0, 0, 0, 0);
            *connection = 0;
            queued[0] = (struct expected){.notice = true};
            return 1;
        } else if (send_one(*connection, &queued[count])) {
            count++;
        }
    }
    return count;
}

/* A ROLE_SERVE_SHORT task on the server: short calls through it come back echoed, in
 * registers. The task stays in the pool (killed, waited or destroyed with the seed). */
static void served_calls(wg_handle server, wg_handle connection)
{
    wg_handle task;
    int slot;
    if (!roles_task(WG_SELF, ROLE_SERVE_SHORT, server, &task, &slot))
        return;
    CALL(TASK_START, WG_SELF, task, 0, 0, 0, 0);
    pool_put(POOL_TASK, task, (uint64_t)slot + 1);
    for (unsigned i = 1 + (unsigned)rng_below(&fuzz.rng, 4); i > 0; i--) {
        uint64_t w[WG_IPC_SHORT_WORDS];
        for (int k = 0; k < WG_IPC_SHORT_WORDS; k++)
            w[k] = args_number();
        struct raw_result got = CALL(IPC_CALL_SHORT, connection, w[0], w[1], w[2], w[3], SECOND_NS);
        const uint64_t *regs = raw_answer();
        if (got.err != WG_ERR_OK || got.value != w[0] || regs[2] != w[1] || regs[3] != w[2] ||
            regs[4] != w[3] || regs[5] != 0)
            fuzz_fail("a served short call gave %s, w0 %llx", wg_error_name(got.err),
                      (unsigned long long)got.value);
    }
}

void op_short(void)
{
    uint64_t *address = (uint64_t *)args_scratch;
    struct raw_result server = CALL(IPC_SERVER_CREATE, WG_SELF, 0, (uint64_t)address, 0, 0, 0);
    if (server.err != WG_ERR_OK)
        return;
    struct raw_result conn = CALL(IPC_CONNECT, WG_SELF, *address, 0, 0, 0, 0);
    struct raw_result accepted = CALL(IPC_ACCEPT, WG_SELF, server.value, 0, 0, 0, 0);
    if (conn.err == WG_ERR_OK && accepted.err == WG_ERR_OK) {
        wg_handle connection = conn.value;
        unsigned count = fill(&connection);
        uint64_t token = 0;
        for (unsigned i = 0; i < count; i++)
            token = take_next(server.value, accepted.value, token, i ? &queued[i - 1] : NULL,
                              &queued[i]);
        if (count > 0 && token != 0) { /* the last one, answered without a receive */
            queued[count - 1].answer = 5;
            struct wg_message *reply = &message;
            memset(reply, 0, sizeof *reply);
            for (int w = 0; w < WG_IPC_SHORT_WORDS; w++)
                reply->entries[w].value = 5 + (uint64_t)w;
            CALL(IPC_REPLY, WG_SELF, server.value, token, (uint64_t)reply, 0, 0);
        }
        if (connection != 0)
            collect_replies(connection, count);
        if (connection != 0 && rng_chance(&fuzz.rng, 50))
            served_calls(server.value, connection);
        conn.value = connection;
    }
    /* Left for the rest of the seed to use. */
    pool_put(POOL_SERVER, server.value, *address);
    if (conn.err == WG_ERR_OK && conn.value != 0)
        pool_put(POOL_CONNECTION, conn.value, 0);
    if (accepted.err == WG_ERR_OK)
        pool_put(POOL_ACCEPTED, accepted.value, 0);
}
