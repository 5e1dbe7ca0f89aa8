/* Task life cycle: create (stack, FPU state), start, exit, join, references, priority and
 * affinity changes. A dead task's memory goes once both its creator's reference and its own
 * are dropped; its own is dropped by the next task on its CPU, off its stack. */
#include "kernel/sched/task.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/sched/sched.h"
#include <wingos/abi.h>
#include "lib/string.h"

static volatile uint64_t next_task_id = 1;
static volatile uint64_t live_tasks;
static struct spinlock reap_lock = SPINLOCK_INIT;
static struct task *reap_list;
static struct spinlock all_lock = SPINLOCK_INIT;
static struct list_node all_tasks = {&all_tasks, &all_tasks};

static void task_list_add(struct task *task)
{
    uint64_t flags = spin_lock_irqsave(&all_lock);
    list_push_back(&all_tasks, &task->all_link);
    spin_unlock_irqrestore(&all_lock, flags);
}

void task_for_each(void (*fn)(void *ctx, const struct task *task), void *ctx)
{
    uint64_t flags = spin_lock_irqsave(&all_lock);
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &all_tasks)
    {
        fn(ctx, list_entry(node, struct task, all_link));
    }
    spin_unlock_irqrestore(&all_lock, flags);
}

void task_count_boot_task(struct task *boot)
{
    __atomic_fetch_add(&live_tasks, 1, __ATOMIC_RELAXED);
    task_list_add(boot);
}

uint64_t task_count(void)
{
    return live_tasks;
}

static bool params_valid(const struct task_params *params)
{
    return params && params->entry && params->priority <= TASK_PRIORITY_MAX &&
           (params->affinity == 0 ||
            (params->affinity & ((cpu_count >= 64) ? ~0ULL : (1ULL << cpu_count) - 1)));
}

struct task_result task_create(const struct task_params *params)
{
    if (!params_valid(params))
        return (struct task_result){.err = WG_ERR_INVALID_ARGUMENT};
    if (arch_irq_enabled())
        task_reap(); /* on a busy machine the idle loops rarely run: free the dead here too */
    struct task *task = kcalloc(1, sizeof(*task));
    if (!task)
        return (struct task_result){.err = WG_ERR_NO_MEMORY};
    if (kstack_alloc(&task->stack, (int)this_cpu()->node) != WG_ERR_OK) {
        kfree(task);
        return (struct task_result){.err = WG_ERR_NO_MEMORY};
    }
    task->id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_RELAXED);
    strlcpy(task->name, params->name ? params->name : "task", TASK_NAME_MAX);
    task->state = TASK_NEW;
    task->priority = params->priority ? params->priority : TASK_PRIORITY_NORMAL;
    task->affinity = params->affinity ? params->affinity : ~0ULL;
    task->cpu = this_cpu()->index;
    task->entry = params->entry;
    task->arg = params->arg;
    task->refs = 2;
    wait_queue_init(&task->exit_waiters);
    wait_link_init(&task->wait);
    arch_fpu_init_area(task->fpu_state);
    task->saved_rsp = arch_task_stack_init(task->stack.top);
    __atomic_fetch_add(&live_tasks, 1, __ATOMIC_RELAXED);
    task_list_add(task);
    return (struct task_result){WG_ERR_OK, task};
}

void task_start(struct task *task)
{
    kassert(task->state == TASK_NEW);
    sched_make_ready(task);
    sched_preempt_point();
}

void task_first_run(void)
{
    sched_finish_switch();
    arch_irq_enable();
    struct task *self = task_current();
    self->entry(self->arg);
    task_exit(0);
}

/* Leaves the task's space: the address space may go with it, so first stop using it. */
static void task_leave_space(struct task *self)
{
    struct space *space = self->space;
    if (!space)
        return;
    uint64_t flags = arch_irq_save(); /* a switch in between would reload the user tree */
    self->space = NULL;
    arch_paging_activate(arch_paging_kernel_root());
    arch_irq_restore(flags);
    self->space_ops->leave(space, self);
}

void task_exit(int64_t status)
{
    struct task *self = task_current();
    arch_irq_enable();
    task_leave_space(self);
    self->exit_status = status;
    uint64_t flags = spin_lock_irqsave(&self->exit_waiters.lock);
    self->exited = true;
    spin_unlock_irqrestore(&self->exit_waiters.lock, flags);
    wait_queue_wake_all(&self->exit_waiters);
    arch_irq_save();
    self->state = TASK_DEAD;
    sched_block(NULL);
    panic("task: a dead task was scheduled again");
}

static bool task_has_exited(void *ctx)
{
    return ((struct task *)ctx)->exited;
}

enum wg_error task_join(struct task *task, uint64_t timeout_ns, int64_t *status)
{
    if (!task || task == task_current())
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = wait_event(&task->exit_waiters, task_has_exited, task, timeout_ns);
    if (err == WG_ERR_OK && status)
        *status = task->exit_status;
    return err;
}

void task_get(struct task *task)
{
    __atomic_fetch_add(&task->refs, 1, __ATOMIC_RELAXED);
}

static void task_free(struct task *task)
{
    if (task->home)
        task->space_ops->release(task->home);
    uint64_t flags = spin_lock_irqsave(&all_lock);
    list_remove(&task->all_link);
    spin_unlock_irqrestore(&all_lock, flags);
    kstack_free(&task->stack);
    kfree(task);
    __atomic_fetch_sub(&live_tasks, 1, __ATOMIC_RELAXED);
}

