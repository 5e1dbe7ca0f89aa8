/* EXEC and EXEC_IMAGE: loading a program into a child space, from the boot archive by name
 * or from an ELF image the caller holds in a physical memory asset. */
#include "kernel/exec/exec.h"
#include "kernel/mm/memory.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/space/task_asset.h"
#include "kernel/syscall/syscall.h"
#include "lib/string.h"

#define EXEC_NAME_MAX (WG_EXEC_NAME_MAX + 1)

/* A program's name and arguments, copied in and checked. */
struct exec_request {
    char name[EXEC_NAME_MAX];
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args args;
};

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

/* The name (`length` bytes at user `name`, no NUL among them) and the argument block. */
static enum wg_error copy_request(uint64_t name, uint64_t length, uint64_t user_args,
                                  struct exec_request *out)
{
    if (length == 0 || length >= EXEC_NAME_MAX)
        return WG_ERR_OUT_OF_RANGE;
    enum wg_error err = copy_from_user(out->name, name, length);
    if (err == WG_ERR_OK)
        err = copy_args(user_args, out->strings, &out->args);
    if (err != WG_ERR_OK)
        return err;
    out->name[length] = '\0';
    return strnlen(out->name, length) == length ? WG_ERR_OK : WG_ERR_BAD_FORMAT;
}

/* Loads into `target` (a space the caller may manage, with an address space of its own)
 * from the archive, or from `image` when it is not NULL; the task's handle in the caller's
 * space. */
static struct syscall_result load(struct space *target, const struct exec_request *request,
                                  const void *image, size_t image_size)
{
    if (target == syscall_space() || target->vm == syscall_space()->vm)
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    const char *strings = request->strings;
    struct task_result task =
        image ? exec_load_image(target, request->name, image, image_size, strings,
                                request->args.size, request->args.count)
              : exec_load(target, request->name, strings, request->args.size, request->args.count);
    if (task.err != WG_ERR_OK)
        return SYSCALL_ERR(task.err);
    task.task->user_arg2 = request->args.startup; /* not started yet: nobody reads it */
    struct task_asset *ta = task_asset_create(task.task);
    struct syscall_result result =
        ta ? syscall_insert_new(syscall_space(), &ta->asset) : SYSCALL_ERR(WG_ERR_NO_MEMORY);
    if (result.err != WG_ERR_OK)
        task_kill(task.task);
    task_put(task.task);
    return result;
}

struct syscall_result sys_EXEC(const struct sys_exec_args *args)
{
    struct exec_request request;
    enum wg_error err = copy_request(args->name, args->name_length, args->args, &request);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    RESOLVE_SPACE(target, args->space, WG_RIGHT_MANAGE);
    struct syscall_result result = load(target, &request, NULL, 0);
    space_put(target);
    return result;
}

/* A private, contiguous copy of the first `size` bytes of `pmem` (so the caller cannot change
 * the image while it is checked); its physical address, to free with `pages`. */
static struct pmm_result copy_image(const struct pmem *pmem, uint64_t size, uint64_t *pages)
{
    *pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    struct pmm_result copy = memory_alloc_pages(*pages);
    if (copy.err != WG_ERR_OK)
        return copy;
    uint8_t *to = phys_to_virt(copy.phys);
    for (uint64_t page = 0; page < *pages; page++) {
        uint64_t chunk = size - page * PAGE_SIZE < PAGE_SIZE ? size - page * PAGE_SIZE : PAGE_SIZE;
        memcpy(to + page * PAGE_SIZE, phys_to_virt(pmem->frames[page]), chunk);
    }
    return copy;
}

/* The checks of EXEC_IMAGE before anything is loaded: the image handle (READ), its size, the
 * name and arguments, the target space. */
static struct syscall_result exec_image(const struct sys_exec_image_args *args,
                                        struct exec_request *request)
{
    if (args->size == 0 || args->size > WG_EXEC_IMAGE_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    enum wg_error err = copy_request(args->name, args->length, args->args, request);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target image =
        syscall_lookup(WG_SELF, args->image, WG_ASSET_PHYS_MEMORY, WG_RIGHT_READ);
    if (image.err != WG_ERR_OK)
        return SYSCALL_ERR(image.err);
    struct space_result target = space_resolve(syscall_space(), args->space, WG_RIGHT_MANAGE);
    struct syscall_result result = SYSCALL_ERR(target.err);
    if (target.err == WG_ERR_OK && args->size > asset_pmem(image.asset)->pages * PAGE_SIZE)
        result = SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    else if (target.err == WG_ERR_OK) {
        uint64_t pages;
        struct pmm_result copy = copy_image(asset_pmem(image.asset), args->size, &pages);
        result = SYSCALL_ERR(copy.err);
        if (copy.err == WG_ERR_OK) {
            result = load(target.space, request, phys_to_virt(copy.phys), args->size);
            memory_free_pages(copy.phys, pages);
        }
    }
    if (target.err == WG_ERR_OK)
        space_put(target.space);
    syscall_target_put(&image);
    return result;
}

struct syscall_result sys_EXEC_IMAGE(const struct sys_exec_image_args *args)
{
    struct exec_request request;
    return exec_image(args, &request);
}
