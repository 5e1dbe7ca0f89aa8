/* The typed syscall stubs: each passes its arguments, widened to 64 bits, to wg_syscall6 in the
 * order abi.h lists them, and returns the kernel's answer as is. */
#include "syscall.h"

/* A syscall added to WG_SYSCALL_LIST needs its stub here and in syscall.h; this stops the
 * build until it has one. */
_Static_assert(WG_SYSCALL_COUNT == 55, "a syscall without a user stub (user/lib/syscall.c)");

static struct wg_result call0(enum wg_syscall number)
{
    return wg_syscall6(number, 0, 0, 0, 0, 0, 0);
}

static struct wg_result call1(enum wg_syscall number, uint64_t a0)
{
    return wg_syscall6(number, a0, 0, 0, 0, 0, 0);
}

static struct wg_result call2(enum wg_syscall number, uint64_t a0, uint64_t a1)
{
    return wg_syscall6(number, a0, a1, 0, 0, 0, 0);
}

static struct wg_result call3(enum wg_syscall number, uint64_t a0, uint64_t a1, uint64_t a2)
{
    return wg_syscall6(number, a0, a1, a2, 0, 0, 0);
}

static struct wg_result call4(enum wg_syscall number, uint64_t a0, uint64_t a1, uint64_t a2,
                              uint64_t a3)
{
    return wg_syscall6(number, a0, a1, a2, a3, 0, 0);
}

static struct wg_result call5(enum wg_syscall number, uint64_t a0, uint64_t a1, uint64_t a2,
                              uint64_t a3, uint64_t a4)
{
    return wg_syscall6(number, a0, a1, a2, a3, a4, 0);
}

static uint64_t ptr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

struct wg_result wg_null_call(void)
{
    return call0(WG_SYS_NULL_CALL);
}

struct wg_result wg_log(const char *text, size_t length)
{
    return call2(WG_SYS_LOG, ptr(text), length);
}

struct wg_result wg_yield(void)
{
    return call0(WG_SYS_YIELD);
}

struct wg_result wg_sleep(uint64_t nanoseconds)
{
    return call1(WG_SYS_SLEEP, nanoseconds);
}

struct wg_result wg_clock(void)
{
    return call0(WG_SYS_CLOCK);
}

struct wg_result wg_space_create(wg_handle space, uint32_t flags)
{
    return call2(WG_SYS_SPACE_CREATE, space, flags);
}

struct wg_result wg_space_destroy(wg_handle space, wg_handle child)
{
    return call2(WG_SYS_SPACE_DESTROY, space, child);
}

struct wg_result wg_asset_list(wg_handle space, struct wg_asset_info *out, size_t max)
{
    return call3(WG_SYS_ASSET_LIST, space, ptr(out), max);
}

struct wg_result wg_asset_info(wg_handle space, wg_handle handle, struct wg_asset_info *out)
{
    return call3(WG_SYS_ASSET_INFO, space, handle, ptr(out));
}

struct wg_result wg_asset_release(wg_handle space, wg_handle handle)
{
    return call2(WG_SYS_ASSET_RELEASE, space, handle);
}

struct wg_result wg_asset_move_rights(wg_handle space, wg_handle handle, wg_handle to_space,
                                      uint32_t rights)
{
    return call4(WG_SYS_ASSET_MOVE, space, handle, to_space, rights);
}

struct wg_result wg_asset_copy_rights(wg_handle space, wg_handle handle, wg_handle to_space,
                                      uint32_t rights)
{
    return call4(WG_SYS_ASSET_COPY, space, handle, to_space, rights);
}

struct wg_result wg_asset_move(wg_handle space, wg_handle handle, wg_handle to_space)
{
    return wg_asset_move_rights(space, handle, to_space, WG_RIGHTS_ALL);
}

struct wg_result wg_asset_copy(wg_handle space, wg_handle handle, wg_handle to_space)
{
    return wg_asset_copy_rights(space, handle, to_space, WG_RIGHTS_ALL);
}

struct wg_result wg_pmem_create(wg_handle space, uint64_t pages, uint32_t flags, uint64_t node)
{
    return call4(WG_SYS_PMEM_CREATE, space, pages, flags, node);
}

