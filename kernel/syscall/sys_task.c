/* Task syscalls. A task handle only acts on tasks of the caller's space or below it. */
#include "kernel/sched/sched.h"
#include "kernel/space/space.h"
#include "kernel/space/task_asset.h"
#include "kernel/syscall/syscall.h"

struct task_lookup {
    enum wg_error err;
    struct task *task; /* a reference: task_put it */
};

/* The task named by (args[0] space, args[1] handle) with `rights`, if it lives (or lived)
 * in the caller's space or below it. */
static struct task_lookup lookup_task(const uint64_t *args, uint32_t rights)
{
    struct syscall_target target = syscall_lookup(args[0], args[1], WG_ASSET_TASK, rights);
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

struct syscall_result sys_TASK_CREATE(const uint64_t *args)
{
    if (args[1] >= USER_TOP || args[2] >= USER_TOP || args[1] == 0)
        return SYSCALL_ERR(WG_ERR_BAD_ADDRESS);
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct task_result task = task_create_user(space, args[1], args[2], args[3], 0);
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

struct syscall_result sys_TASK_START(const uint64_t *args)
{
    struct task_lookup found = lookup_task(args, WG_RIGHT_WRITE);
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

struct syscall_result sys_TASK_EXIT(const uint64_t *args)
{
    task_exit((int64_t)args[0]);
}

struct syscall_result sys_TASK_WAIT(const uint64_t *args)
{
    struct task_lookup found = lookup_task(args, WG_RIGHT_READ);
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
        err = task_join(task, args[2], &status);
    task_put(task);
    return (struct syscall_result){err, err == WG_ERR_OK ? (uint64_t)status : 0};
}

struct syscall_result sys_TASK_KILL(const uint64_t *args)
{
    struct task_lookup found = lookup_task(args, WG_RIGHT_DESTROY);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    if (!found.task->exited)
        task_kill(found.task);
    task_put(found.task);
    return SYSCALL_OK(0);
}

/* TASK_SUSPEND and TASK_RESUME: the WRITE right; never the caller itself. */
static struct syscall_result set_suspended(const uint64_t *args, bool suspended)
{
    struct task_lookup found = lookup_task(args, WG_RIGHT_WRITE);
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

struct syscall_result sys_TASK_SUSPEND(const uint64_t *args)
{
    return set_suspended(args, true);
}

struct syscall_result sys_TASK_RESUME(const uint64_t *args)
{
    return set_suspended(args, false);
}

struct syscall_result sys_TASK_SET_PRIORITY(const uint64_t *args)
{
    if (args[2] == 0 || args[2] > WG_PRIORITY_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    if (args[2] > syscall_task()->priority)
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED); /* never above one's own priority */
    struct task_lookup found = lookup_task(args, WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    enum wg_error err = task_set_priority(found.task, (unsigned)args[2]);
    task_put(found.task);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_TASK_SET_AFFINITY(const uint64_t *args)
{
    struct task_lookup found = lookup_task(args, WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    enum wg_error err = task_set_affinity(found.task, args[2]);
    task_put(found.task);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_TASK_SELF(const uint64_t *args)
{
    (void)args;
    struct task *self = syscall_task();
    return insert_task(self->space, self);
}
