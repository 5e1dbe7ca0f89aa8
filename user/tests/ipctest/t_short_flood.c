/* A flood mixing fast and slow: client threads making short calls (raw register stubs and
 * wg_call, some answered too long for registers), whole-message calls with six values or a
 * moved page, and one-way sends short and long, all on one connection, against two
 * receiver threads looping on wg_reply_receive. Every reply must match its request, the
 * server's counts must add up, and nothing may stay behind. */
#include "ipct.h"

#define ROUNDS      60
#define PER_KIND    2
#define RECEIVERS   2
#define CHECK_SALT  0x9e3779b97f4a7c15ull
#define LONG_MARKER 77

enum kind { K_WORDS, K_CALL, K_PAGE, K_SEND, K_SEND_LONG, K_LONG, KINDS };

struct flood {
    wg_handle client, server;
    volatile uint64_t received[KINDS];
};

struct flood_client {
    struct flood *flood;
    unsigned kind;
    uint64_t who;
};

static bool is_long(unsigned kind)
{
    return kind == K_PAGE || kind == K_SEND_LONG || kind == K_LONG;
}

static struct wg_message request_of(uint64_t seq, unsigned kind, uint64_t who)
{
    struct wg_message m = {0};
    m.entries[0].value = seq;
    m.entries[1].value = kind;
    m.entries[2].value = who;
    m.entries[3].value = seq * CHECK_SALT ^ who;
    if (is_long(kind)) {
        m.entries[4].value = LONG_MARKER;
        m.entries[5].value = seq;
    }
    return m;
}

/* The answer to a request: short, except for K_LONG and every third K_CALL. */
static struct wg_message reply_of(const struct wg_message *in)
{
    struct wg_message r = {0};
    uint64_t seq = in->entries[0].value, kind = in->entries[1].value;
    r.entries[0].value = seq + 1;
    for (unsigned i = 1; i < 4; i++)
        r.entries[i].value = in->entries[i].value;
    if (kind == K_LONG || (kind == K_CALL && seq % 3 == 0))
        r.entries[5].value = seq;
    return r;
}

/* Whether a received request is intact (its page, if any, released). */
static bool request_intact(const struct wg_message *in)
{
    uint64_t seq = in->entries[0].value, kind = in->entries[1].value;
    if (kind >= KINDS || in->entries[3].value != (seq * CHECK_SALT ^ in->entries[2].value))
        return false;
    if (kind == K_PAGE) {
        bool page = in->entries[4].flags == WG_ENTRY_ASSET;
        return page && wg_ok(wg_asset_release(WG_SELF, in->entries[4].value));
    }
    return in->entries[4].value == (is_long(kind) ? LONG_MARKER : 0) && in->entries[4].flags == 0;
}

static int64_t flood_receiver(uint64_t arg)
{
    struct flood *f = (struct flood *)arg;
    struct wg_message in, reply = {0};
    uint64_t token = 0;
    for (;;) {
        struct wg_result got = wg_reply_receive(f->server, token, &reply, &in, WG_WAIT_FOREVER);
        if (!wg_ok(got))
            return -(int64_t)got.err;
        token = got.value;
        if (in.event != WG_IPC_EVENT_MESSAGE)
            return -1;
        if (in.entries[0].value == 0) { /* stop: answered alone */
            reply = (struct wg_message){0};
            reply.entries[0].value = 1; /* what short_stop expects */
            return wg_ok(wg_ipc_reply(WG_SELF, f->server, token, &reply)) ? 0 : -2;
        }
        if (!request_intact(&in))
            return -3;
        __atomic_fetch_add(&f->received[in.entries[1].value], 1, __ATOMIC_RELAXED);
        reply = reply_of(&in);
    }
}

