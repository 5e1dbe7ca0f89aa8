/* The wait-queue steps a lock holder takes inline on hot paths (IPC's short path): they
 * need struct task, which wait.h cannot see. The caller holds queue->lock. */
#pragma once

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
