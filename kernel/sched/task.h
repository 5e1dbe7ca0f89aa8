/* Kernel tasks: a kernel stack with a guard page, saved registers and FPU state, a priority,
 * a CPU affinity, and an exit status others can wait for. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/arch.h"
#include "kernel/cpu_tree.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/runqueue.h"
#include "kernel/sched/wait.h"

#define TASK_NAME_MAX        24
#define TASK_PRIORITY_IDLE   0 /* only idle tasks; never queued */
#define TASK_PRIORITY_NORMAL 16
#define TASK_PRIORITY_MAX    (SCHED_PRIORITIES - 1)

struct space;
struct task;

enum task_state { TASK_NEW, TASK_READY, TASK_RUNNING, TASK_BLOCKED, TASK_DEAD };

struct task {
    uint8_t fpu_state[ARCH_FPU_STATE_SIZE] __attribute__((aligned(ARCH_FPU_STATE_ALIGN)));
    uint64_t id;
    char name[TASK_NAME_MAX];
    volatile enum task_state state;
    uint8_t priority;
    cpu_mask_t affinity;
    volatile unsigned cpu; /* where it runs, is queued, or last ran */
    struct runqueue_entry rq_entry;
    uint64_t saved_rsp;
    struct kstack stack;
    void (*entry)(void *arg);
    void *arg;

    struct wait_link wait; /* what it is blocked on, if anything */

    /* IPC's short path (kernel/ipc/ipc_short.c), guarded by the lock of the server the task
     * receives from: a caller writes its message straight to a receiver parked there, and a
     * replier its reply straight to a caller it takes off the queue. */
    struct {
        bool parked;    /* waiting in IPC_REPLY_RECEIVE_SHORT */
        bool delivered; /* a caller wrote a message to `out` */
        void *out;      /* while blocked: its struct ipc_short_message or _reply */
    } ipc;

    volatile int refs; /* the creator's reference + one while it can still run */
    volatile bool exited;
    int64_t exit_status;
    struct wait_queue exit_waiters;
    struct task *reap_next;

    volatile cpu_mask_t ran_on; /* every CPU it has run on (tests, ps) */
    uint64_t switches_in;

    /* User tasks: the space they belong to (a reference) and where they start. */
    struct space *space;         /* while it runs in it; NULL once it has left */
    struct space *home;          /* where it was created: a reference until it is freed */
    struct list_node space_link; /* in space->tasks; guarded by the space lock */
    union {                      /* what every syscall's exit checks, with one load */
        struct {
            volatile bool killed;    /* leave at the next kernel exit; waits return KILLED */
            volatile bool suspended; /* parked at its next return to user mode until resumed */
        };
        volatile uint16_t attention;
    };
    volatile bool started; /* TASK_START was done (user tasks start once) */
    uint64_t user_entry, user_stack, user_arg0, user_arg1;
    uint64_t user_arg2;        /* rdx at the first entry (EXEC's startup value) */
    struct list_node all_link; /* every task, for SYSTEM_TASKS (ps) */

    /* Set by kernel/space (space_task.c) when it puts a user task in a space, so that the
     * scheduler treats the space as opaque: how the task leaves it, what a switch loads. */
    const struct task_space_ops *space_ops;
    uint64_t space_root;             /* the space's page-table root */
    uint8_t *const *space_io_bitmap; /* where the space keeps its I/O bitmap (it may change) */
};

/* What the scheduler asks of a user task's space: kernel/space sets it when it puts the task in
 * a space (task_create_user), so the scheduler includes nothing of space. */
struct task_space_ops {
    /* The task leaves `space` for good (it exits): unlink it and drop its reference. */
    void (*leave)(struct space *space, struct task *task);
    /* The task is freed: drop the reference to `home`, the space it was created in. */
    void (*release)(struct space *home);
};

struct task_params {
    const char *name;
    void (*entry)(void *arg);
    void *arg;
    uint8_t priority;    /* 1..TASK_PRIORITY_MAX; 0 means TASK_PRIORITY_NORMAL */
    cpu_mask_t affinity; /* 0 means every CPU */
};

struct task_result {
    enum wg_error err;
    struct task *task;
};

/* Creates a task that has not started; the caller holds one reference (task_put). */
struct task_result task_create(const struct task_params *params);
/* Makes a new task runnable on the best allowed CPU. */
void task_start(struct task *task);
__attribute__((noreturn)) void task_exit(int64_t status);
/* Waits until `task` has exited (timeout in ns, WAIT_FOREVER, or 0 to poll). */
enum wg_error task_join(struct task *task, uint64_t timeout_ns, int64_t *status);
void task_get(struct task *task);
void task_put(struct task *task);

enum wg_error task_set_priority(struct task *task, unsigned priority);
enum wg_error task_set_affinity(struct task *task, cpu_mask_t affinity);

/* One load through the arch's per-CPU block (the scheduler stores it at every switch). */
static inline struct task *task_current(void)
{
    return arch_current_task();
}
/* Counts the boot flow's task, which is not made by task_create but is freed like one. */
void task_count_boot_task(struct task *boot);
/* Calls fn for every task alive, under the task-list lock (fn must not block). */
void task_for_each(void (*fn)(void *ctx, const struct task *task), void *ctx);
/* Number of tasks alive (created and not yet freed), for leak checks. */
uint64_t task_count(void);
/* Frees tasks whose last reference went away while switching; needs interrupts on. */
void task_reap(void);

/* Creates a task, not started and in no space yet, that enters user mode at `entry` with the
 * stack pointer `stack` and arguments in the first two argument registers (kernel/space's
 * task_create_user puts it in a space). */
struct task_result task_create_user_mode(uint64_t entry, uint64_t stack, uint64_t arg0,
                                         uint64_t arg1);
/* Asks a task to die: it leaves at its next return to user mode or blocking wait. */
void task_kill(struct task *task);
/* Stops a user task at its next return to user mode (a running one is interrupted), until
 * task_resume; a kill still ends it. A task blocked in a syscall finishes the call first. */
void task_suspend(struct task *task);
void task_resume(struct task *task);
/* Called on the way back to user mode: parks while suspended, exits if killed. */
void task_check_killed(void);
/* Whether task_check_killed() has anything to do for `task` (the cheap test first). */
static inline bool task_needs_attention(const struct task *task)
{
    return task->attention != 0;
}
/* task_first_run and task_fault_exit are called by the arch layer: see kernel/arch.h. */
