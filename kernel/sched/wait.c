/* Wait queues and timeouts. Each CPU keeps its own queue of armed timed waits under its own
 * timer lock (struct cpu); a wait is armed on the CPU that runs wait_event(), and a tick
 * touches only its own CPU's queue, so no lock is shared by all ticks.
 * Lock order: a CPU's timer lock -> wait queue -> run queue; never two timer locks at once.
 * The timer is armed before the waiter takes the queue lock and disarmed after it wakes;
 * disarming under the timer lock also waits out a tick (or a kill) that is busy with this
 * wait. Only the waiter writes wait->timer_cpu, so it can disarm without a lookup.
 * A wait without a deadline (the common one: a server waiting for work, a call without a
 * timeout) is in no timer queue; only a kill can end it early, and `endless` is the
 * handshake between the two: armed by the waiter, claimed by the kill while it fires. */
#include "kernel/sched/wait.h"
#include "kernel/sched/wait_inline.h"
#include "kernel/panic.h"
#include "lib/container_of.h"
#include "kernel/sched/sched.h"

void wait_queue_init(struct wait_queue *queue)
{
    queue->lock = (struct spinlock)SPINLOCK_INIT;
    list_init(&queue->waiters);
}

void wait_link_init(struct wait_link *wait)
{
    list_init(&wait->link);
    wait->queue = NULL;
    timer_entry_init(&wait->timer);
    wait->timer_cpu = NULL;
    wait->timed_queue = NULL;
    wait->endless = WAIT_ENDLESS_OFF;
}

void wait_timers_init_cpu(struct cpu *cpu)
{
    cpu->timer_lock = (struct spinlock)SPINLOCK_INIT;
    timer_queue_init(&cpu->timers);
}

void wait_arm_deadline(struct wait_link *wait, uint64_t timeout_ns)
{
    uint64_t now = arch_clock_ns();
    uint64_t deadline = timeout_ns >= TIMER_NEVER - now ? TIMER_NEVER : now + timeout_ns;
    if (deadline == TIMER_NEVER) { /* too far to tell from never */
        __atomic_store_n(&wait->endless, WAIT_ENDLESS_ARMED, __ATOMIC_RELEASE);
        return;
    }
    uint64_t flags = arch_irq_save();
    struct cpu *cpu = this_cpu();
    spin_lock(&cpu->timer_lock);
    timer_queue_add(&cpu->timers, &wait->timer, deadline);
    __atomic_store_n(&wait->timer_cpu, cpu, __ATOMIC_RELAXED);
    spin_unlock(&cpu->timer_lock);
    arch_irq_restore(flags);
}

void wait_disarm_deadline(struct wait_link *wait, struct cpu *cpu)
{
    uint64_t flags = spin_lock_irqsave(&cpu->timer_lock);
    timer_queue_remove(&cpu->timers, &wait->timer);
    __atomic_store_n(&wait->timer_cpu, NULL, __ATOMIC_RELAXED);
    spin_unlock_irqrestore(&cpu->timer_lock, flags);
}

void wait_endless_fired(struct wait_link *wait)
{
    while (__atomic_load_n(&wait->endless, __ATOMIC_ACQUIRE) != WAIT_ENDLESS_OFF)
        arch_cpu_relax();
}

enum wg_error wait_not_blocked(struct wait_queue *queue, uint64_t flags, struct task *next)
{
    struct task *self = task_current();
    spin_unlock_irqrestore(&queue->lock, flags);
    if (next) /* never blocked: wake it as usual */
        sched_make_ready(next);
    return self->killed ? WG_ERR_KILLED : WG_ERR_TIMED_OUT;
}

/* Takes `task` off `queue` and makes it runnable. Caller holds queue->lock. */
static void wake_locked(struct task *task, bool timed_out)
{
    list_remove(&task->wait.link);
    task->wait.queue = NULL;
    task->wait.timed_out = timed_out;
    sched_make_ready(task);
}

static struct task *task_of_wait(struct wait_link *wait)
{
    return container_of(wait, struct task, wait);
}

/* Fires a timer just taken out of its queue: the waiter is either blocked on the queue (wake
 * it) or will see timer_fired under the queue lock before it blocks, since both sides take
 * that lock. Caller holds the timer lock of the CPU the timer was armed on (or, for an
 * endless wait, has claimed it: WAIT_ENDLESS_FIRING). */
static void timer_fire_locked(struct wait_link *wait)
{
    wait->timer_fired = true;
    struct wait_queue *queue = wait->timed_queue;
    spin_lock(&queue->lock);
    if (wait->queue == queue)
        wake_locked(task_of_wait(wait), true);
    spin_unlock(&queue->lock);
}

void wait_timers_tick(uint64_t now_ns)
{
    struct cpu *cpu = this_cpu();
    spin_lock(&cpu->timer_lock);
    struct timer_entry *entry;
    while ((entry = timer_queue_pop_expired(&cpu->timers, now_ns)))
        timer_fire_locked(container_of(entry, struct wait_link, timer));
    spin_unlock(&cpu->timer_lock);
}

