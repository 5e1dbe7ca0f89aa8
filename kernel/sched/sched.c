/* The scheduler core. Lock order: timer list -> wait queue -> run queue; a CPU never holds
 * two run-queue locks. A task blocked or preempted goes off its CPU with that CPU's run-queue
 * lock (and possibly a wait-queue lock) held; the task switched to releases them in
 * sched_finish_switch(), so no other CPU can pick a task before its registers are saved. */
#include "kernel/sched/sched.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/container_of.h"

struct cpu cpus[MAX_CPUS];
unsigned cpu_count = 1;

static cpu_mask_t online_mask(void)
{
    cpu_mask_t mask = 0;
    for (unsigned i = 0; i < cpu_count; i++)
        if (cpus[i].online)
            mask |= 1ULL << i;
    return mask;
}

/* The CPU a task should run on now (racy load snapshot: a hint, not a promise). */
static struct cpu *choose_cpu(const struct task *task)
{
    /* Its last CPU idle (nothing running or queued there) and allowed: the tree would pick
     * it too (least loaded, ties go to the last CPU); skip the walk, wake-ups are hot. */
    struct cpu *last = task->cpu < cpu_count ? &cpus[task->cpu] : NULL;
    if (last && last->online && (task->affinity & (1ULL << task->cpu)) && last->load == 0)
        return last;
    unsigned load_snapshot[MAX_CPUS] = {0};
    for (unsigned i = 0; i < cpu_count; i++)
        load_snapshot[i] = cpus[i].load;
    int index = cpu_tree_select(&machine_tree, load_snapshot, task->affinity & online_mask(),
                                (int)task->cpu);
    if (index < 0) /* its CPUs are all offline: run anywhere rather than never */
        index = cpu_tree_select(&machine_tree, load_snapshot, online_mask(), (int)task->cpu);
    return &cpus[index < 0 ? 0 : index];
}

void sched_enqueue_locked(struct cpu *cpu, struct task *task)
{
    task->state = TASK_READY;
    task->cpu = cpu->index;
    task->rq_entry.priority = task->priority;
    runqueue_push(&cpu->rq, &task->rq_entry);
    cpu->load++;
    if (task->priority > cpu->current->priority || cpu->current == cpu->idle)
        cpu->need_resched = true;
}

void sched_make_ready(struct task *task)
{
    uint64_t flags = arch_irq_save();
    struct cpu *target = choose_cpu(task);
    spin_lock(&target->rq_lock);
    sched_enqueue_locked(target, task);
    bool kick = target->need_resched && target != this_cpu();
    spin_unlock(&target->rq_lock);
    if (kick)
        arch_send_reschedule(target->index);
    arch_irq_restore(flags);
}

static struct task *pick_next(struct cpu *cpu)
{
    struct runqueue_entry *entry = runqueue_pop(&cpu->rq);
    if (!entry)
        return cpu->idle;
    return container_of(entry, struct task, rq_entry);
}

/* Puts the outgoing task back where it belongs. Called with cpu->rq_lock held. */
static void requeue_prev(struct cpu *cpu, struct task *prev)
{
    if (prev == cpu->idle || prev->state != TASK_RUNNING) {
        if (prev != cpu->idle)
            cpu->load--;
        return;
    }
    cpu->load--;
    if (!(prev->affinity & (1ULL << cpu->index))) {
        prev->state = TASK_READY;
        cpu->migrate_after = prev; /* re-placed once its registers are saved */
        return;
    }
    sched_enqueue_locked(cpu, prev);
}

/* Switches away from the current task. Interrupts must be off; `held` (may be NULL) is a
 * lock to release once the current task is off the CPU. */
/* Switches from the current task to `next` (already off every run queue), with cpu->rq_lock
 * held; `held` (may be NULL) is released once the current task is off the CPU. */
static void switch_to(struct cpu *cpu, struct task *next, struct spinlock *held)
{
    struct task *prev = cpu->current;
    cpu->need_resched = false;
    cpu->slice_left = SCHED_SLICE_TICKS;
    cpu->unlock_after = held;
    cpu->switched_from = prev;
    next->state = TASK_RUNNING;
    if (next == prev) {
        sched_finish_switch();
        return;
    }
    next->cpu = cpu->index;
    next->ran_on |= 1ULL << cpu->index;
    next->switches_in++;
    cpu->current = next;
    arch_set_current_task(next);
    cpu->context_switches++;
    arch_fpu_save(prev->fpu_state);
    uint64_t root = next->space ? next->space_root : arch_paging_kernel_root();
    const uint8_t *io_bitmap = next->space ? *next->space_io_bitmap : NULL;
    if (!arch_prepare_switch_fast(root, next->stack.top, io_bitmap))
        arch_prepare_switch(root, next->stack.top, io_bitmap);
    arch_context_switch(&prev->saved_rsp, next->saved_rsp);
    sched_finish_switch();
}