/* One request of a call kind: a refused send (full queue) is tried again. */
static enum wg_error call_one(struct flood_client *c, const struct wg_message *request,
                              struct wg_message *reply)
{
    enum wg_error err;
    do {
        if (c->kind != K_WORDS) {
            err = wg_call(c->flood->client, request, reply, 5 * SECOND_NS).err;
            continue;
        }
        uint64_t words[4], answer[4], long_id;
        for (unsigned i = 0; i < 4; i++)
            words[i] = request->entries[i].value;
        err = wg_ipc_call_words(c->flood->client, words, 5 * SECOND_NS, answer, &long_id);
        *reply = (struct wg_message){0};
        for (unsigned i = 0; i < 4; i++)
            reply->entries[i].value = answer[i];
        if (err == WG_ERR_OK && long_id != 0)
            return WG_ERR_INVALID_ARGUMENT; /* a short reply must come in registers */
    } while (err == WG_ERR_WOULD_BLOCK && (wg_yield(), true));
    return err;
}

static int64_t flood_client(uint64_t arg)
{
    struct flood_client *c = (struct flood_client *)arg;
    for (uint64_t seq = 1; seq <= ROUNDS; seq++) {
        struct wg_message request = request_of(seq, c->kind, c->who), reply;
        if (c->kind == K_SEND || c->kind == K_SEND_LONG) {
            struct wg_result sent;
            while ((sent = wg_ipc_send(WG_SELF, c->flood->client, &request, 0)).err ==
                   WG_ERR_WOULD_BLOCK)
                wg_yield();
            if (!wg_ok(sent))
                return __LINE__;
            continue;
        }
        if (c->kind == K_PAGE) {
            wg_handle page = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE).value;
            request.entries[4] = (struct wg_message_entry){page, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
        }
        if (call_one(c, &request, &reply) != WG_ERR_OK)
            return __LINE__;
        struct wg_message want = reply_of(&request);
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
            if (reply.entries[i].value != want.entries[i].value || reply.entries[i].flags != 0)
                return 1000 + c->kind;
    }
    return 0;
}

static void run_flood(struct flood *f)
{
    static struct thread receivers[RECEIVERS], clients[KINDS * PER_KIND];
    static struct flood_client args[KINDS * PER_KIND];
    int receiving = 0, sending = 0;
    while (receiving < RECEIVERS &&
           thread_start(&receivers[receiving], flood_receiver, (uint64_t)f, 0))
        receiving++;
    for (unsigned i = 0; i < KINDS * PER_KIND && receiving == RECEIVERS; i++, sending++) {
        args[i] = (struct flood_client){f, i % KINDS, i};
        if (!thread_start(&clients[i], flood_client, (uint64_t)&args[i], 0))
            break;
    }
    for (int i = 0; i < sending; i++) {
        int64_t status = thread_join(&clients[i], 30 * SECOND_NS);
        CHECK(status == 0, "client %d (kind %u) failed: %lld", i, args[i].kind, (long long)status);
    }
    for (int i = 0; i < receiving; i++)
        short_stop(f->client);
    for (int i = 0; i < receiving; i++) {
        int64_t status = thread_join(&receivers[i], 5 * SECOND_NS);
        CHECK(status == 0, "receiver %d failed: %lld", i, (long long)status);
    }
}

static void test_flood_mixed(void)
{
    static struct flood f;
    struct pair pair;
    struct snapshot start = snapshot_take();
    if (!pair_open(&pair))
        return;
    f = (struct flood){.client = pair.client, .server = pair.server};
    run_flood(&f);
    for (unsigned kind = 0; kind < KINDS; kind++)
        CHECK(f.received[kind] == PER_KIND * ROUNDS, "kind %u: %llu of %d received", kind,
              (unsigned long long)f.received[kind], PER_KIND * ROUNDS);
    pair_close(&pair);
    SNAPSHOT_SETTLE(&start, SNAPSHOT_SAME, "after the flood");
}

const struct test short_flood_tests[] = {
    {"ipc_short_flood_mixed", test_flood_mixed, false},
    {NULL, NULL, false},
};
