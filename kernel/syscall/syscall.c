/* The dispatch table, built from the ABI's X-macro list with designated initialisers, and
 * the user-copy helpers. */
#include "kernel/syscall/syscall.h"
#include "kernel/arch.h"
#include "kernel/sched/task.h"

typedef struct syscall_result (*syscall_handler)(const uint64_t *args);

static const syscall_handler syscall_table[WG_SYSCALL_COUNT] = {
#define SYSCALL_ENTRY(name, count, text) [WG_SYS_##name] = sys_##name,
    WG_SYSCALL_LIST(SYSCALL_ENTRY)
#undef SYSCALL_ENTRY
};

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

struct task *syscall_task(void)
{
    uint64_t flags = arch_irq_save();
    struct task *self = task_current();
    arch_irq_restore(flags);
    return self;
}

struct space *syscall_space(void)
{
    return syscall_task()->space;
}

struct syscall_result syscall_dispatch(const struct syscall_frame *frame)
{
    struct syscall_result result = SYSCALL_ERR(WG_ERR_NOT_SUPPORTED);
    if (frame->number < WG_SYSCALL_COUNT)
        result = syscall_table[frame->number](frame->args);
    task_check_killed();
    return result;
}