struct wg_result wg_pmem_phys_addr(wg_handle space, wg_handle pmem)
{
    return call2(WG_SYS_PMEM_PHYS_ADDR, space, pmem);
}

struct wg_result wg_vmem_map(wg_handle space, wg_handle pmem, uintptr_t address, uint32_t flags)
{
    return call4(WG_SYS_VMEM_MAP, space, pmem, address, flags);
}

struct wg_result wg_task_create(wg_handle space, uintptr_t entry, uintptr_t stack,
                                uint64_t argument)
{
    return call4(WG_SYS_TASK_CREATE, space, entry, stack, argument);
}

struct wg_result wg_task_start(wg_handle space, wg_handle task)
{
    return call2(WG_SYS_TASK_START, space, task);
}

void wg_task_exit(int64_t status)
{
    call1(WG_SYS_TASK_EXIT, (uint64_t)status);
    /* The kernel never returns from TASK_EXIT; if it did, fault rather than run on. */
    for (;;)
        __builtin_trap();
}

struct wg_result wg_task_wait(wg_handle space, wg_handle task, uint64_t timeout_ns)
{
    return call3(WG_SYS_TASK_WAIT, space, task, timeout_ns);
}

struct wg_result wg_task_kill(wg_handle space, wg_handle task)
{
    return call2(WG_SYS_TASK_KILL, space, task);
}

struct wg_result wg_task_set_priority(wg_handle space, wg_handle task, uint32_t priority)
{
    return call3(WG_SYS_TASK_SET_PRIORITY, space, task, priority);
}

struct wg_result wg_task_set_affinity(wg_handle space, wg_handle task, uint64_t cpu_mask)
{
    return call3(WG_SYS_TASK_SET_AFFINITY, space, task, cpu_mask);
}

struct wg_result wg_task_self(void)
{
    return call0(WG_SYS_TASK_SELF);
}

struct wg_result wg_exec(wg_handle space, const char *name, size_t name_length,
                         const struct wg_exec_args *args)
{
    return call4(WG_SYS_EXEC, space, ptr(name), name_length, ptr(args));
}

struct wg_result wg_system_info(struct wg_system_info *out)
{
    return call1(WG_SYS_SYSTEM_INFO, ptr(out));
}

struct wg_result wg_ipc_server_create(wg_handle space, uint32_t flags, uint64_t *address_out)
{
    return call3(WG_SYS_IPC_SERVER_CREATE, space, flags, ptr(address_out));
}

struct wg_result wg_ipc_connect(wg_handle space, uint64_t address)
{
    return call2(WG_SYS_IPC_CONNECT, space, address);
}

struct wg_result wg_ipc_accept(wg_handle space, wg_handle server, uint64_t timeout_ns)
{
    return call3(WG_SYS_IPC_ACCEPT, space, server, timeout_ns);
}

struct wg_result wg_ipc_wait_accept(wg_handle space, wg_handle connection, uint64_t timeout_ns)
{
    return call3(WG_SYS_IPC_WAIT_ACCEPT, space, connection, timeout_ns);
}

struct wg_result wg_ipc_send(wg_handle space, wg_handle connection,
                             const struct wg_message *message, uint32_t flags)
{
    return call4(WG_SYS_IPC_SEND, space, connection, ptr(message), flags);
}

struct wg_result wg_ipc_receive_reply(wg_handle space, wg_handle connection, uint64_t message_id,
                                      struct wg_message *out, uint64_t timeout_ns)
{
    return call5(WG_SYS_IPC_RECEIVE_REPLY, space, connection, message_id, ptr(out), timeout_ns);
}

struct wg_result wg_ipc_call(wg_handle space, wg_handle connection,
                             const struct wg_message *message, struct wg_message *reply,
                             uint64_t timeout_ns)
{
    return call5(WG_SYS_IPC_CALL, space, connection, ptr(message), ptr(reply), timeout_ns);
}

struct wg_result wg_ipc_receive(wg_handle space, wg_handle server, struct wg_message *out,
                                uint64_t timeout_ns)
{
    return call4(WG_SYS_IPC_RECEIVE, space, server, ptr(out), timeout_ns);
}

