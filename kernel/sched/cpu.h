/* Per-CPU state of the generic kernel (the machine's CPU tree is kernel/platform.h's). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/platform.h"
#include "kernel/sched/runqueue.h"
#include "kernel/sched/timer_queue.h"
#include "kernel/sync/spinlock.h"

#define MAX_CPUS CPU_TREE_MAX_CPUS
_Static_assert(MAX_CPUS <= ARCH_MAX_CPUS, "the arch keeps per-CPU state for every CPU");

struct task;

struct cpu {
    unsigned index; /* dense, 0 = boot CPU */
    uint32_t apic_id;
    unsigned node;
    volatile bool online;

    struct spinlock rq_lock; /* guards rq, current's switch and the fields below */
    struct runqueue rq;
    struct task *current;
    struct task *idle;
    volatile unsigned load;        /* runnable tasks here, the running one included */
    volatile bool need_resched;    /* set by ticks and wakers; acted on at a safe point */
    unsigned slice_left;           /* ticks left in the current task's time slice */
    struct task *switched_from;    /* for finish_switch() */
    struct spinlock *unlock_after; /* a wait-queue lock to drop once off the old stack */
    struct task *migrate_after;    /* a task to re-place once its context is saved */
    uint64_t ticks;
    uint64_t context_switches;

    struct spinlock timer_lock; /* guards timers (taken by this CPU's tick, and by cancels) */
    struct timer_queue timers;  /* timed waits armed on this CPU (kernel/sched/wait.c) */
};

extern struct cpu cpus[MAX_CPUS];
extern unsigned cpu_count;

/* Makes cpus[] from the platform's machine_tree (after platform_assign_cpus). */
void cpu_init_all(void);
/* Starts every other CPU of the tree, each in its idle loop, through the arch; a CPU that
 * does not start stays offline. Needs the scheduler and kernel stacks. */
void cpu_start_others(void);
/* cpu_block and cpu_request_resched are called by the arch layer: see kernel/arch.h. */

static inline struct cpu *this_cpu(void)
{
    return arch_this_cpu();
}
