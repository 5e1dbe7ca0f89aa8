/* User tasks in spaces: task_create_user puts a new user task in a space, and gives the
 * scheduler what it needs of that space (struct task_space_ops, the page-table root and where
 * the I/O bitmap is kept) so that kernel/sched never includes space.h. */
#include "kernel/space/space.h"
#include "kernel/sched/task.h"

static void leave_space(struct space *space, struct task *task)
{
    space_remove_task(space, task);
    space_put(space);
}

static const struct task_space_ops space_ops = {.leave = leave_space, .release = space_put};

struct task_result task_create_user(struct space *space, uint64_t entry, uint64_t stack,
                                    uint64_t arg0, uint64_t arg1)
{
    struct task_result result = task_create_user_mode(entry, stack, arg0, arg1);
    if (result.err != WG_ERR_OK)
        return result;
    struct task *task = result.task;
    task->space_ops = &space_ops;
    task->space_root = space->vm->root;
    task->space_io_bitmap = &space->io_bitmap;
    enum wg_error err = space_add_task(space, task);
    if (err != WG_ERR_OK) {
        task_put(task); /* never started: drop both references */
        task_put(task);
        return (struct task_result){.err = err};
    }
    asset_get(&space->asset);
    task->home = space;
    return result;
}
