/* sysfuzz: a seeded, reproducible syscall fuzzer (docs/testing.md, "The syscall fuzzer").
 * One program in three modes: the campaign (runs seeds one after another, each in a child
 * space it destroys, and checks the system's counts after each), the worker (one seed's
 * calls, in that child space) and roles (small programs the worker EXECs into its own
 * children). Every call goes through raw_call (raw.c), which checks the oracles. */
#pragma once

#include <wingos.h>

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull

/* Where the worker maps memory: its scratch mappings, and one page whose successor is never
 * mapped (pointers straddling into unmapped memory). */
#define FUZZ_MAP_BASE 0x0000500000000000ull
#define FUZZ_MAP_SPAN 0x0000000040000000ull
#define FUZZ_EDGE     (FUZZ_MAP_BASE + FUZZ_MAP_SPAN)

/* ---- rng.c: xorshift64* seeded through splitmix64 ---- */
struct rng {
    uint64_t state;
};
void rng_seed(struct rng *rng, uint64_t seed);
uint64_t rng_next(struct rng *rng);
uint64_t rng_below(struct rng *rng, uint64_t bound); /* 0 .. bound-1 (bound > 0) */
bool rng_chance(struct rng *rng, unsigned percent);

/* ---- raw.c: one syscall with every oracle ---- */
struct raw_result {
    enum wg_error err;
    uint64_t value;
};
/* Issues syscall `number` with `args`, known patterns in every preserved general register,
 * xmm0-15, MXCSR and the x87 control word, and checks afterwards: the error is in the list,
 * the value 0 on error, every preserved register unchanged. A broken oracle is reported
 * (fuzz_fail) with the call. */
struct raw_result raw_call(uint64_t number, const uint64_t args[6]);
struct raw_result raw_call6(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4, uint64_t a5);
/* The registers the main task's last call returned with: rax, rdx, rdi, rsi, r10, r8, r9
 * (the short-message syscalls answer in the argument registers). */
const uint64_t *raw_answer(void);

/* ---- worker.c: the seed's state and reporting ---- */
struct fuzz {
    struct rng rng;
    uint64_t seed;
    bool log;
    uint64_t calls;    /* syscalls issued by the worker's main task */
    uint64_t failures; /* broken oracles */
    uint64_t number;   /* the number of the call being made (for reports) */
};
extern struct fuzz fuzz;

/* Reports a broken oracle of the current call. */
void fuzz_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Protected handles of the worker's own space (its code, data, stack, own tasks): no fuzzed
 * call may release, move or kill them, or the worker would only be hurting itself. */
void protect_add(wg_handle handle);
bool protect_has(wg_handle handle);

/* ---- pool.c: the assets a seed made, by kind ---- */
enum pool_kind {
    POOL_SPACE,  /* a child (or deeper) space, named from our own space */
    POOL_SHARED, /* a child space sharing our memory: tasks there may run our code */
    POOL_PMEM,
    POOL_VMEM,
    POOL_TASK,
    POOL_SERVER,
    POOL_CONNECTION, /* client end */
    POOL_ACCEPTED,   /* server end */
    POOL_OTHER,      /* anything else given to us (TASK_SELF, reduced copies...) */
    POOL_KINDS
};
#define POOL_SIZE 48
struct pool_entry {
    wg_handle handle; /* in our own space; 0: empty */
    uint64_t extra;   /* server: its address; task: its stack slot + 1 */
};
void pool_reset(void);
void pool_put(enum pool_kind kind, wg_handle handle, uint64_t extra);
/* A random live entry of `kind`, or NULL. */
struct pool_entry *pool_pick(enum pool_kind kind);
struct pool_entry *pool_find(enum pool_kind kind, wg_handle handle);
/* Forgets an entry (its handle becomes one of the stale handles). */
void pool_drop(struct pool_entry *entry);
/* A handle for an argument: live of any kind, stale, forged, reserved bits, 0, random. */
wg_handle pool_any_handle(void);
/* A space argument: WG_SELF mostly, else a pool space or a hostile handle. */
wg_handle pool_any_space(void);
/* The address of one of our servers, or one that cannot be anyone else's (for CONNECT). */
uint64_t pool_server_address(void);
extern uint64_t pool_first_address; /* our first server's; lower ones belong to others */

/* ---- args.c: hostile arguments ---- */
enum ptr_use { PTR_OUT, PTR_IN_MSG, PTR_IN_BYTES, PTR_IN_EXEC };
/* A pointer for a `size`-byte argument used as `use`: valid, misaligned, straddling into
 * unmapped memory, read-only, kernel half, non-canonical, unmapped, NULL. Inputs are filled
 * with something sensible or hostile first. */
uint64_t args_pointer(enum ptr_use use, uint64_t size);
/* A number: boundary values, small, random 64-bit. */
uint64_t args_number(void);
/* A timeout that never blocks for long (at most 2 ms). */
uint64_t args_timeout(void);
/* Fills `message` with entries: values, assets (copied, moved, restricted) and bad flags. */
void args_message(struct wg_message *message);
/* Sets up the read-only and edge pages; checks that the read-only page is untouched. */
void args_init(void);
void args_check_readonly(void);
extern uint8_t args_scratch[4 * 4096];

/* ---- calls.c: a random syscall with hostile arguments ---- */
void calls_random(void);

/* ---- ops*.c: stateful sequences ---- */
void ops_step(void);
void ops_end(void);
/* ops_short.c: short messages end to end on a private server. */
void op_short(void);

/* ---- roles.c: what tasks and EXEC'd children run ---- */
#define ROLE_STACKS 16
/* A task running `role` (ROLE_*) on a stack slot; false if no slot is free. */
enum role {
    ROLE_SLEEP,
    ROLE_SPIN,
    ROLE_EXIT,
    ROLE_FAULT,
    ROLE_FPU,
    ROLE_SERVE,
    ROLE_SERVE_SHORT,
    ROLES
};
bool roles_task(wg_handle space, enum role role, uint64_t arg, wg_handle *task, int *slot);
void roles_slot_free(int slot);
/* The background task that checks FPU/SSE state across switches; its failures at the end. */
void roles_noise_start(void);
uint64_t roles_noise_stop(void);
/* The entry of `sysfuzz role NAME` (EXEC'd into a child space). */
int roles_main(int argc, char **argv);

/* ---- worker.c / campaign.c ---- */
int64_t worker_main(uint64_t seed, uint64_t iters, bool log);
int campaign_main(int argc, char **argv);
uint64_t fuzz_word(int argc, char **argv, const char *name, uint64_t fallback);
