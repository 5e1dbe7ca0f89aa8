/* wg_spawn: SPACE_CREATE (a child with its own address space), EXEC (load the program there,
 * its arguments packed into one string block) and TASK_START; undone if a step fails. */
#include <lib/string.h>
#include "result.h"
#include "spawn.h"
#include "conio.h"

/* Packs argv into `buffer` (WG_EXEC_ARG_MAX_SIZE bytes) as consecutive NUL-terminated
 * strings and describes them in *args. */
enum wg_error wg_pack_args(int argc, const char *const *argv, char *buffer,
                           struct wg_exec_args *args)
{
    size_t used = 0;

    if (argc > WG_EXEC_MAX_ARGS)
        return WG_ERR_OUT_OF_RANGE;
    for (int i = 0; i < argc; i++) {
        if (!argv[i])
            return WG_ERR_INVALID_ARGUMENT;
        size_t size = strnlen(argv[i], WG_EXEC_ARG_MAX_SIZE) + 1;
        if (size > WG_EXEC_ARG_MAX_SIZE - used)
            return WG_ERR_OUT_OF_RANGE;
        memcpy(buffer + used, argv[i], size);
        used += size;
    }
    args->count = (uint64_t)argc;
    args->size = used;
    args->strings = buffer;
    return WG_ERR_OK;
}

enum wg_error wg_give_stdio(wg_handle space, wg_handle stdio, struct wg_exec_args *args)
{
    args->startup = 0;
    if (stdio == 0)
        return WG_ERR_OK;
    struct wg_result copied = wg_asset_copy(WG_SELF, stdio, space);
    args->startup = copied.value;
    return copied.err;
}

/* Loads `program` into `space` and starts it: its task handle in *task. Standard input and
 * output `stdio` (a handle of ours, 0: none) is copied into the space for it first. */
static enum wg_error start_in(wg_handle space, const char *program, struct wg_exec_args *args,
                              wg_handle stdio, wg_handle *task)
{
    enum wg_error err = wg_give_stdio(space, stdio, args);
    if (err != WG_ERR_OK)
        return err;
    struct wg_result loaded = wg_exec(space, program, strlen(program), args);
    if (!wg_ok(loaded))
        return loaded.err;
    err = wg_task_start(WG_SELF, loaded.value).err;
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, loaded.value);
        return err;
    }
    *task = loaded.value;
    return WG_ERR_OK;
}

enum wg_error wg_spawn(const char *program, int argc, const char *const *argv,
                       struct wg_process *out)
{
    return wg_spawn_with(program, argc, argv, 0, out);
}

enum wg_error wg_spawn_with(const char *program, int argc, const char *const *argv,
                            uint32_t space_flags, struct wg_process *out)
{
    return wg_spawn_stdio(program, argc, argv, space_flags, wg_stdio, out);
}

enum wg_error wg_spawn_stdio(const char *program, int argc, const char *const *argv,
                             uint32_t space_flags, wg_handle stdio, struct wg_process *out)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args args;
    const char *name_only[1] = {program};

    if (!program || !out || argc < 0 || (argc > 0 && !argv))
        return WG_ERR_INVALID_ARGUMENT;
    if (argc == 0) {
        argc = 1;
        argv = name_only;
    }
    enum wg_error err = wg_pack_args(argc, argv, strings, &args);
    if (err != WG_ERR_OK)
        return err;

    struct wg_result space = wg_space_create(WG_SELF, space_flags);
    if (!wg_ok(space))
        return space.err;
    err = start_in(space.value, program, &args, stdio, &out->task);
    if (err != WG_ERR_OK) {
        wg_space_destroy(WG_SELF, space.value);
        return err;
    }
    out->space = space.value;
    return WG_ERR_OK;
}

enum wg_error wg_spawn_in(wg_handle space, const char *program, int argc, const char *const *argv,
                          wg_handle *task)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args args;

    if (!program || !task || argc < 1 || !argv)
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = wg_pack_args(argc, argv, strings, &args);
    return err == WG_ERR_OK ? start_in(space, program, &args, wg_stdio, task) : err;
}

struct wg_result wg_process_wait(const struct wg_process *process, uint64_t timeout_ns)
{
    return wg_task_wait(WG_SELF, process->task, timeout_ns);
}

enum wg_error wg_process_destroy(struct wg_process *process)
{
    enum wg_error task_err = wg_asset_release(WG_SELF, process->task).err;
    enum wg_error space_err = wg_space_destroy(WG_SELF, process->space).err;

    process->task = 0;
    process->space = 0;
    return task_err != WG_ERR_OK ? task_err : space_err;
}
