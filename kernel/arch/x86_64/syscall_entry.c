/* The C half of the `syscall` entry: reads the call from the saved registers into the generic
 * struct syscall_frame, hands it to syscall_dispatch() and writes the result back (rax = error,
 * rdx = value, as include/wingos/abi.h describes). Also the user-copy wrapper. */
#include "interrupt.h"
#include "kernel/arch.h"
#include <wingos/abi.h>

void syscall_from_user(struct interrupt_frame *frame);
int user_copy_bytes(void *dest, const void *src, size_t size);

void syscall_from_user(struct interrupt_frame *frame)
{
    /* A syscall at the very top of the user half "returns" to a non-canonical address, which
     * neither sysret nor iretq can do safely: such a task is ended. */
    if (frame->rip >= USER_TOP)
        task_fault_exit("syscall returning to a non-canonical address", frame->rip, 0, 0,
                        WG_EXIT_FAULTED);
    const struct syscall_frame call = {
        .number = frame->rax,
        .args = {frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9},
    };
    struct syscall_result result = syscall_dispatch(&call);
    frame->rax = result.err;
    frame->rdx = result.value;
}

enum wg_error arch_user_copy(void *dest, const void *src, size_t size)
{
    return user_copy_bytes(dest, src, size) == 0 ? WG_ERR_OK : WG_ERR_BAD_ADDRESS;
}