/* The caller has set task->killed. The fence orders that store before the read of
 * timer_cpu: either the timer is seen armed here, or the waiter (whose arming is followed by
 * locked instructions before it reads `killed` under its queue lock) sees the kill. */
void wait_interrupt(struct task *task)
{
    struct wait_link *wait = &task->wait;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint64_t flags = arch_irq_save();
    uint32_t armed = WAIT_ENDLESS_ARMED;
    if (__atomic_compare_exchange_n(&wait->endless, &armed, WAIT_ENDLESS_FIRING, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        timer_fire_locked(wait); /* the FIRING state holds its disarm back, as a lock would */
        __atomic_store_n(&wait->endless, WAIT_ENDLESS_OFF, __ATOMIC_RELEASE);
        arch_irq_restore(flags);
        return;
    }
    for (;;) {
        struct cpu *cpu = __atomic_load_n(&wait->timer_cpu, __ATOMIC_RELAXED);
        if (!cpu)
            break; /* no wait in progress: a later one sees `killed` */
        spin_lock(&cpu->timer_lock);
        bool here = __atomic_load_n(&wait->timer_cpu, __ATOMIC_RELAXED) == cpu;
        if (here && timer_entry_armed(&wait->timer)) {
            timer_queue_remove(&cpu->timers, &wait->timer);
            timer_fire_locked(wait);
        }
        spin_unlock(&cpu->timer_lock);
        if (here)
            break; /* fired now, or already by its deadline */
    }
    arch_irq_restore(flags);
}

enum wg_error wait_event(struct wait_queue *queue, bool (*ready)(void *ctx), void *ctx,
                         uint64_t timeout_ns)
{
    return wait_event_to(queue, ready, ctx, timeout_ns, NULL);
}

enum wg_error wait_event_to(struct wait_queue *queue, bool (*ready)(void *ctx), void *ctx,
                            uint64_t timeout_ns, struct task *next)
{
    kassert(arch_irq_enabled());
    if (timeout_ns == 0) {
        uint64_t flags = spin_lock_irqsave(&queue->lock);
        bool ok = ready(ctx);
        spin_unlock_irqrestore(&queue->lock, flags);
        if (next)
            sched_make_ready(next);
        return ok ? WG_ERR_OK : WG_ERR_WOULD_BLOCK;
    }
    wait_arm(queue, timeout_ns);
    enum wg_error result = WG_ERR_OK;
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&queue->lock);
        if (ready(ctx)) {
            spin_unlock_irqrestore(&queue->lock, flags);
            if (next) /* the wait ended without blocking: wake it as usual */
                sched_make_ready(next);
            break;
        }
        result = wait_block_locked(queue, flags, next);
        next = NULL; /* spent by the first block (or woken) */
        if (result != WG_ERR_OK)
            break;
    }
    return wait_disarm(timeout_ns, result);
}

unsigned wait_queue_wake(struct wait_queue *queue, unsigned count)
{
    unsigned woken = 0;
    uint64_t flags = spin_lock_irqsave(&queue->lock);
    while (woken < count && !list_empty(&queue->waiters)) {
        struct wait_link *wait = list_entry(queue->waiters.next, struct wait_link, link);
        wake_locked(task_of_wait(wait), false);
        woken++;
    }
    spin_unlock_irqrestore(&queue->lock, flags);
    sched_preempt_point();
    return woken;
}

struct task *wait_queue_take(struct wait_queue *queue, uint64_t task_id)
{
    struct task *taken = NULL;
    uint64_t flags = spin_lock_irqsave(&queue->lock);
    struct task *first = wait_queue_first_locked(queue);
    if (first && wait_queue_alone_locked(queue, first) && (!task_id || first->id == task_id)) {
        wait_queue_take_locked(first); /* the one waiter, the common case */
        spin_unlock_irqrestore(&queue->lock, flags);
        return first;
    }
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &queue->waiters)
    {
        if (taken && task_id == 0)
            break; /* taking any one waiter wakes no other */
        struct task *task = task_of_wait(list_entry(node, struct wait_link, link));
        if (!taken && (task_id == 0 || task->id == task_id)) {
            wait_queue_take_locked(task);
            taken = task;
        } else if (task_id != 0) {
            wake_locked(task, false); /* the others of a wake-all */
        }
    }
    spin_unlock_irqrestore(&queue->lock, flags);
    return taken;
}

unsigned wait_queue_wake_all(struct wait_queue *queue)
{
    return wait_queue_wake(queue, UINT32_MAX);
}

static bool never(void *ctx)
{
    (void)ctx;
    return false;
}

void sleep_ns(uint64_t ns)
{
    struct wait_queue queue;
    wait_queue_init(&queue);
    if (ns > 0)
        wait_event(&queue, never, NULL, ns);
}