struct wg_result wg_ipc_reply(wg_handle space, wg_handle server, uint64_t token,
                              const struct wg_message *reply)
{
    return call4(WG_SYS_IPC_REPLY, space, server, token, ptr(reply));
}

struct wg_result wg_irq_create(wg_handle space, uint32_t irq)
{
    return call2(WG_SYS_IRQ_CREATE, space, irq);
}

struct wg_result wg_irq_bind(wg_handle space, wg_handle interrupt, wg_handle server)
{
    return call3(WG_SYS_IRQ_BIND, space, interrupt, server);
}

struct wg_result wg_irq_ack(wg_handle space, wg_handle interrupt)
{
    return call2(WG_SYS_IRQ_ACK, space, interrupt);
}

struct wg_result wg_ioport_create(wg_handle space, uint32_t first, uint32_t count)
{
    return call3(WG_SYS_IOPORT_CREATE, space, first, count);
}

struct wg_result wg_ioport_enable(wg_handle space, wg_handle ports)
{
    return call2(WG_SYS_IOPORT_ENABLE, space, ports);
}

struct wg_result wg_mmio_create(wg_handle space, uint64_t phys, uint64_t pages)
{
    return call3(WG_SYS_MMIO_CREATE, space, phys, pages);
}

struct wg_result wg_system_tasks(struct wg_task_info *out, uint64_t max)
{
    return call2(WG_SYS_SYSTEM_TASKS, ptr(out), max);
}

struct wg_result wg_cpu_info(struct wg_cpu_info *out)
{
    return call1(WG_SYS_CPU_INFO, ptr(out));
}

struct wg_result wg_archive_list(char *out, uint64_t size, uint64_t index)
{
    return call3(WG_SYS_ARCHIVE_LIST, ptr(out), size, index);
}

struct wg_result wg_pci_ecam(struct wg_pci_ecam *out)
{
    return call1(WG_SYS_PCI_ECAM, ptr(out));
}

struct wg_result wg_msi_create(wg_handle space)
{
    return call1(WG_SYS_MSI_CREATE, space);
}

struct wg_result wg_msi_message(wg_handle space, wg_handle msi, struct wg_msi_message *out)
{
    return call3(WG_SYS_MSI_MESSAGE, space, msi, ptr(out));
}

struct wg_result wg_msi_bind(wg_handle space, wg_handle msi, wg_handle server)
{
    return call3(WG_SYS_MSI_BIND, space, msi, server);
}

struct wg_result wg_msi_ack(wg_handle space, wg_handle msi)
{
    return call2(WG_SYS_MSI_ACK, space, msi);
}

struct wg_result wg_exec_image(wg_handle space, wg_handle image, uint64_t size, const char *name,
                               uint64_t length, const struct wg_exec_args *args)
{
    return wg_syscall6(WG_SYS_EXEC_IMAGE, space, image, size, ptr(name), length, ptr(args));
}

struct wg_result wg_archive_read(uint64_t index, uint64_t offset, void *out, uint64_t size)
{
    return call4(WG_SYS_ARCHIVE_READ, index, offset, ptr(out), size);
}

struct wg_result wg_task_suspend(wg_handle space, wg_handle task)
{
    return call2(WG_SYS_TASK_SUSPEND, space, task);
}

struct wg_result wg_task_resume(wg_handle space, wg_handle task)
{
    return call2(WG_SYS_TASK_RESUME, space, task);
}

struct wg_result wg_system_power(uint64_t action)
{
    return call1(WG_SYS_SYSTEM_POWER, action);
}

struct wg_result wg_klog_read(char *out, uint64_t size)
{
    return call2(WG_SYS_KLOG_READ, ptr(out), size);
}

struct wg_result wg_ipc_reply_receive(wg_handle space, wg_handle server, uint64_t token,
                                      const struct wg_message *reply, struct wg_message *out,
                                      uint64_t timeout_ns)
{
    return wg_syscall6(WG_SYS_IPC_REPLY_RECEIVE, space, server, token, ptr(reply), ptr(out),
                       timeout_ns);
}
