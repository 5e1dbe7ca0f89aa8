/* What the short-message tests (t_short*.c) share: frames for regs_syscall (a syscall with
 * every register known, user/lib/test/regs.h), a server thread that answers short calls
 * through IPC_REPLY_RECEIVE_SHORT, short calls, sends and receives, waiting for a task to
 * block, and the "shortserve" helper role. */
#include "ipct.h"

void regs_prepare(struct regs_frame *frame, uint64_t number, const uint64_t *args, uint64_t seed)
{
    *frame = (struct regs_frame){.number = number, .mxcsr = 0x1f80, .fcw = 0x37f};
    for (unsigned i = 0; i < 6; i++)
        frame->args[i] = args[i];
    uint64_t pattern = seed * 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < 6; i++)
        frame->keep[i] = pattern += 0x0101010101010101ull;
    for (unsigned i = 0; i < 16; i++)
        for (unsigned b = 0; b < 16; b++)
            frame->xmm[i][b] = (uint8_t)(pattern >> (b % 8 * 8)) ^ (uint8_t)(i * 17);
}

bool regs_kept(const struct regs_frame *frame)
{
    static const char *const names[] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
    bool same = CHECK(frame->out[REGS_RSP] == frame->rsp_before, "rsp changed");
    for (unsigned i = 0; i < 6; i++)
        same &=
            CHECK(frame->out[REGS_RBX + i] == frame->keep[i], "%s changed: %llx -> %llx", names[i],
                  (unsigned long long)frame->keep[i], (unsigned long long)frame->out[REGS_RBX + i]);
    same &= CHECK(frame->mxcsr_out == frame->mxcsr && frame->fcw_out == frame->fcw,
                  "MXCSR or the x87 control word changed");
    return same && CHECK(memcmp(frame->xmm, frame->xmm_out, sizeof frame->xmm) == 0,
                         "an xmm register changed");
}

/* Answers a message that is not short (or a notice) through the general path; false when
 * the server is gone. */
static bool serve_long(struct short_server *s)
{
    struct wg_message in, out = {0};
    struct wg_result token = wg_ipc_receive(WG_SELF, s->server, &in, 0);
    if (token.err == WG_ERR_WOULD_BLOCK)
        return true; /* another receiver took it */
    if (!wg_ok(token))
        return false;
    __atomic_fetch_add(&s->received_long, 1, __ATOMIC_RELAXED);
    message_drop_assets(&in);
    out.entries[0].value = in.entries[0].value + 1;
    if (token.value != 0)
        wg_ipc_reply(WG_SELF, s->server, token.value, &out);
    return true;
}

int64_t serve_short(uint64_t arg)
{
    struct short_server *s = (struct short_server *)arg;
    uint64_t token = 0, reply[WG_IPC_SHORT_WORDS] = {0}, in[WG_IPC_SHORT_WORDS];
    int64_t answered = 0;
    for (;;) {
        wg_handle connection;
        enum wg_error err = wg_ipc_reply_receive_words(s->server, &token, reply, in, &connection);
        if (err != WG_ERR_OK)
            return -(int64_t)err;
        if (connection == 0) {
            token = 0;
            if (!serve_long(s))
                return -1000;
            continue;
        }
        if (__atomic_fetch_add(&s->received, 1, __ATOMIC_RELAXED) == 0)
            s->received_at = wg_clock().value;
        if (s->delay)
            wg_sleep(s->delay);
        answered += token != 0;
        for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
            reply[i] = in[i] + i + 1;
        if (in[0] == 0) { /* the last: answered alone */
            struct wg_message last = {0};
            for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
                last.entries[i].value = reply[i];
            enum wg_error done = wg_ipc_reply(WG_SELF, s->server, token, &last).err;
            return done == WG_ERR_OK || done == WG_ERR_NOT_FOUND ? answered : -2000;
        }
    }
}

