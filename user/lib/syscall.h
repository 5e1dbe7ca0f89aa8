/* The user side of the system-call ABI (include/wingos/abi.h): one raw entry, wg_syscall6, and
 * one typed stub per syscall of WG_SYSCALL_LIST, named wg_ + the syscall's name in lower case.
 * Every stub returns the kernel's answer unchanged as a struct wg_result (error + value);
 * none of them checks its arguments, so a test can hand the kernel anything. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>

/* What every syscall returns: an error (WG_ERR_OK on success) and a value whose meaning the
 * syscall gives (a handle, a count, nanoseconds, an exit status...). */
struct wg_result {
    enum wg_error err;
    uint64_t value;
};

/* Issues syscall `number` with six arguments (rdi, rsi, rdx, r10, r8, r9); the kernel answers
 * in rax (error) and rdx (value) and clobbers rcx and r11. */
static inline struct wg_result wg_syscall6(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2,
                                           uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    register uint64_t r9 __asm__("r9") = a5;
    uint64_t rax = number;
    uint64_t rdx = a2;

    __asm__ volatile("syscall"
                     : "+a"(rax), "+d"(rdx)
                     : "D"(a0), "S"(a1), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return (struct wg_result){.err = (enum wg_error)rax, .value = rdx};
}

/* The caller's own space, as the space argument of any syscall (not a syscall). */
static inline wg_handle wg_space_self(void)
{
    return WG_SELF;
}

/* One stub per syscall, in the order of WG_SYSCALL_LIST; the comment there says what each
 * does. Values in struct wg_result.value are noted after "->". */
struct wg_result wg_null_call(void);
struct wg_result wg_log(const char *text, size_t length);
struct wg_result wg_yield(void);
struct wg_result wg_sleep(uint64_t nanoseconds);
struct wg_result wg_clock(void);                                   /* -> nanoseconds since boot */
struct wg_result wg_space_create(wg_handle space, uint32_t flags); /* -> child space handle */
struct wg_result wg_space_destroy(wg_handle space, wg_handle child);
struct wg_result wg_asset_list(wg_handle space, struct wg_asset_info *out,
                               size_t max); /* -> count written */
struct wg_result wg_asset_info(wg_handle space, wg_handle handle, struct wg_asset_info *out);
struct wg_result wg_asset_release(wg_handle space, wg_handle handle);
/* Move or copy a handle to `to_space`, keeping only `rights` (WG_RIGHT_*) of its rights. */
struct wg_result wg_asset_move_rights(wg_handle space, wg_handle handle, wg_handle to_space,
                                      uint32_t rights); /* -> handle in to_space */
struct wg_result wg_asset_copy_rights(wg_handle space, wg_handle handle, wg_handle to_space,
                                      uint32_t rights); /* -> handle in to_space */
/* The same, keeping every right the handle has. */
struct wg_result wg_asset_move(wg_handle space, wg_handle handle, wg_handle to_space);
struct wg_result wg_asset_copy(wg_handle space, wg_handle handle, wg_handle to_space);
struct wg_result wg_pmem_create(wg_handle space, uint64_t pages, uint32_t flags,
                                uint64_t node);                      /* -> physical memory handle */
struct wg_result wg_pmem_phys_addr(wg_handle space, wg_handle pmem); /* -> physical address */
struct wg_result wg_vmem_map(wg_handle space, wg_handle pmem, uintptr_t address,
                             uint32_t flags); /* -> virtual memory handle */
struct wg_result wg_task_create(wg_handle space, uintptr_t entry, uintptr_t stack,
                                uint64_t argument); /* -> task handle, not started */
struct wg_result wg_task_start(wg_handle space, wg_handle task);
__attribute__((noreturn)) void wg_task_exit(int64_t status);
struct wg_result wg_task_wait(wg_handle space, wg_handle task,
                              uint64_t timeout_ns); /* -> exit status (as int64_t) */
struct wg_result wg_task_kill(wg_handle space, wg_handle task);
struct wg_result wg_task_set_priority(wg_handle space, wg_handle task, uint32_t priority);
struct wg_result wg_task_set_affinity(wg_handle space, wg_handle task, uint64_t cpu_mask);
struct wg_result wg_task_self(void); /* -> the calling task's handle in its own space */
struct wg_result wg_exec(wg_handle space, const char *name, size_t name_length,
                         const struct wg_exec_args *args); /* -> task handle, not started */
struct wg_result wg_system_info(struct wg_system_info *out);

/* Drivers (root space only, handed out by init) and introspection. */
struct wg_result wg_irq_create(wg_handle space, uint32_t irq); /* -> interrupt handle */
struct wg_result wg_irq_bind(wg_handle space, wg_handle interrupt, wg_handle server);
struct wg_result wg_irq_ack(wg_handle space, wg_handle interrupt);
struct wg_result wg_ioport_create(wg_handle space, uint32_t first, uint32_t count);
struct wg_result wg_ioport_enable(wg_handle space, wg_handle ports);
struct wg_result wg_mmio_create(wg_handle space, uint64_t phys, uint64_t pages);
struct wg_result wg_system_tasks(struct wg_task_info *out, uint64_t max); /* -> count */
struct wg_result wg_cpu_info(struct wg_cpu_info *out);
struct wg_result wg_archive_list(char *out, uint64_t size, uint64_t index); /* -> length */
struct wg_result wg_pci_ecam(struct wg_pci_ecam *out);
struct wg_result wg_msi_create(wg_handle space); /* -> MSI handle (root space only) */
struct wg_result wg_msi_message(wg_handle space, wg_handle msi, struct wg_msi_message *out);
struct wg_result wg_msi_bind(wg_handle space, wg_handle msi, wg_handle server);
struct wg_result wg_msi_ack(wg_handle space, wg_handle msi);
struct wg_result wg_exec_image(wg_handle space, wg_handle image, uint64_t size, const char *name,
                               uint64_t length, const struct wg_exec_args *args); /* -> task */
struct wg_result wg_archive_read(uint64_t index, uint64_t offset, void *out,
                                 uint64_t size);                   /* -> file size */
struct wg_result wg_task_suspend(wg_handle space, wg_handle task); /* WRITE on the task */
struct wg_result wg_task_resume(wg_handle space, wg_handle task);
struct wg_result wg_system_power(uint64_t action);       /* WG_POWER_OFF, WG_POWER_REBOOT */
struct wg_result wg_klog_read(char *out, uint64_t size); /* -> bytes of whole lines */

/* IPC (docs/ipc.md). Timeouts in ns: 0 polls, WG_WAIT_FOREVER waits. */
struct wg_result wg_ipc_server_create(wg_handle space, uint32_t flags,
                                      uint64_t *address_out);       /* -> server handle */
struct wg_result wg_ipc_connect(wg_handle space, uint64_t address); /* -> connection */
struct wg_result wg_ipc_accept(wg_handle space, wg_handle server,
                               uint64_t timeout_ns); /* -> server-side connection */
struct wg_result wg_ipc_wait_accept(wg_handle space, wg_handle connection, uint64_t timeout_ns);
struct wg_result wg_ipc_send(wg_handle space, wg_handle connection,
                             const struct wg_message *message, uint32_t flags); /* -> id */
struct wg_result wg_ipc_receive_reply(wg_handle space, wg_handle connection, uint64_t message_id,
                                      struct wg_message *out, uint64_t timeout_ns);
struct wg_result wg_ipc_call(wg_handle space, wg_handle connection,
                             const struct wg_message *message, struct wg_message *reply,
                             uint64_t timeout_ns);
struct wg_result wg_ipc_receive(wg_handle space, wg_handle server, struct wg_message *out,
                                uint64_t timeout_ns); /* -> reply token */
struct wg_result wg_ipc_reply(wg_handle space, wg_handle server, uint64_t token,
                              const struct wg_message *reply);
/* A server's loop step: replies to `token` (0: none), then receives into `out`; the caller
 * waiting for the reply gets the CPU at once. -> reply token of the message received. */
struct wg_result wg_ipc_reply_receive(wg_handle space, wg_handle server, uint64_t token,
                                      const struct wg_message *reply, struct wg_message *out,
                                      uint64_t timeout_ns);