/* Switches away from the current task. Interrupts must be off; `held` (may be NULL) is a
 * lock to release once the current task is off the CPU. */
static void schedule(struct spinlock *held)
{
    struct cpu *cpu = this_cpu();
    spin_lock(&cpu->rq_lock);
    requeue_prev(cpu, cpu->current);
    switch_to(cpu, pick_next(cpu), held);
}

/* Whether `next` may take this CPU straight from the current task: it may run here, and no
 * task waiting here has a higher priority (a handoff never jumps the queue). rq_lock held. */
static bool may_hand_off(const struct cpu *cpu, const struct task *next)
{
    return cpu->online && (next->affinity & (1ULL << cpu->index)) &&
           runqueue_top_priority(&cpu->rq) <= (int)next->priority;
}

/* sched_block_to when `next` may not take this CPU: an ordinary wake-up, then an ordinary
 * block (out of line: the handoff is the hot path). */
static __attribute__((noinline)) void block_and_wake(struct cpu *cpu, struct spinlock *held,
                                                     struct task *next)
{
    spin_unlock(&cpu->rq_lock);
    sched_make_ready(next);
    schedule(held);
}

/* The outgoing task, running still (a yield) or the idle task, needs the usual requeue. */
static __attribute__((noinline)) void requeue_running(struct cpu *cpu, struct task *prev)
{
    requeue_prev(cpu, prev);
    cpu->load++; /* next runs here without passing through the run queue */
}

void sched_block_to(struct spinlock *held, struct task *next)
{
    struct cpu *cpu = this_cpu();
    spin_lock(&cpu->rq_lock);
    if (!may_hand_off(cpu, next)) {
        block_and_wake(cpu, held, next);
        return;
    }
    struct task *prev = cpu->current;
    if (prev == cpu->idle || prev->state == TASK_RUNNING)
        requeue_running(cpu, prev);
    /* else prev, blocked, leaves the load as next joins it */
    switch_to(cpu, next, held);
}

/* The rare ends of a switch, out of line so the common one needs no saved registers. */
static __attribute__((noinline)) void finish_switch_rare(struct task *migrate, struct task *dead)
{
    if (migrate)
        sched_make_ready(migrate);
    if (dead)
        task_put(dead); /* the reference it held while it could run */
}

void sched_finish_switch(void)
{
    struct cpu *cpu = this_cpu();
    struct task *prev = cpu->switched_from;
    struct task *current = cpu->current;
    struct spinlock *held = cpu->unlock_after;
    struct task *migrate = cpu->migrate_after;
    /* Decided under the run-queue lock: once it is released, a blocked prev may be woken,
     * run and exit elsewhere, and its own reference is then not ours to drop. */
    struct task *dead = NULL;
    if (prev != current) { /* a real switch: the old state was saved */
        arch_fpu_restore(current->fpu_state);
        if (prev && prev->state == TASK_DEAD)
            dead = prev;
    }
    cpu->unlock_after = NULL;
    cpu->migrate_after = NULL;
    spin_unlock(&cpu->rq_lock);
    if (held)
        spin_unlock(held);
    if (__builtin_expect(migrate || dead, 0))
        finish_switch_rare(migrate, dead);
}

void sched_yield(void)
{
    uint64_t flags = arch_irq_save();
    schedule(NULL);
    arch_irq_restore(flags);
}

void sched_block(struct spinlock *held)
{
    schedule(held);
}

void sched_preempt_point(void)
{
    if (this_cpu()->need_resched && arch_irq_enabled())
        sched_yield();
}

void sched_tick(void)
{
    struct cpu *cpu = this_cpu();
    cpu->ticks++;
    if (!cpu->current)
        return;
    if (cpu->current != cpu->idle && cpu->slice_left > 0 && --cpu->slice_left == 0)
        cpu->need_resched = true;
    if (runqueue_top_priority(&cpu->rq) > (int)cpu->current->priority)
        cpu->need_resched = true;
}

void sched_interrupt_exit(bool to_user)
{
    struct cpu *cpu = this_cpu();
    if (cpu->need_resched && cpu->online && cpu->current)
        schedule(NULL);
    if (to_user) /* a killed task leaves here */
        task_check_killed();
}

void sched_requeue(struct task *task)
{
    uint64_t flags = arch_irq_save();
    struct cpu *cpu = &cpus[task->cpu];
    spin_lock(&cpu->rq_lock);
    if (task->rq_entry.queued && task->cpu == cpu->index) {
        runqueue_remove(&cpu->rq, &task->rq_entry);
        cpu->load--;
        spin_unlock(&cpu->rq_lock);
        sched_make_ready(task);
    } else {
        if (cpu->current == task) /* running: let its CPU re-decide at once */
            cpu->need_resched = true;
        bool remote = cpu != this_cpu() && cpu->current == task;
        spin_unlock(&cpu->rq_lock);
        if (remote)
            arch_send_reschedule(cpu->index);
    }
    arch_irq_restore(flags);
    sched_preempt_point();
}
