/* The C side of the `syscall` entry (syscall.S calls syscall_dispatch() directly with the
 * argument registers as an array): the one case the entry refuses, and the user-copy
 * wrapper. */
#include "interrupt.h"
#include "kernel/arch.h"
#include <wingos/abi.h>

__attribute__((noreturn)) void syscall_exit_bad_return(uint64_t rip);
int user_copy_bytes(void *dest, const void *src, size_t size);
int user_touch_writable(void *user_byte);

/* A syscall at the very top of the user half "returns" to a non-canonical address, which
 * neither sysret nor iretq can do safely: such a task is ended. */
void syscall_exit_bad_return(uint64_t rip)
{
    task_fault_exit("syscall returning to a non-canonical address", rip, 0, 0, WG_EXIT_FAULTED);
}

enum wg_error arch_user_copy(void *dest, const void *src, size_t size)
{
    return user_copy_bytes(dest, src, size) == 0 ? WG_ERR_OK : WG_ERR_BAD_ADDRESS;
}

enum wg_error arch_user_touch_writable(uintptr_t address)
{
    return user_touch_writable((void *)address) == 0 ? WG_ERR_OK : WG_ERR_BAD_ADDRESS;
}
