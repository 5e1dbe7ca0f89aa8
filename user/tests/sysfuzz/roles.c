/* What the seed's other tasks run: threads of the worker on stacks from a fixed pool (tasks in
 * our space or in children sharing our memory), the FPU/SSE noise task, and `sysfuzz role
 * NAME`, EXEC'd into children with their own address space. */
#include "sysfuzz.h"

#define STACK_SIZE 8192
#define SLOTS      (ROLE_STACKS + 1) /* the last one is the noise task's */

static uint8_t stacks[SLOTS][STACK_SIZE] __attribute__((aligned(16)));
static bool slot_used[SLOTS];
static struct {
    enum role role;
    uint64_t arg;
} boots[SLOTS];
static volatile bool noise_stop;
static wg_handle noise_task;

uint64_t raw_noise_call(struct rng *rng, uint64_t number, uint64_t arg);

__asm__(".text\n.globl roles_fault_entry\n.type roles_fault_entry, @function\n"
        "roles_fault_entry:\nud2\n.size roles_fault_entry, . - roles_fault_entry\n");

/* Checks its own registers across yields, sleeps and preemption while the main task runs
 * with other values in them. */
static int64_t noise_body(uint64_t seed)
{
    struct rng rng;
    int64_t failures = 0;
    rng_seed(&rng, seed);
    while (!noise_stop) {
        uint64_t pick = rng_below(&rng, 4);
        uint64_t number = pick == 0 ? WG_SYS_SLEEP : pick == 1 ? WG_SYS_YIELD : WG_SYS_NULL_CALL;
        failures += (int64_t)raw_noise_call(&rng, number, 1000 * rng_below(&rng, 200));
    }
    return failures;
}

/* A server's loop: receives and replies (with the assets it got, copied back) until the
 * server goes away. */
static int64_t serve_body(wg_handle server, int me)
{
    static struct wg_message in[SLOTS];
    for (;;) {
        struct wg_result token = wg_ipc_receive(WG_SELF, server, &in[me], 5 * MS_NS);
        if (token.err == WG_ERR_TIMED_OUT || token.err == WG_ERR_WOULD_BLOCK)
            continue;
        if (!wg_ok(token))
            return 0;
        if (token.value != 0)
            wg_ipc_reply(WG_SELF, server, token.value, &in[me]);
    }
}

/* The same through IPC_REPLY_RECEIVE_SHORT (waiting for ever; the words echoed), with
 * IPC_RECEIVE for what is not short. */
static int64_t serve_short_body(wg_handle server, int me)
{
    static struct wg_message in[SLOTS];
    uint64_t token = 0, words[WG_IPC_SHORT_WORDS] = {0};
    for (;;) {
        wg_handle connection;
        if (wg_ipc_reply_receive_words(server, &token, words, words, &connection) != WG_ERR_OK)
            return 0;
        if (connection != 0)
            continue;
        struct wg_result got = wg_ipc_receive(WG_SELF, server, &in[me], 0);
        if (wg_ok(got) && got.value != 0)
            wg_ipc_reply(WG_SELF, server, got.value, &in[me]);
        token = 0;
    }
}

static int64_t run_role(enum role role, uint64_t arg, int slot)
{
    switch (role) {
    case ROLE_SLEEP:
        wg_sleep(UINT64_MAX);
        return 0;
    case ROLE_SPIN:
        for (uint64_t i = 0;; i++)
            if (i % 100000 == 0)
                wg_yield();
    case ROLE_EXIT:
        return (int64_t)arg;
    case ROLE_FAULT:
        __asm__ volatile("ud2");
        return 0;
    case ROLE_FPU:
        return noise_body(arg);
    case ROLE_SERVE:
        return serve_body(arg, slot);
    case ROLE_SERVE_SHORT:
        return serve_short_body(arg, slot);
    default:
        return 0;
    }
}

__attribute__((noreturn)) static void role_entry(uint64_t slot)
{
    wg_task_exit(run_role(boots[slot].role, boots[slot].arg, (int)slot));
}

static bool task_on_slot(wg_handle space, int slot, enum role role, uint64_t arg, wg_handle *task)
{
    boots[slot].role = role;
    boots[slot].arg = arg;
    uint64_t stack = (uint64_t)stacks[slot] + STACK_SIZE - 8;
    struct raw_result made =
        raw_call6(WG_SYS_TASK_CREATE, space, (uint64_t)role_entry, stack, (uint64_t)slot, 0, 0);
    *task = made.value;
    return made.err == WG_ERR_OK;
}

bool roles_task(wg_handle space, enum role role, uint64_t arg, wg_handle *task, int *slot)
{
    *slot = -1;
    for (int i = 0; i < ROLE_STACKS; i++)
        if (!slot_used[i]) {
            *slot = i;
            break;
        }
    if (*slot < 0)
        return false;
    slot_used[*slot] = true;
    if (task_on_slot(space, *slot, role, arg, task))
        return true;
    slot_used[*slot] = false;
    *slot = -1;
    return false;
}

void roles_slot_free(int slot)
{
    if (slot >= 0 && slot < ROLE_STACKS)
        slot_used[slot] = false;
}

void roles_noise_start(void)
{
    noise_stop = false;
    if (!task_on_slot(WG_SELF, SLOTS - 1, ROLE_FPU, rng_next(&fuzz.rng), &noise_task)) {
        fuzz_fail("cannot create the noise task");
        return;
    }
    protect_add(noise_task);
    raw_call6(WG_SYS_TASK_START, WG_SELF, noise_task, 0, 0, 0, 0);
}

uint64_t roles_noise_stop(void)
{
    noise_stop = true;
    struct raw_result status =
        raw_call6(WG_SYS_TASK_WAIT, WG_SELF, noise_task, 5 * SECOND_NS, 0, 0, 0);
    if (status.err != WG_ERR_OK) {
        fuzz_fail("the noise task did not end: %s", wg_error_name(status.err));
        return 0;
    }
    return status.value;
}

int roles_main(int argc, char **argv)
{
    static const char *const names[ROLES] = {"sleep", "spin", "exit", "fault"};
    for (int r = 0; argc > 2 && r < ROLE_FPU; r++)
        if (strcmp(argv[2], names[r]) == 0)
            return (int)run_role((enum role)r, 3, 0);
    return 2;
}
