/* Short messages in registers (IPC_CALL_SHORT, IPC_REPLY_RECEIVE_SHORT): the words and
 * every register both ways, one-way sends and general calls reaching a short receiver,
 * replies too long for registers (more values, an asset) handed over by id, and messages
 * too long for a short receive (more values, an asset, a CLOSED notice) left queued for
 * IPC_RECEIVE, in order. */
#include "ipct.h"

/* IPC_CALL_SHORT through regs_syscall: every register as the ABI says, call after call. */
static void test_call_registers(void)
{
    struct pair pair;
    struct short_server s = {0};
    struct thread server;
    if (!pair_open(&pair))
        return;
    s.server = pair.server;
    if (thread_start(&server, serve_short, (uint64_t)&s, 0)) {
        for (uint64_t i = 1; i <= 50 && !test_failed(); i++) {
            uint64_t args[6] = {pair.client, i, i << 8 | 1, i << 16 | 2, i << 24 | 3, SECOND_NS};
            struct regs_frame f;
            regs_prepare(&f, WG_SYS_IPC_CALL_SHORT, args, i);
            regs_syscall(&f);
            /* rax, rdx, rdi, rsi, r10, r8, r9: enum regs_out's order */
            uint64_t want[7] = {WG_ERR_OK,   i + 1, args[2] + 2, args[3] + 3,
                                args[4] + 4, 0,     SECOND_NS};
            for (unsigned r = 0; r < 7; r++)
                CHECK(f.out[r] == want[r], "call %llu: register %u is %llx, not %llx",
                      (unsigned long long)i, r, (unsigned long long)f.out[r],
                      (unsigned long long)want[r]);
            regs_kept(&f);
        }
        short_stop(pair.client);
        int64_t answered = thread_join(&server, 5 * SECOND_NS);
        CHECK(answered == 51, "the server answered %lld calls", (long long)answered);
    }
    pair_close(&pair);
}

/* IPC_REPLY_RECEIVE_SHORT on `server` through regs_syscall with a message already queued:
 * its token, and (checked) the connection and words in their registers. */
static uint64_t receive_regs(wg_handle server, uint64_t token, const uint64_t *reply,
                             wg_handle connection, const uint64_t *words)
{
    uint64_t args[6] = {server, token, reply[0], reply[1], reply[2], reply[3]};
    struct regs_frame f;
    regs_prepare(&f, WG_SYS_IPC_REPLY_RECEIVE_SHORT, args, token + 7);
    regs_syscall(&f);
    uint64_t want[7] = {WG_ERR_OK, f.out[REGS_RDX], connection, words[0],
                        words[1],  words[2],        words[3]};
    for (unsigned r = 0; r < 7; r++)
        CHECK(f.out[r] == want[r], "register %u is %llx, not %llx", r, (unsigned long long)f.out[r],
              (unsigned long long)want[r]);
    regs_kept(&f);
    return f.out[REGS_RDX];
}

/* An error: nothing but rax (and rdx, 0) changes. */
static void refused_regs(uint64_t number, const uint64_t *args, enum wg_error want)
{
    struct regs_frame f;
    regs_prepare(&f, number, args, 99);
    regs_syscall(&f);
    CHECK(f.out[REGS_RAX] == want && f.out[REGS_RDX] == 0, "%s gave %s, value %llx",
          wg_syscall_name(number), wg_error_name((int)f.out[REGS_RAX]),
          (unsigned long long)f.out[REGS_RDX]);
    const uint64_t same[5] = {args[0], args[1], args[3], args[4], args[5]}; /* rdi .. r9 */
    for (unsigned r = 0; r < 5; r++)
        CHECK(f.out[REGS_RDI + r] == same[r], "register %u changed on an error", REGS_RDI + r);
    regs_kept(&f);
}

static struct wg_message words_message(uint64_t base)
{
    struct wg_message message = {0};
    for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
        message.entries[i].value = base + i;
    return message;
}

/* One-way and expecting a reply, sent through IPC_SEND, received short: token 0 for the
 * first, the right connection, the short reply collected by IPC_RECEIVE_REPLY. */
