/* Wait queues and timeouts. Timed waits sit in one deadline-sorted list; the tick handler
 * wakes expired ones. Lock order: timer list -> wait queue -> run queue. The timer is armed
 * before the waiter takes the queue lock and disarmed after it wakes; disarming under the
 * timer lock also waits out a tick handler that is busy with this wait. */
#include "kernel/sched/wait.h"
#include "kernel/panic.h"
#include "lib/container_of.h"
#include "kernel/sched/sched.h"

static struct spinlock timer_lock = SPINLOCK_INIT;
static struct list_node timer_list = {&timer_list, &timer_list};

void wait_queue_init(struct wait_queue *queue)
{
    queue->lock = (struct spinlock)SPINLOCK_INIT;
    list_init(&queue->waiters);
}

static void timer_arm(struct wait_link *wait, struct wait_queue *queue, uint64_t deadline)
{
    wait->deadline_ns = deadline;
    wait->timer_queue = queue;
    wait->timer_fired = false;
    uint64_t flags = spin_lock_irqsave(&timer_lock);
    struct list_node *pos = deadline == UINT64_MAX ? &timer_list : timer_list.next;
    while (pos != &timer_list &&
           list_entry(pos, struct wait_link, timer_link)->deadline_ns <= deadline)
        pos = pos->next;
    list_push_back(pos, &wait->timer_link); /* i.e. insert before pos */
    spin_unlock_irqrestore(&timer_lock, flags);
}

static void timer_disarm(struct wait_link *wait)
{
    uint64_t flags = spin_lock_irqsave(&timer_lock);
    if (!list_empty(&wait->timer_link))
        list_remove(&wait->timer_link);
    spin_unlock_irqrestore(&timer_lock, flags);
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

/* Fires one armed timer: the waiter is either blocked on the queue (wake it) or will see
 * timer_fired under the queue lock before it blocks, since both sides take that lock.
 * Caller holds timer_lock; the entry is still linked. */
static void timer_fire_locked(struct wait_link *wait)
{
    list_remove(&wait->timer_link);
    wait->timer_fired = true;
    struct wait_queue *queue = wait->timer_queue;
    spin_lock(&queue->lock);
    if (wait->queue == queue)
        wake_locked(task_of_wait(wait), true);
    spin_unlock(&queue->lock);
}

void wait_timers_tick(uint64_t now_ns)
{
    spin_lock(&timer_lock);
    while (!list_empty(&timer_list)) {
        struct wait_link *wait = list_entry(timer_list.next, struct wait_link, timer_link);
        if (wait->deadline_ns > now_ns)
            break;
        timer_fire_locked(wait);
    }
    spin_unlock(&timer_lock);
}

void wait_interrupt(struct task *task)
{
    uint64_t flags = spin_lock_irqsave(&timer_lock);
    if (!list_empty(&task->wait.timer_link))
        timer_fire_locked(&task->wait);
    spin_unlock_irqrestore(&timer_lock, flags);
}

/* One attempt: returns true when the wait is over (ready or timed out), else blocks once. */
static bool wait_once(struct wait_queue *queue, bool (*ready)(void *), void *ctx, bool timed,
                      enum wg_error *result)
{
    struct task *self = task_current();
    uint64_t flags = spin_lock_irqsave(&queue->lock);
    if (ready(ctx)) {
        spin_unlock_irqrestore(&queue->lock, flags);
        *result = WG_ERR_OK;
        return true;
    }
    if (self->killed || (timed && (self->wait.timer_fired || self->wait.timed_out))) {
        spin_unlock_irqrestore(&queue->lock, flags);
        *result = self->killed ? WG_ERR_KILLED : WG_ERR_TIMED_OUT;
        return true;
    }
    list_push_back(&queue->waiters, &self->wait.link);
    self->wait.queue = queue;
    self->state = TASK_BLOCKED;
    sched_block(&queue->lock);
    arch_irq_restore(flags);
    return false;
}

enum wg_error wait_event(struct wait_queue *queue, bool (*ready)(void *ctx), void *ctx,
                         uint64_t timeout_ns)
{
    struct task *self = task_current();
    bool timed = timeout_ns != WAIT_FOREVER;
    enum wg_error result = WG_ERR_OK;

    kassert(arch_irq_enabled());
    if (timeout_ns == 0) {
        uint64_t flags = spin_lock_irqsave(&queue->lock);
        bool ok = ready(ctx);
        spin_unlock_irqrestore(&queue->lock, flags);
        return ok ? WG_ERR_OK : WG_ERR_WOULD_BLOCK;
    }
    self->wait.timed_out = false;
    self->wait.timer_fired = false;
    /* Armed even without a timeout (deadline "never"): it is how a kill finds the wait. */
    uint64_t now = arch_clock_ns();
    uint64_t deadline = !timed || timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
    timer_arm(&self->wait, queue, deadline);
    while (!wait_once(queue, ready, ctx, true, &result))
        ;
    timer_disarm(&self->wait);
    if (!timed && result == WG_ERR_TIMED_OUT) /* only a kill fires a "never" timer */
        result = WG_ERR_KILLED;
    return result;
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
