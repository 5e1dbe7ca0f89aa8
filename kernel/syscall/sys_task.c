/* Task syscalls. A task handle only acts on tasks of the caller's space or below it. */
#include "kernel/sched/sched.h"
#include "kernel/space/space.h"
#include "kernel/space/task_asset.h"
#include "kernel/syscall/syscall.h"

struct task_lookup {
    enum wg_error err;
    struct task *task; /* a reference: task_put it */
};

/* The task named by (space, handle) with `rights`, if it lives (or lived) in the caller's
 * space or below it. */
static struct task_lookup lookup_task(wg_handle space, wg_handle handle, uint32_t rights)
{
    struct syscall_target target = syscall_lookup(space, handle, WG_ASSET_TASK, rights);
    if (target.err != WG_ERR_OK)
        return (struct task_lookup){.err = target.err};
    struct task *task = asset_task(target.asset);
    task_get(task);
    syscall_target_put(&target);
    struct space *home = task->home; /* even after it exited */
    if (!home || !space_is_within(home, syscall_space())) {
        task_put(task);
        return (struct task_lookup){.err = WG_ERR_ACCESS_DENIED};
    }
    return (struct task_lookup){WG_ERR_OK, task};
}

static struct syscall_result insert_task(struct space *space, struct task *task)
{
    struct task_asset *ta = task_asset_create(task);
    if (!ta)
        return SYSCALL_ERR(WG_ERR_NO_MEMORY);
    return syscall_insert_new(space, &ta->asset);
}

struct syscall_result sys_TASK_CREATE(const struct sys_task_create_args *args)
{
    if (args->entry >= USER_TOP || args->stack >= USER_TOP || args->entry == 0)
        return SYSCALL_ERR(WG_ERR_BAD_ADDRESS);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct task_result task = task_create_user(space, args->entry, args->stack, args->argument, 0);
    struct syscall_result result = SYSCALL_ERR(task.err);
    if (task.err == WG_ERR_OK) {
        task.task->priority = syscall_task()->priority;
        result = insert_task(space, task.task);
        if (result.err != WG_ERR_OK)
            task_kill(task.task);
        task_put(task.task);
    }
    space_put(space);
    return result;
}

struct syscall_result sys_TASK_START(const struct sys_task_start_args *args)
{
    struct task_lookup found = lookup_task(args->space, args->task, WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    struct task *task = found.task;
    enum wg_error err = WG_ERR_OK;
    if (__atomic_exchange_n(&task->started, true, __ATOMIC_ACQ_REL))
        err = WG_ERR_BUSY; /* started already */
    else
        task_start(task);
    task_put(task);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_TASK_EXIT(const struct sys_task_exit_args *args)
{
    task_exit((int64_t)args->status);
}

struct syscall_result sys_TASK_WAIT(const struct sys_task_wait_args *args)
{
    struct task_lookup found = lookup_task(args->space, args->task, WG_RIGHT_READ);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    struct task *task = found.task;
    enum wg_error err;
    int64_t status = 0;
    if (task == syscall_task())
        err = WG_ERR_INVALID_ARGUMENT;
    else if (!task->started)
        err = WG_ERR_BUSY; /* would wait forever */
    else
        err = task_join(task, args->timeout_ns, &status);
    task_put(task);
    return (struct syscall_result){err, err == WG_ERR_OK ? (uint64_t)status : 0};
}

struct syscall_result sys_TASK_KILL(const struct sys_task_kill_args *args)
{
    struct task_lookup found = lookup_task(args->space, args->task, WG_RIGHT_DESTROY);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    if (!found.task->exited)
        task_kill(found.task);
    task_put(found.task);
    return SYSCALL_OK(0);
}

/* TASK_SUSPEND and TASK_RESUME: the WRITE right; never the caller itself. */
static struct syscall_result set_suspended(wg_handle space, wg_handle task, bool suspended)
{
    struct task_lookup found = lookup_task(space, task, WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    enum wg_error err = WG_ERR_OK;
    if (found.task == syscall_task() || !found.task->space)
        err = found.task->space ? WG_ERR_INVALID_ARGUMENT : WG_ERR_STALE_HANDLE;
    else if (suspended)
        task_suspend(found.task);
    else
        task_resume(found.task);
    task_put(found.task);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_TASK_SUSPEND(const struct sys_task_suspend_args *args)
{
    return set_suspended(args->space, args->task, true);
}

struct syscall_result sys_TASK_RESUME(const struct sys_task_resume_args *args)
{
    return set_suspended(args->space, args->task, false);
}

struct syscall_result sys_TASK_SET_PRIORITY(const struct sys_task_set_priority_args *args)
{
    if (args->priority == 0 || args->priority > WG_PRIORITY_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    if (args->priority > syscall_task()->priority)
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED); /* never above one's own priority */
    struct task_lookup found = lookup_task(args->space, args->task, WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    enum wg_error err = task_set_priority(found.task, (unsigned)args->priority);
    task_put(found.task);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_TASK_SET_AFFINITY(const struct sys_task_set_affinity_args *args)
{
    struct task_lookup found = lookup_task(args->space, args->task, WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    enum wg_error err = task_set_affinity(found.task, args->cpu_mask);
    task_put(found.task);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_TASK_SELF(const struct sys_task_self_args *args)
{
    (void)args;
    struct task *self = syscall_task();
    return insert_task(self->space, self);
}
