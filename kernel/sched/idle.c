/* Scheduler bring-up per CPU, the idle loop, and work stealing. */
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/sched/sched.h"
#include "lib/container_of.h"
#include "lib/string.h"

static void idle_entry(void *arg)
{
    (void)arg;
    sched_run_idle();
}

void sched_prepare_cpu(struct cpu *cpu)
{
    cpu->rq_lock = (struct spinlock)SPINLOCK_INIT;
    runqueue_init(&cpu->rq);
    wait_timers_init_cpu(cpu);
    struct task_params params = {.name = "idle", .entry = idle_entry, .affinity = 0};
    struct task_result idle = task_create(&params);
    if (idle.err != WG_ERR_OK)
        panic("sched: no memory for CPU %u's idle task", cpu->index);
    idle.task->priority = TASK_PRIORITY_IDLE;
    idle.task->affinity = 1ULL << cpu->index;
    idle.task->cpu = cpu->index;
    idle.task->state = TASK_READY;
    cpu->idle = idle.task;
    if (!cpu->current) /* an AP starts out running its idle task */
        cpu->current = idle.task;
    cpu->slice_left = SCHED_SLICE_TICKS;
}

void sched_init_boot_cpu(void)
{
    struct cpu *cpu = &cpus[0];
    struct task *boot = kcalloc(1, sizeof(*boot));
    if (!boot)
        panic("sched: no memory for the boot task");
    boot->id = 0;
    strlcpy(boot->name, "boot", TASK_NAME_MAX);
    boot->state = TASK_RUNNING;
    boot->priority = TASK_PRIORITY_NORMAL;
    boot->affinity = ~0ULL;
    boot->refs = 1; /* nobody joins it: only its own reference */
    boot->ran_on = 1;
    wait_queue_init(&boot->exit_waiters);
    wait_link_init(&boot->wait);
    arch_fpu_init_area(boot->fpu_state);
    task_count_boot_task(boot);
    cpu->current = boot;
    arch_set_current_task(boot);
    cpu->load = 1;
    sched_prepare_cpu(cpu);
    cpu->online = true;
}

static bool allowed_on_thief(const struct runqueue_entry *entry, void *ctx)
{
    const struct task *task = container_of(entry, const struct task, rq_entry);
    return task->affinity & (1ULL << *(const unsigned *)ctx);
}

/* Moves one queued task from the busiest nearby CPU to this idle one. */
static void sched_steal(struct cpu *cpu)
{
    size_t total = 0;
    for (unsigned i = 0; i < cpu_count; i++)
        total += cpus[i].online ? cpus[i].rq.count : 0;
    if (total == 0)
        return; /* every idle pass comes here: nothing waits anywhere, the common case */
    unsigned waiting[MAX_CPUS] = {0};
    for (unsigned i = 0; i < cpu_count; i++)
        waiting[i] = cpus[i].online ? (unsigned)cpus[i].rq.count : 0;
    int victim_index = cpu_tree_steal_victim(&machine_tree, waiting, cpu->index);
    if (victim_index < 0)
        return;
    struct cpu *victim = &cpus[victim_index];
    uint64_t flags = spin_lock_irqsave(&victim->rq_lock);
    struct runqueue_entry *entry = runqueue_find(&victim->rq, allowed_on_thief, &cpu->index);
    if (entry) {
        runqueue_remove(&victim->rq, entry);
        victim->load--;
    }
    spin_unlock(&victim->rq_lock);
    if (entry) {
        struct task *task = container_of(entry, struct task, rq_entry);
        spin_lock(&cpu->rq_lock);
        sched_enqueue_locked(cpu, task);
        spin_unlock(&cpu->rq_lock);
    }
    arch_irq_restore(flags);
}

void sched_run_idle(void)
{
    struct cpu *cpu = this_cpu();
    arch_set_current_task(cpu->current); /* an AP's was chosen on the boot CPU */
    arch_irq_enable();
    for (;;) {
        task_reap();
        if (cpu->rq.count == 0)
            sched_steal(cpu);
        arch_irq_save();
        if (cpu->rq.count == 0 && !cpu->need_resched)
            arch_wait_for_interrupt(); /* returns with interrupts on */
        else
            arch_irq_enable();
        if (cpu->rq.count != 0 || cpu->need_resched)
            sched_yield();
    }
}
