/* The syscall entry (the dispatch table and decoders are generated from idl/syscalls.idl:
 * syscall_call) and the user-copy helpers. */
#include "kernel/syscall/syscall.h"
#include "kernel/arch.h"
#include "kernel/sched/task.h"

static bool user_range_ok(uint64_t address, size_t size)
{
    return address + size >= address && address + size <= USER_TOP;
}

enum wg_error copy_from_user(void *dest, uint64_t user_src, size_t size)
{
    if (!user_range_ok(user_src, size))
        return WG_ERR_BAD_ADDRESS;
    return arch_user_copy(dest, (const void *)user_src, size);
}

enum wg_error copy_to_user(uint64_t user_dest, const void *src, size_t size)
{
    if (!user_range_ok(user_dest, size))
        return WG_ERR_BAD_ADDRESS;
    return arch_user_copy((void *)user_dest, src, size);
}

enum wg_error user_probe_writable(uint64_t address, size_t size)
{
    if (size == 0)
        return WG_ERR_OK;
    if (!user_range_ok(address, size))
        return WG_ERR_BAD_ADDRESS;
    uint64_t last = address + size - 1;
    for (uint64_t page = address & ~(uint64_t)(PAGE_SIZE - 1); page <= last; page += PAGE_SIZE) {
        enum wg_error err = arch_user_touch_writable(page < address ? address : page);
        if (err != WG_ERR_OK)
            return err;
    }
    return WG_ERR_OK;
}

/* A task killed or suspended during its syscall leaves or parks here, its result kept
 * (out of line: the common exit saves nothing around the check). */
static __attribute__((noinline)) struct syscall_result attend(struct syscall_result result)
{
    task_check_killed();
    return result;
}

struct syscall_result syscall_dispatch(const uint64_t *args, uint64_t number)
{
    struct syscall_result result = syscall_call(number, args);
    if (__builtin_expect(task_needs_attention(task_current()), 0))
        return attend(result);
    return result;
}
