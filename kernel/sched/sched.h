/* The scheduler: per-CPU run queues of priority levels, round robin within a level, time
 * slices, preemption by higher priorities (IPI when remote), placement and work stealing
 * through the CPU tree (docs/scheduler.md). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched/cpu.h"
#include "kernel/sched/task.h"

#define SCHED_SLICE_TICKS 10

/* Sets up the boot CPU's scheduler state, turning the boot flow into its first task. */
void sched_init_boot_cpu(void);
/* Sets up a CPU's run queue, timers and idle task before it starts (cpu_start_others). */
void sched_prepare_cpu(struct cpu *cpu);
/* sched_run_idle, sched_tick and sched_interrupt_exit are called by the arch layer: declared
 * in kernel/arch.h. */

/* Gives up the CPU: the current task goes behind the others of its priority. */
void sched_yield(void);
/* Blocks the current task (state already set to TASK_BLOCKED by the caller, who holds
 * `held` with interrupts off); `held` is released once the task is off the CPU. */
void sched_block(struct spinlock *held);
/* The same, handing this CPU straight to `next`: a blocked task the caller took off a wait
 * queue (wait_queue_take) and would otherwise wake. It runs here at once, with the rest of
 * the slice, when it may run on this CPU and no waiting task here has a higher priority;
 * else it is woken as usual. Either way it is not lost. */
void sched_block_to(struct spinlock *held, struct task *next);
/* Makes a blocked or new task runnable on the best CPU; preempts there if it should. */
void sched_make_ready(struct task *task);
/* Queues a ready task on `cpu`, whose run-queue lock the caller holds. */
void sched_enqueue_locked(struct cpu *cpu, struct task *task);
/* Re-places a running or queued task after an affinity or priority change. */
void sched_requeue(struct task *task);
/* Reschedules now if this CPU was asked to and interrupts are on. */
void sched_preempt_point(void);

/* finish_switch(): run by the task that starts or resumes after a switch. */
void sched_finish_switch(void);