/* Dropping the last reference frees the task, now if interrupts are on (freeing a stack may
 * need TLB shootdowns), else from the reap list. */
void task_put(struct task *task)
{
    if (__atomic_sub_fetch(&task->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (arch_irq_enabled()) {
        task_free(task);
        return;
    }
    spin_lock(&reap_lock);
    task->reap_next = reap_list;
    reap_list = task;
    spin_unlock(&reap_lock);
}

void task_reap(void)
{
    /* Every idle pass of every CPU comes here: skip the shared lock when there is nothing. */
    if (!__atomic_load_n(&reap_list, __ATOMIC_RELAXED))
        return;
    uint64_t flags = spin_lock_irqsave(&reap_lock);
    struct task *list = reap_list;
    reap_list = NULL;
    spin_unlock_irqrestore(&reap_lock, flags);
    while (list) {
        struct task *next = list->reap_next;
        task_free(list);
        list = next;
    }
}

enum wg_error task_set_priority(struct task *task, unsigned priority)
{
    if (!task || priority == TASK_PRIORITY_IDLE || priority > TASK_PRIORITY_MAX)
        return WG_ERR_INVALID_ARGUMENT;
    if (task->exited || task->killed) /* a killed task keeps its boost (task_kill) */
        return WG_ERR_OK;
    task->priority = (uint8_t)priority;
    sched_requeue(task);
    return WG_ERR_OK;
}

enum wg_error task_set_affinity(struct task *task, cpu_mask_t affinity)
{
    cpu_mask_t existing = cpu_count >= 64 ? ~0ULL : (1ULL << cpu_count) - 1;
    if (!task || (affinity & existing) == 0)
        return WG_ERR_INVALID_ARGUMENT;
    task->affinity = affinity;
    if (!task->exited && task->state != TASK_NEW)
        sched_requeue(task);
    return WG_ERR_OK;
}

static void task_enter_user(void *arg)
{
    struct task *self = arg;
    task_check_killed(); /* killed before it ever ran */
    arch_enter_user(self->user_entry, self->user_stack, self->user_arg0, self->user_arg1,
                    self->user_arg2);
}

struct task_result task_create_user_mode(uint64_t entry, uint64_t stack, uint64_t arg0,
                                         uint64_t arg1)
{
    struct task_params params = {.name = "user", .entry = task_enter_user};
    struct task_result result = task_create(&params);
    if (result.err != WG_ERR_OK)
        return result;
    struct task *task = result.task;
    task->arg = task;
    task->user_entry = entry;
    task->user_stack = stack;
    task->user_arg0 = arg0;
    task->user_arg1 = arg1;
    task->user_arg2 = 0;
    return result;
}

void task_kill(struct task *task)
{
    task->killed = true;
    /* It runs ahead of every other task until it ends: whoever waits for its end (a space
     * being destroyed) must not wait behind busy tasks of higher priority. */
    if (task->space && !__atomic_exchange_n(&task->started, true, __ATOMIC_ACQ_REL)) {
        task->priority = TASK_PRIORITY_MAX;
        task_start(task); /* never started: let it run just far enough to exit */
        return;
    }
    if (!task->exited) {
        task->priority = TASK_PRIORITY_MAX;
        sched_requeue(task);
    }
    wait_interrupt(task);
    uint64_t flags = arch_irq_save();
    unsigned cpu = task->cpu;
    if (cpus[cpu].current == task)
        arch_send_reschedule(cpu);
    arch_irq_restore(flags);
}

void task_fault_exit(const char *what, uint64_t ip, uint64_t address, uint64_t code, int64_t status)
{
    struct task *self = task_current();
    log_warn("task %lu (%s) killed: %s at rip %#lx, address %#lx, error %#lx", self->id, self->name,
             what, ip, address, code);
    task_exit(status);
}

/* Suspended tasks park here; a resume wakes them all and each checks its own flag. */
static struct wait_queue suspend_queue = {SPINLOCK_INIT,
                                          {&suspend_queue.waiters, &suspend_queue.waiters}};

static bool not_suspended(void *ctx)
{
    const struct task *task = ctx;
    return !task->suspended;
}

void task_suspend(struct task *task)
{
    task->suspended = true;
    uint64_t flags = arch_irq_save();
    unsigned cpu = task->cpu;
    if (cpus[cpu].current == task)
        arch_send_reschedule(cpu); /* it parks on its way back to user mode */
    arch_irq_restore(flags);
}

void task_resume(struct task *task)
{
    task->suspended = false; /* before the wake, which takes the queue lock */
    wait_queue_wake_all(&suspend_queue);
}

void task_check_killed(void)
{
    struct task *self = task_current();
    if (self->suspended && !self->killed) {
        /* From an interrupt's way out too: blocking there is like being preempted. */
        bool enabled = arch_irq_enabled();
        if (!enabled)
            arch_irq_enable();
        wait_event(&suspend_queue, not_suspended, self, WAIT_FOREVER); /* a kill ends it */
        if (!enabled)
            arch_irq_save();
    }
    if (self->killed)
        task_exit(WG_EXIT_KILLED);
}
