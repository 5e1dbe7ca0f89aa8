/* EXEC: loading a program from the boot archive into a child space. */
#include "kernel/exec/exec.h"
#include "kernel/space/space.h"
#include "kernel/space/task_asset.h"
#include "kernel/syscall/syscall.h"
#include "lib/string.h"

#define EXEC_NAME_MAX (WG_EXEC_NAME_MAX + 1)

/* Copies and checks the argument block: `count` NUL-terminated strings in `size` bytes. */
static enum wg_error copy_args(uint64_t user_args, char *strings, struct wg_exec_args *args)
{
    enum wg_error err = copy_from_user(args, user_args, sizeof(*args));
    if (err != WG_ERR_OK)
        return err;
    if (args->count > WG_EXEC_MAX_ARGS || args->size > WG_EXEC_ARG_MAX_SIZE)
        return WG_ERR_OUT_OF_RANGE;
    err = copy_from_user(strings, (uint64_t)args->strings, args->size);
    if (err != WG_ERR_OK)
        return err;
    uint64_t terminators = 0;
    for (uint64_t i = 0; i < args->size; i++)
        terminators += strings[i] == '\0';
    bool ends_cleanly = args->size == 0 || strings[args->size - 1] == '\0';
    return terminators == args->count && ends_cleanly ? WG_ERR_OK : WG_ERR_BAD_FORMAT;
}

struct syscall_result sys_EXEC(const uint64_t *args)
{
    char name[EXEC_NAME_MAX];
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args exec_args;
    if (args[2] == 0 || args[2] >= EXEC_NAME_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    enum wg_error err = copy_from_user(name, args[1], args[2]);
    if (err == WG_ERR_OK)
        err = copy_args(args[3], strings, &exec_args);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    name[args[2]] = '\0';
    if (strnlen(name, args[2]) != args[2])
        return SYSCALL_ERR(WG_ERR_BAD_FORMAT); /* the name is exactly `length` bytes */
    RESOLVE_SPACE(target, 0, WG_RIGHT_MANAGE);
    struct syscall_result result = SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (target != syscall_space() && target->vm != syscall_space()->vm) {
        struct task_result task = exec_load(target, name, strings, exec_args.size, exec_args.count);
        result = SYSCALL_ERR(task.err);
        if (task.err == WG_ERR_OK) {
            task.task->user_arg2 = args[4]; /* not started yet: nobody reads it */
            struct task_asset *ta = task_asset_create(task.task);
            result = ta ? syscall_insert_new(syscall_space(), &ta->asset)
                        : SYSCALL_ERR(WG_ERR_NO_MEMORY);
            if (result.err != WG_ERR_OK)
                task_kill(task.task);
            task_put(task.task);
        }
    }
    space_put(target);
    return result;
}
