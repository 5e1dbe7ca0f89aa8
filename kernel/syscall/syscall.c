/* The dispatch table, built from the ABI's X-macro list with designated initialisers, and
 * the user-copy helpers. */
#include "kernel/syscall/syscall.h"
#include "kernel/arch.h"
#include "kernel/arch/x86_64/interrupt.h"
#include "kernel/sched/task.h"

typedef struct syscall_result (*syscall_handler)(const uint64_t *args);

static const syscall_handler syscall_table[WG_SYSCALL_COUNT] = {
#define SYSCALL_ENTRY(name, count, text) [WG_SYS_##name] = sys_##name,
    WG_SYSCALL_LIST(SYSCALL_ENTRY)
#undef SYSCALL_ENTRY
};

int arch_user_copy(void *dest, const void *src, size_t size);

static bool user_range_ok(uint64_t address, size_t size)
{
    return address + size >= address && address + size <= USER_TOP;
}

enum wg_error copy_from_user(void *dest, uint64_t user_src, size_t size)
{
    if (!user_range_ok(user_src, size))
        return WG_ERR_BAD_ADDRESS;
    return arch_user_copy(dest, (const void *)user_src, size) == 0 ? WG_ERR_OK : WG_ERR_BAD_ADDRESS;
}

enum wg_error copy_to_user(uint64_t user_dest, const void *src, size_t size)
{
    if (!user_range_ok(user_dest, size))
        return WG_ERR_BAD_ADDRESS;
    return arch_user_copy((void *)user_dest, src, size) == 0 ? WG_ERR_OK : WG_ERR_BAD_ADDRESS;
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

void syscall_dispatch(struct interrupt_frame *frame)
{
    /* A syscall at the very top of the user half "returns" to a non-canonical address,
     * which neither sysret nor iretq can do safely: such a task is ended. */
    if (frame->rip >= USER_TOP)
        task_exit(WG_EXIT_FAULTED);
    const uint64_t args[6] = {frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9};
    struct syscall_result result = SYSCALL_ERR(WG_ERR_NOT_SUPPORTED);
    if (frame->rax < WG_SYSCALL_COUNT)
        result = syscall_table[frame->rax](args);
    frame->rax = result.err;
    frame->rdx = result.value;
    task_check_killed();
}
