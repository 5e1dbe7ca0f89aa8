/* ipctest's shared header: the test library, the test lists (one per file), IPC helpers
 * (server/client pairs, messages) and helper-process roles: ipctest itself run as
 * "ipctest helper ROLE ARGS..." (roles.c). */
#pragma once

#include <test/regs.h>
#include <test/test.h>

/* The test lists, one per file. */
extern const struct test transfer_tests[], wait_tests[], flood_tests[], lifetime_tests[],
    name_tests[], error_tests[], limit_tests[], fastpath_tests[], short_tests[], short_end_tests[],
    short_death_tests[], short_error_tests[], short_load_tests[], short_flood_tests[],
    short_storm_tests[];

uint64_t cpu_count(void);
/* An affinity mask with only `cpu`. */
static inline uint64_t cpu_bit(unsigned cpu)
{
    return 1ull << cpu;
}

/* helper_exec of "ipctest helper ROLE" with `args` in hex after the role. */
bool helper_role(struct helper *helper, const char *role, const uint64_t *args, int count,
                 uint64_t cpu_mask);

/* A server of ours with one client connection, accepted. */
struct pair {
    wg_handle server, client, accepted;
    uint64_t address;
};

bool pair_open(struct pair *pair);
/* Releases whichever handles are set. */
void pair_close(struct pair *pair);
/* A message whose entries hold base, base + 1, ... (values only). */
struct wg_message message_of(uint64_t base);
/* Releases every asset a received message carries. */
void message_drop_assets(const struct wg_message *message);

/* Runs a helper role: argv[0] "ipctest", argv[1] "helper", argv[2] the role. */
int role_main(int argc, char **argv);
/* The "flood" role (t_flood.c). */
int flood_role(int argc, char **argv);
/* The "selfspin" role (t_flood.c). */
int self_role(int argc, char **argv);

/* ---- short_util.c: for the short-message tests (t_short*.c) ---- */

/* Fills a frame for regs_syscall (test/regs.h): syscall `number` with args (6, in the ABI's
 * order) and patterns from `seed` in the registers the ABI keeps. */
void regs_prepare(struct regs_frame *frame, uint64_t number, const uint64_t *args, uint64_t seed);
/* Checks (failures recorded) that rbx, rbp, r12-r15, rsp, MXCSR, the x87 control word and
 * xmm0-15 came back unchanged. */
bool regs_kept(const struct regs_frame *frame);

/* A server thread (serve_short): answers each short call with words w0 + 1, w1 + 2, w2 + 3,
 * w3 + 4 through IPC_REPLY_RECEIVE_SHORT, other messages through IPC_RECEIVE and IPC_REPLY
 * (entry 0 + 1), until a short message with w0 == 0, answered alone. Sleeps `delay` ns
 * before answering. Returns the number of short calls answered, or a negative error. */
struct short_server {
    wg_handle server;
    uint64_t delay;
    volatile uint64_t received;      /* short messages */
    volatile uint64_t received_long; /* the others, notices included */
    volatile uint64_t received_at;   /* clock when the first short one arrived */
};
int64_t serve_short(uint64_t arg);
/* The short call that ends serve_short; false (and a failure) if it is not answered. */
bool short_stop(wg_handle client);
/* A short call of w0, 2, 3, 4; its error, BAD_FORMAT for an answer other than serve_short's
 * (no check recorded: threads use it too). */
enum wg_error short_call(wg_handle client, uint64_t w0, uint64_t timeout);
/* A thread body: short_call(client, w0) with no timeout; the error is the exit status. */
struct short_caller {
    wg_handle client;
    uint64_t w0;
};
int64_t short_call_forever(uint64_t arg);
/* One IPC_REPLY_RECEIVE_SHORT step on `server` (replying to `token`) while a short message
 * is queued: checks it is w0 and one-way or not; returns its token. */
uint64_t short_take(wg_handle server, uint64_t token, uint64_t w0, bool one_way);
/* A one-way short message of w0 (IPC_SEND). */
void short_send(wg_handle client, uint64_t w0);
/* Waits until `task` (ours) is blocked; false (and a failure) after timeout_ns. */
bool task_wait_blocked(wg_handle task, uint64_t timeout_ns);
/* A "shortserve" helper (serve_short, `delay` ns over each call) holding the only handle of
 * a new server; our client connection to it, accepted (0, a failure and nothing left if a
 * step fails: the helper is then ended). */
wg_handle short_helper_start(struct helper *helper, uint64_t delay);
/* The "shortserve" role. */
int short_role(int argc, char **argv);