bool short_stop(wg_handle client)
{
    uint64_t words[WG_IPC_SHORT_WORDS] = {0}, reply[WG_IPC_SHORT_WORDS], long_id;
    return CHECK_CODE(WG_ERR_OK,
                      wg_ipc_call_words(client, words, 5 * SECOND_NS, reply, &long_id)) &&
           CHECK(reply[0] == 1 && long_id == 0, "the stop call answered %llu",
                 (unsigned long long)reply[0]);
}

enum wg_error short_call(wg_handle client, uint64_t w0, uint64_t timeout)
{
    uint64_t words[4] = {w0, 2, 3, 4}, reply[4] = {0}, long_id = 0;
    enum wg_error err = wg_ipc_call_words(client, words, timeout, reply, &long_id);
    bool right = reply[0] == w0 + 1 && reply[1] == 4 && reply[3] == 8 && long_id == 0;
    return err == WG_ERR_OK && !right ? WG_ERR_BAD_FORMAT : err;
}

int64_t short_call_forever(uint64_t arg)
{
    struct short_caller *caller = (struct short_caller *)arg;
    return short_call(caller->client, caller->w0, WG_WAIT_FOREVER);
}

uint64_t short_take(wg_handle server, uint64_t token, uint64_t w0, bool one_way)
{
    uint64_t reply[4] = {w0, w0, w0, w0}, words[4] = {0};
    wg_handle connection = 0;
    CHECK_CODE(WG_ERR_OK, wg_ipc_reply_receive_words(server, &token, reply, words, &connection));
    CHECK(connection != 0 && words[0] == w0 && (token == 0) == one_way,
          "received w0 %llu token %llu, expected w0 %llu", (unsigned long long)words[0],
          (unsigned long long)token, (unsigned long long)w0);
    return token;
}

void short_send(wg_handle client, uint64_t w0)
{
    struct wg_message message = {0};
    message.entries[0].value = w0;
    CHECK_OK(wg_ipc_send(WG_SELF, client, &message, 0));
}

bool task_wait_blocked(wg_handle task, uint64_t timeout_ns)
{
    static struct wg_task_info tasks[256];
    struct wg_asset_info info;
    if (!CHECK_OK(wg_asset_info(WG_SELF, task, &info)))
        return false;
    uint64_t deadline = wg_clock().value + timeout_ns;
    do {
        struct wg_result listed = wg_system_tasks(tasks, 256);
        for (uint64_t i = 0; wg_ok(listed) && i < listed.value; i++)
            if (tasks[i].id == info.address && tasks[i].state == 3)
                return true;
        wg_sleep(MS_NS);
    } while (wg_clock().value < deadline);
    return CHECK(false, "task %llu never blocked", (unsigned long long)info.address);
}

wg_handle short_helper_start(struct helper *helper, uint64_t delay)
{
    uint64_t address;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    wg_handle client = server ? VALUE(wg_ipc_connect(WG_SELF, address)) : 0;
    bool started = client && helper_create(helper);
    if (started) {
        uint64_t args[] = {helper_give(helper, server), delay};
        started = helper_role(helper, "shortserve", args, 2, 0);
    }
    if (server)
        CHECK_OK(wg_asset_release(WG_SELF, server));
    if (started && CHECK_OK(wg_ipc_wait_accept(WG_SELF, client, 5 * SECOND_NS)))
        return client;
    if (started)
        helper_end(helper);
    if (client)
        CHECK_OK(wg_asset_release(WG_SELF, client));
    return 0;
}

/* shortserve SERVER DELAY: accepts one connection, then serves it with serve_short (DELAY
 * ns before each answer) until it is destroyed or the server goes; exits with serve_short's
 * answer. */
int short_role(int argc, char **argv)
{
    static struct short_server s;
    s = (struct short_server){.server = argc > 3 ? helper_parse_hex(argv[3]) : 0,
                              .delay = argc > 4 ? helper_parse_hex(argv[4]) : 0};
    if (!wg_ok(wg_ipc_accept(WG_SELF, s.server, 5 * SECOND_NS)))
        return 1;
    return (int)serve_short((uint64_t)&s);
}
