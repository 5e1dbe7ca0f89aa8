/* What the short-message tests (t_short*.c) share: a syscall issued with known values in
 * every register and all of them read back afterwards, a server thread that answers short
 * calls through IPC_REPLY_RECEIVE_SHORT, waiting for a task to block, and the "shortserve"
 * helper role. */
#include "ipct.h"

_Static_assert(__builtin_offsetof(struct regs_frame, keep) == 56, "regs_syscall's offsets");
_Static_assert(__builtin_offsetof(struct regs_frame, out) == 104, "regs_syscall's offsets");
_Static_assert(__builtin_offsetof(struct regs_frame, kept) == 160, "regs_syscall's offsets");
_Static_assert(__builtin_offsetof(struct regs_frame, rsp_before) == 208, "regs_syscall's offsets");

/* rbx, rbp and r12-r15 are loaded from `keep` and stored to `kept` (then restored for C);
 * rcx, free after `syscall`, points at the frame again. */
__asm__(".text\n"
        ".globl regs_syscall\n"
        ".type regs_syscall, @function\n"
        "regs_syscall:\n"
        "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
        "push %rdi\n"
        "mov %rsp, 208(%rdi)\n"
        "mov 56(%rdi), %rbx\nmov 64(%rdi), %rbp\nmov 72(%rdi), %r12\n"
        "mov 80(%rdi), %r13\nmov 88(%rdi), %r14\nmov 96(%rdi), %r15\n"
        "mov 0(%rdi), %rax\nmov 16(%rdi), %rsi\nmov 24(%rdi), %rdx\n"
        "mov 32(%rdi), %r10\nmov 40(%rdi), %r8\nmov 48(%rdi), %r9\n"
        "mov 8(%rdi), %rdi\n"
        "syscall\n"
        "mov (%rsp), %rcx\n"
        "mov %rax, 104(%rcx)\nmov %rdi, 112(%rcx)\nmov %rsi, 120(%rcx)\n"
        "mov %rdx, 128(%rcx)\nmov %r10, 136(%rcx)\nmov %r8, 144(%rcx)\nmov %r9, 152(%rcx)\n"
        "mov %rbx, 160(%rcx)\nmov %rbp, 168(%rcx)\nmov %r12, 176(%rcx)\n"
        "mov %r13, 184(%rcx)\nmov %r14, 192(%rcx)\nmov %r15, 200(%rcx)\n"
        "mov %rsp, 216(%rcx)\n"
        "pop %rdi\n"
        "pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\n"
        "ret\n"
        ".size regs_syscall, . - regs_syscall\n");

void regs_prepare(struct regs_frame *frame, uint64_t number, const uint64_t *args, uint64_t seed)
{
    *frame = (struct regs_frame){0};
    frame->in[REG_RAX] = number;
    for (unsigned i = 0; i < 6; i++)
        frame->in[REG_RDI + i] = args[i];
    for (unsigned i = 0; i < 6; i++)
        frame->keep[i] = seed * 0x9e3779b97f4a7c15ull + i * 0x0101010101010101ull;
}

bool regs_kept(const struct regs_frame *frame)
{
    static const char *const names[] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
    bool same = CHECK(frame->rsp_after == frame->rsp_before, "rsp changed");
    for (unsigned i = 0; i < 6; i++)
        same &= CHECK(frame->kept[i] == frame->keep[i], "%s changed: %llx -> %llx", names[i],
                      (unsigned long long)frame->keep[i], (unsigned long long)frame->kept[i]);
    return same;
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