static void test_receive_registers(void)
{
    struct pair pair;
    uint64_t none[4] = {0xdead, 0xbeef, 1, 2}, answer[4] = {41, 42, 43, 44};
    uint64_t w1[4] = {11, 12, 13, 14}, w2[4] = {21, 22, 23, 24}, w3[4] = {31, 32, 33, 34};
    if (!pair_open(&pair))
        return;
    struct wg_message one = words_message(11), two = words_message(21), three = words_message(31);
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &one, 0));
    CHECK(receive_regs(pair.server, 0, none, pair.accepted, w1) == 0, "a one-way token");
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &two, WG_IPC_EXPECT_REPLY));
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &three, 0));
    uint64_t token = receive_regs(pair.server, 0, none, pair.accepted, w2);
    CHECK(token != 0, "no token for a message expecting a reply");
    CHECK(receive_regs(pair.server, token, answer, pair.accepted, w3) == 0, "a one-way token");
    struct wg_message got;
    if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0))) {
        struct wg_message want = words_message(41);
        CHECK(memcmp(&got, &want, sizeof got) == 0, "the short reply arrived as %llu %llu %llu",
              (unsigned long long)got.entries[0].value, (unsigned long long)got.entries[3].value,
              (unsigned long long)got.entries[4].value);
    }
    uint64_t bad_call[6] = {pair.server, 1, 2, 3, 4, SECOND_NS};
    refused_regs(WG_SYS_IPC_CALL_SHORT, bad_call, WG_ERR_WRONG_KIND);
    uint64_t bad_receive[6] = {pair.client, token, 5, 6, 7, 8};
    refused_regs(WG_SYS_IPC_REPLY_RECEIVE_SHORT, bad_receive, WG_ERR_WRONG_KIND);
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &got, 0));
    pair_close(&pair);
}

/* A general server answering by the command in a call's entry 0: 1 six values, 2 values and
 * a copy of `page` (entry 1), 3 four values (short), 0 six values and it stops. */
struct command_server {
    wg_handle server, page;
};

static int64_t serve_commands(uint64_t arg)
{
    struct command_server *c = (struct command_server *)arg;
    for (;;) {
        struct wg_message in, out;
        struct wg_result token = wg_ipc_receive(WG_SELF, c->server, &in, 5 * SECOND_NS);
        if (!wg_ok(token))
            return -(int64_t)token.err;
        uint64_t command = in.entries[0].value;
        out = message_of(100 + 10 * command);
        if (command == 2)
            out.entries[1] = (struct wg_message_entry){c->page, WG_ENTRY_ASSET, 0};
        if (command == 3)
            out.entries[4].value = out.entries[5].value = 0;
        if (!wg_ok(wg_ipc_reply(WG_SELF, c->server, token.value, &out)))
            return -100;
        if (command == 0)
            return 0;
    }
}

/* A short call of `command`; its long reply's id (0 and a failure if it came in registers). */
static uint64_t call_for_long(wg_handle client, uint64_t command)
{
    uint64_t words[4] = {command, 7, 8, 9}, reply[4] = {1, 1, 1, 1}, long_id = 0;
    CHECK_CODE(WG_ERR_OK, wg_ipc_call_words(client, words, 5 * SECOND_NS, reply, &long_id));
    CHECK(long_id != 0, "a long reply came in registers");
    CHECK((reply[0] | reply[1] | reply[2] | reply[3]) == 0,
          "a long reply's registers hold %llx %llx %llx %llx", (unsigned long long)reply[0],
          (unsigned long long)reply[1], (unsigned long long)reply[2], (unsigned long long)reply[3]);
    return long_id;
}

/* The memory behind `handle` is the memory behind `page`: a word written through one is read
 * through the other (both mapped in turn at SCRATCH_ADDRESS). */
static void check_same_memory(wg_handle handle, wg_handle page, uint64_t word)
{
    volatile uint64_t *p = (volatile uint64_t *)SCRATCH_ADDRESS;
    wg_handle vmem =
        VALUE(wg_vmem_map(WG_SELF, handle, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE));
    if (vmem) {
        *p = word;
        CHECK_OK(wg_asset_release(WG_SELF, vmem));
    }
    vmem = VALUE(wg_vmem_map(WG_SELF, page, SCRATCH_ADDRESS, WG_MAP_READ));
    if (vmem) {
        CHECK(*p == word, "the asset in the reply is other memory");
        CHECK_OK(wg_asset_release(WG_SELF, vmem));
    }
}

