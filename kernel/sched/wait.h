/* Wait queues with timeouts. A waiter states the condition it waits for; the condition is
 * re-checked under the queue's lock before blocking, and a waker changes the state before it
 * calls wait_queue_wake(), which takes the same lock: no wakeup is lost, on any CPU. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#include "lib/list.h"
#include "kernel/sched/timer_queue.h"
#include "kernel/sync/spinlock.h"

#define WAIT_FOREVER UINT64_MAX

struct task;
struct cpu;

struct wait_queue {
    struct spinlock lock;
    struct list_node waiters;
};

/* Per-task bookkeeping of a wait in progress (lives in struct task). */
struct wait_link {
    struct list_node link;    /* in the queue's waiters */
    struct wait_queue *queue; /* non-NULL while queued; guarded by queue->lock */
    union {                   /* both cleared, and both tested, with one access */
        struct {
            bool timed_out;            /* woken by its timer (or a kill) */
            volatile bool timer_fired; /* its timer fired (it may not have slept yet) */
        };
        volatile uint16_t ended;
    };
    struct timer_entry timer;       /* in timer_cpu's timer queue while armed */
    struct cpu *timer_cpu;          /* whose queue holds the timer; set by the waiter only */
    struct wait_queue *timed_queue; /* the queue the timed wait is on */
    /* A wait without a deadline is in no timer queue: a kill finds it by this word, which
     * it moves from WAIT_ENDLESS_ARMED to _FIRING while it wakes the waiter. */
    volatile uint32_t endless;
};

enum { WAIT_ENDLESS_OFF, WAIT_ENDLESS_ARMED, WAIT_ENDLESS_FIRING };

void wait_queue_init(struct wait_queue *queue);

/* Blocks the current task until ready(ctx) is true (checked under the queue lock), or the
 * timeout (ns from now; 0 = just check; WAIT_FOREVER) passes: WG_ERR_OK or WG_ERR_TIMED_OUT
 * (WG_ERR_WOULD_BLOCK for a zero timeout), or WG_ERR_KILLED once the task is killed. */
enum wg_error wait_event(struct wait_queue *queue, bool (*ready)(void *ctx), void *ctx,
                         uint64_t timeout_ns);

/* wait_event, but the first time it blocks it hands the CPU straight to `next` (a task
 * taken with wait_queue_take; sched_block_to); if it never blocks, `next` is woken. */
enum wg_error wait_event_to(struct wait_queue *queue, bool (*ready)(void *ctx), void *ctx,
                            uint64_t timeout_ns, struct task *next);

/* Waits that their callers put together, for a condition guarded by the caller's own lock:
 * wait_arm / wait_block_locked / wait_disarm, inline in wait_inline.h. Their out-of-line
 * parts: */
void wait_arm_deadline(struct wait_link *wait, uint64_t timeout_ns);
void wait_disarm_deadline(struct wait_link *wait, struct cpu *cpu);
void wait_endless_fired(struct wait_link *wait); /* waits out a kill firing the wait */
enum wg_error wait_not_blocked(struct wait_queue *queue, uint64_t flags, struct task *next);

/* Takes a waiter off `queue` without waking it, for the caller to hand the CPU to
 * (wait_event_to) or to wake (sched_make_ready): one of the two must follow. With task_id 0
 * the oldest waiter; else the waiter of that id, every other waiter being woken (a wake-all
 * that keeps one back). NULL if there is none. */
struct task *wait_queue_take(struct wait_queue *queue, uint64_t task_id);

/* Wakes up to `count` waiters, oldest first; returns how many. */
unsigned wait_queue_wake(struct wait_queue *queue, unsigned count);
unsigned wait_queue_wake_all(struct wait_queue *queue);

/* Sleeps for at least `ns` nanoseconds. */
void sleep_ns(uint64_t ns);

/* Ends the task's current wait, if any, as if its timeout had passed (used by kill). */
void wait_interrupt(struct task *task);

/* wait_timers_tick (every tick) is called by the arch layer: declared in kernel/arch.h. */

/* Sets up a CPU's timer queue and its lock (before the CPU ticks). */
void wait_timers_init_cpu(struct cpu *cpu);

/* Readies a task's wait bookkeeping (at creation). */
void wait_link_init(struct wait_link *wait);
