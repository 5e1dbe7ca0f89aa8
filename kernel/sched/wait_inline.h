/* The wait-queue steps a lock holder takes inline on hot paths (IPC's short path): they
 * need struct task, which wait.h cannot see. The caller holds queue->lock. */
#pragma once

#include "kernel/sched/sched.h"
#include "kernel/sched/task.h"
#include "lib/container_of.h"

/* The oldest waiter, or NULL. */
static inline struct task *wait_queue_first_locked(struct wait_queue *queue)
{
    if (list_empty(&queue->waiters))
        return NULL;
    return container_of(queue->waiters.next, struct task, wait.link);
}

/* Whether `task` is the only waiter of `queue`. */
static inline bool wait_queue_alone_locked(struct wait_queue *queue, const struct task *task)
{
    return task->wait.link.next == &queue->waiters && task->wait.link.prev == &queue->waiters;
}

/* Takes a waiter off its queue without waking it (wait_queue_take): it is the caller's to
 * run or wake. */
static inline void wait_queue_take_locked(struct task *task)
{
    list_remove(&task->wait.link);
    task->wait.queue = NULL;
    task->wait.timed_out = false;
}

/* Waits that their callers put together, for a condition guarded by the caller's own lock
 * (IPC's short path: the server lock). wait_arm() first, before any lock is taken. Then each
 * time the condition is false under the caller's lock: take queue->lock (interrupts are
 * already off, `flags` being what the caller's lock saved), release the caller's lock and
 * call wait_block_locked(), which releases queue->lock and restores `flags`. It blocks once
 * (handing the CPU to `next` if not NULL, else `next` is woken) and returns WG_ERR_OK for
 * the caller to check again, or without blocking WG_ERR_KILLED or WG_ERR_TIMED_OUT. The
 * wait ends with wait_disarm(), which turns a "timeout" of a wait without one into KILLED.
 *
 * A wait without a deadline is in no timer queue and takes no lock: a kill finds it by
 * wait.endless (wait_interrupt); one with a deadline goes in this CPU's timer queue. */
static inline void wait_arm(struct wait_queue *queue, uint64_t timeout_ns)
{
    struct wait_link *wait = &task_current()->wait;
    wait->ended = 0;
    wait->timed_queue = queue;
    if (timeout_ns == WAIT_FOREVER) /* reads no clock either */
        __atomic_store_n(&wait->endless, WAIT_ENDLESS_ARMED, __ATOMIC_RELEASE);
    else
        wait_arm_deadline(wait, timeout_ns);
}

/* Disarms the current task's wait, waiting out a kill (or tick) busy firing it: the wait
 * queue may be gone once the waiter returns. */
static inline enum wg_error wait_disarm(uint64_t timeout_ns, enum wg_error result)
{
    struct wait_link *wait = &task_current()->wait;
    struct cpu *cpu = wait->timer_cpu;
    uint32_t armed = WAIT_ENDLESS_ARMED;
    if (cpu)
        wait_disarm_deadline(wait, cpu);
    else if (!__atomic_compare_exchange_n(&wait->endless, &armed, WAIT_ENDLESS_OFF, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        wait_endless_fired(wait);
    if (timeout_ns == WAIT_FOREVER && result == WG_ERR_TIMED_OUT) /* only a kill fires it */
        return WG_ERR_KILLED;
    return result;
}

static inline enum wg_error wait_block_locked(struct wait_queue *queue, uint64_t flags,
                                              struct task *next)
{
    struct task *self = task_current();
    if (self->killed || self->wait.ended)
        return wait_not_blocked(queue, flags, next);
    list_push_back(&queue->waiters, &self->wait.link);
    self->wait.queue = queue;
    self->state = TASK_BLOCKED;
    if (next)
        sched_block_to(&queue->lock, next);
    else
        sched_block(&queue->lock);
    arch_irq_restore(flags);
    return WG_ERR_OK;
}