static void test_long_replies(void)
{
    struct pair pair;
    struct thread server;
    struct wg_message got, request = words_message(1);
    if (!pair_open(&pair))
        return;
    struct command_server c = {pair.server, VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE))};
    if (c.page && thread_start(&server, serve_commands, (uint64_t)&c, 0)) {
        uint64_t id = call_for_long(pair.client, 1);
        if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0)))
            CHECK(got.entries[0].value == 110 && got.entries[5].value == 115, "wrong values");
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0));
        id = call_for_long(pair.client, 2);
        if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0)) &&
            CHECK(got.entries[1].flags == WG_ENTRY_ASSET && got.entries[2].value == 122,
                  "the asset reply arrived as flags %u", got.entries[1].flags)) {
            check_same_memory(got.entries[1].value, c.page, 0x5157);
            CHECK_OK(wg_asset_release(WG_SELF, got.entries[1].value));
        }
        request.entries[0].value = 2; /* wg_call collects a long reply by itself */
        if (CHECK_OK(wg_call(pair.client, &request, &got, 5 * SECOND_NS)) &&
            CHECK(got.entries[1].flags == WG_ENTRY_ASSET && got.entries[5].value == 125,
                  "wg_call's reply: flags %u", got.entries[1].flags))
            CHECK_OK(wg_asset_release(WG_SELF, got.entries[1].value));
        request.entries[0].value = 3; /* a general reply that fits comes in registers */
        uint64_t words[4] = {3, 0, 0, 0}, reply[4], long_id = 1;
        CHECK_CODE(WG_ERR_OK, wg_ipc_call_words(pair.client, words, SECOND_NS, reply, &long_id));
        CHECK(long_id == 0 && reply[0] == 130 && reply[3] == 133, "a short general reply");
        call_for_long(pair.client, 2); /* never collected: goes with the connection */
        request.entries[0].value = 0;
        CHECK_OK(wg_call(pair.client, &request, &got, 5 * SECOND_NS));
        CHECK(thread_join(&server, 5 * SECOND_NS) == 0, "the server failed");
    }
    if (c.page)
        CHECK_OK(wg_asset_release(WG_SELF, c.page));
    pair_close(&pair);
}

/* A short receive in front of `server`'s queue whose head is not short: connection 0, token
 * 0 and no words; the message stays for IPC_RECEIVE. */
static void expect_not_short(wg_handle server)
{
    uint64_t token = 0, reply[4] = {0}, words[4] = {1, 1, 1, 1};
    wg_handle connection = 1;
    CHECK_CODE(WG_ERR_OK, wg_ipc_reply_receive_words(server, &token, reply, words, &connection));
    CHECK(connection == 0 && token == 0 && (words[0] | words[1] | words[2] | words[3]) == 0,
          "a long message at a short receive: connection %llx token %llu",
          (unsigned long long)connection, (unsigned long long)token);
}

static void test_long_messages_stay_queued(void)
{
    struct pair pair;
    struct wg_message six = message_of(50), with_page = message_of(60), four = words_message(70);
    struct wg_message got;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    with_page.entries[2] = (struct wg_message_entry){page, WG_ENTRY_ASSET, 0};
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &six, 0));
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &with_page, WG_IPC_EXPECT_REPLY));
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &four, 0));
    expect_not_short(pair.server);
    if (CHECK_OK(wg_ipc_receive(WG_SELF, pair.server, &got, 0)))
        CHECK(got.entries[0].value == 50 && got.entries[5].value == 55 &&
                  got.connection == pair.accepted && got.event == WG_IPC_EVENT_MESSAGE,
              "the six values arrived as %llu..%llu", (unsigned long long)got.entries[0].value,
              (unsigned long long)got.entries[5].value);
    expect_not_short(pair.server);
    uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &got, 0));
    if (CHECK(got.entries[2].flags == WG_ENTRY_ASSET && got.entries[5].value == 65,
              "the asset message arrived as flags %u", got.entries[2].flags))
        CHECK_OK(wg_asset_release(WG_SELF, got.entries[2].value));
    uint64_t reply[4] = {80, 81, 82, 83}, words[4];
    wg_handle connection = 0;
    CHECK_CODE(WG_ERR_OK,
               wg_ipc_reply_receive_words(pair.server, &token, reply, words, &connection));
    CHECK(connection == pair.accepted && token == 0 && words[0] == 70 && words[3] == 73,
          "the short message after the long ones: %llu", (unsigned long long)words[0]);
    if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0)))
        CHECK(got.entries[0].value == 80 && got.entries[3].value == 83, "the short reply");
    CHECK_OK(wg_asset_release(WG_SELF, pair.client)); /* a CLOSED notice */
    pair.client = 0;
    expect_not_short(pair.server);
    if (CHECK_OK(wg_ipc_receive(WG_SELF, pair.server, &got, 0)))
        CHECK(got.event == WG_IPC_EVENT_CLOSED && got.connection == pair.accepted,
              "event %u on %llx", got.event, (unsigned long long)got.connection);
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &got, 0));
    CHECK_OK(wg_asset_release(WG_SELF, page));
    pair_close(&pair);
}

const struct test short_tests[] = {
    {"ipc_short_call_registers", test_call_registers, false},
    {"ipc_short_receive_registers", test_receive_registers, false},
    {"ipc_short_long_replies", test_long_replies, false},
    {"ipc_short_long_messages_stay_queued", test_long_messages_stay_queued, false},
    {NULL, NULL, false},
};
