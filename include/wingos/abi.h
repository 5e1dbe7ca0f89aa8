/* The WingOS system-call ABI, shared by the kernel and userspace. Every syscall number,
 * asset kind and flag is defined here once; X-macro lists give the enums, the counts and the
 * name strings.
 *
 * Calling convention (x86_64 `syscall`): rax = number, arguments in rdi, rsi, rdx, r10, r8,
 * r9. Returns rax = enum wg_error, rdx = value (a handle, a count, ...). rcx and r11 are
 * clobbered, every other register is preserved. */
#pragma once

#include <stdint.h>
#include <wingos/error.h>

/* A handle names an asset inside one space. 0 is never a valid handle; as the space argument
 * of a syscall it means "the caller's own space". Bits 0-23: slot index, 24-55: generation. */
typedef uint64_t wg_handle;
#define WG_SELF ((wg_handle)0)

#define WG_ASSET_KIND_LIST(X)           \
    X(SPACE, "space")                   \
    X(TASK, "task")                     \
    X(PHYS_MEMORY, "physical memory")   \
    X(VIRT_MEMORY, "virtual memory")    \
    X(IPC_SERVER, "IPC server")         \
    X(IPC_CONNECTION, "IPC connection") \
    X(INTERRUPT, "interrupt")           \
    X(IO_PORT, "I/O ports")             \
    X(MMIO, "device memory")            \
    X(MSI, "MSI interrupt")

enum wg_asset_kind {
    WG_ASSET_NONE = 0,
#define WG_ASSET_ENUM(name, text) WG_ASSET_##name,
    WG_ASSET_KIND_LIST(WG_ASSET_ENUM)
#undef WG_ASSET_ENUM
        WG_ASSET_KIND_COUNT
};

/* Rights a handle carries: each syscall checks the ones it needs on every handle it takes
 * (docs/abi.md lists them). A new asset's first handle has them all; ASSET_COPY, ASSET_MOVE
 * and IPC transfers can only take rights away. name, bit, meaning. */
#define WG_RIGHT_LIST(X)                                                                 \
    X(READ, 0, "read: list and inspect a space, wait for a task, receive, map readable") \
    X(WRITE, 1, "write: map writable, send, reply, start or tune a task")                \
    X(MAP, 2, "map: memory may be mapped")                                               \
    X(TRANSFER, 3, "transfer: may leave its space (ASSET_MOVE/COPY, IPC)")               \
    X(DUPLICATE, 4, "duplicate: may be copied (a second handle)")                        \
    X(DESTROY, 5, "destroy: destroy a space, kill a task")                               \
    X(MANAGE, 6, "manage: create, release and move assets in a space, exec in it")       \
    X(USE, 7, "use: program a driver asset (interrupt, I/O ports, device memory)")

enum wg_right {
#define WG_RIGHT_ENUM(name, bit, text) WG_RIGHT_##name = 1u << (bit),
    WG_RIGHT_LIST(WG_RIGHT_ENUM)
#undef WG_RIGHT_ENUM
};

#define WG_RIGHT_BITS(name, bit, text) | WG_RIGHT_##name
#define WG_RIGHTS_ALL                  (0u WG_RIGHT_LIST(WG_RIGHT_BITS))

/* name, argument count, what it does. The numbers of the syscalls declared in idl/syscalls.idl
 * (their arguments, decoders, stubs; docs/syscalls.md): the kernel build checks both agree. */
#define WG_SYSCALL_LIST(X)                                                                      \
    X(NULL_CALL, 0, "does nothing; the round-trip benchmark")                                   \
    X(LOG, 2, "(text, length): writes a line to the console")                                   \
    X(YIELD, 0, "gives up the CPU")                                                             \
    X(SLEEP, 1, "(nanoseconds)")                                                                \
    X(CLOCK, 0, "-> monotonic nanoseconds since boot")                                          \
    X(SPACE_CREATE, 2, "(space, flags) -> handle of a new child space")                         \
    X(SPACE_DESTROY, 2, "(space, child): releases the child and everything below it")           \
    X(ASSET_LIST, 3, "(space, struct wg_asset_info *out, max) -> count written")                \
    X(ASSET_INFO, 3, "(space, handle, struct wg_asset_info *out)")                              \
    X(ASSET_RELEASE, 2, "(space, handle): drops the handle")                                    \
    X(ASSET_MOVE, 4, "(space, handle, to_space, rights) -> handle in to_space")                 \
    X(ASSET_COPY, 4, "(space, handle, to_space, rights) -> handle in to_space")                 \
    X(PMEM_CREATE, 4, "(space, pages, flags, node) -> physical memory handle")                  \
    X(PMEM_PHYS_ADDR, 2, "(space, pmem) -> physical address (contiguous, DMA rights only)")     \
    X(VMEM_MAP, 4, "(space, pmem, address, flags) -> virtual memory handle")                    \
    X(TASK_CREATE, 4, "(space, entry, stack, argument) -> task handle, not started")            \
    X(TASK_START, 2, "(space, task)")                                                           \
    X(TASK_EXIT, 1, "(status): ends the calling task")                                          \
    X(TASK_WAIT, 3, "(space, task, timeout ns) -> exit status")                                 \
    X(TASK_KILL, 2, "(space, task)")                                                            \
    X(TASK_SET_PRIORITY, 3, "(space, task, priority)")                                          \
    X(TASK_SET_AFFINITY, 3, "(space, task, cpu mask)")                                          \
    X(TASK_SELF, 0, "-> a handle to the calling task in its own space")                         \
    X(EXEC, 4, "(space, name, name length, struct wg_exec_args *) -> task handle, not started") \
    X(SYSTEM_INFO, 1, "(struct wg_system_info *out)")                                           \
    X(IPC_SERVER_CREATE, 3, "(space, flags, uint64_t *address_out) -> server handle")           \
    X(IPC_CONNECT, 2, "(space, address) -> connection handle (accepted later)")                 \
    X(IPC_ACCEPT, 3, "(space, server, timeout) -> server-side connection handle")               \
    X(IPC_WAIT_ACCEPT, 3, "(space, connection, timeout)")                                       \
    X(IPC_SEND, 4, "(space, connection, const struct wg_message *, flags) -> message id")       \
    X(IPC_RECEIVE_REPLY, 5, "(space, connection, message id, struct wg_message *out, timeout)") \
    X(IPC_CALL, 5,                                                                              \
      "(space, connection, const struct wg_message *, struct wg_message *out, "                 \
      "timeout)")                                                                               \
    X(IPC_RECEIVE, 4, "(space, server, struct wg_message *out, timeout) -> reply token")        \
    X(IPC_REPLY, 4, "(space, server, reply token, const struct wg_message *)")                  \
    X(IRQ_CREATE, 2, "(space, isa irq) -> interrupt handle (root space only)")                  \
    X(IRQ_BIND, 3, "(space, interrupt, server): interrupts arrive as server messages")          \
    X(IRQ_ACK, 2, "(space, interrupt): unmasks the line again")                                 \
    X(IOPORT_CREATE, 3, "(space, first port, count) -> I/O port handle (root space only)")      \
    X(IOPORT_ENABLE, 2, "(space, ports): in/out on them from the tasks of `space`")             \
    X(MMIO_CREATE, 3, "(space, physical address, pages) -> device memory handle (root only)")   \
    X(SYSTEM_TASKS, 2, "(struct wg_task_info *out, max) -> count written")                      \
    X(CPU_INFO, 1, "(struct wg_cpu_info *out)")                                                 \
    X(ARCHIVE_LIST, 3, "(char *out, size, index) -> length of the index-th program name")       \
    X(PCI_ECAM, 1, "(struct wg_pci_ecam *out): the PCI ECAM window from ACPI MCFG")             \
    X(MSI_CREATE, 1, "(space) -> MSI handle: a free vector for one device interrupt (root)")    \
    X(MSI_MESSAGE, 3, "(space, msi, struct wg_msi_message *out): what to program the device")   \
    X(MSI_BIND, 3, "(space, msi, server): the vector's interrupts arrive as server messages")   \
    X(MSI_ACK, 2, "(space, msi): ready for the next interrupt notice")                          \
    X(EXEC_IMAGE, 6,                                                                            \
      "(space, pmem, image size, name, name length, struct wg_exec_args *) -> task handle")     \
    X(ARCHIVE_READ, 4, "(index, offset, void *out, size) -> the index-th archive file's size")  \
    X(TASK_SUSPEND, 2, "(space, task): stops it at its next return to user mode")               \
    X(TASK_RESUME, 2, "(space, task): lets a suspended task run again")                         \
    X(SYSTEM_POWER, 1, "(WG_POWER_OFF or WG_POWER_REBOOT): needs WG_SPACE_POWER")               \
    X(KLOG_READ, 2, "(char *out, size) -> bytes of whole kernel log lines; WG_SPACE_KLOG")      \
    X(IPC_REPLY_RECEIVE, 6,                                                                     \
      "(space, server, reply token or 0, const struct wg_message *reply, "                      \
      "struct wg_message *out, timeout) -> reply token of the message received")                \
    X(IPC_CALL_SHORT, 6,                                                                        \
      "(connection, w0, w1, w2, w3, timeout) -> reply w0; w1..w3 in rdi, rsi, r10; r8: 0, "     \
      "or the id of a reply too long for registers")                                            \
    X(IPC_REPLY_RECEIVE_SHORT, 6,                                                               \
      "(server, token or 0, reply w0..w3) -> token; connection in rdi (0: not short), "         \
      "w0..w3 in rsi, r10, r8, r9")

enum wg_syscall {
#define WG_SYSCALL_ENUM(name, args, text) WG_SYS_##name,
    WG_SYSCALL_LIST(WG_SYSCALL_ENUM)
#undef WG_SYSCALL_ENUM
        WG_SYSCALL_COUNT
};

/* Names for logs and tools, from the same lists: "SPACE_CREATE", "physical memory". */
static inline const char *wg_syscall_name(uint64_t number)
{
    static const char *const names[] = {
#define WG_SYSCALL_NAME(name, args, text) [WG_SYS_##name] = #name,
        WG_SYSCALL_LIST(WG_SYSCALL_NAME)
#undef WG_SYSCALL_NAME
    };
    return number < WG_SYSCALL_COUNT ? names[number] : "UNKNOWN";
}

static inline const char *wg_asset_kind_name(uint64_t kind)
{
    static const char *const names[] = {[WG_ASSET_NONE] = "none",
#define WG_ASSET_NAME(name, text) [WG_ASSET_##name] = text,
                                        WG_ASSET_KIND_LIST(WG_ASSET_NAME)
#undef WG_ASSET_NAME
    };
    return kind < WG_ASSET_KIND_COUNT ? names[kind] : "unknown";
}

/* SPACE_CREATE flags. */
#define WG_SPACE_SHARE_MEMORY 1u /* the child uses its parent's address space */
/* The child sees every task and space in SYSTEM_TASKS, not only its own subtree; only a
 * space that has this itself (the root space has) can give it. */
#define WG_SPACE_INTROSPECT 2u
/* The child may call SYSTEM_POWER (power off, reboot); given only by a space that may. */
#define WG_SPACE_POWER 4u
/* The child may call KLOG_READ: once it does, kernel log lines wait in a ring for it
 * instead of going to the serial port (the console service); given only by a space that
 * may. */
#define WG_SPACE_KLOG 8u

/* SYSTEM_POWER actions. */
#define WG_POWER_OFF    0u /* ACPI S5 */
#define WG_POWER_REBOOT 1u /* the FADT reset register, else port 0xcf9, else the 8042 */

/* PMEM_CREATE flags. DMA memory (contiguous, physical address readable with PMEM_PHYS_ADDR)
 * can only be created in the root space, whose init hands it to drivers. */
#define WG_PMEM_CONTIGUOUS 1u
#define WG_PMEM_DMA        2u
#define WG_PMEM_ANY_NODE   UINT64_MAX /* the node argument: no preference */

/* VMEM_MAP flags: W and X together are refused (W^X). */
#define WG_MAP_READ  1u
#define WG_MAP_WRITE 2u
#define WG_MAP_EXEC  4u

/* TASK_WAIT timeouts. */
#define WG_WAIT_FOREVER UINT64_MAX

/* Exit status of a task killed by TASK_KILL or by its own fault. */
#define WG_EXIT_KILLED  (-1000)
#define WG_EXIT_FAULTED (-1001) /* a bad syscall return address; CPU faults below */
/* A task ended by CPU exception `vector` (0..31) in user mode: WG_EXIT_FAULT_BASE - vector. */
#define WG_EXIT_FAULT_BASE    (-1100)
#define WG_EXIT_FAULT(vector) (WG_EXIT_FAULT_BASE - (int64_t)(vector))
#define WG_EXIT_IS_FAULT(status) \
    ((status) <= WG_EXIT_FAULT_BASE && (status) > WG_EXIT_FAULT_BASE - 32)
#define WG_EXIT_FAULT_VECTOR(status) ((unsigned)(WG_EXIT_FAULT_BASE - (status)))
/* True for every status the kernel gives a task it ended for a fault. */
#define WG_EXIT_IS_FAULTED(status) ((status) == WG_EXIT_FAULTED || WG_EXIT_IS_FAULT(status))

/* The name of CPU exception `vector` (0..31; what WG_EXIT_FAULT carries), or NULL. */
static inline const char *wg_exception_name(uint64_t vector)
{
    static const char *const names[32] = {
        [0] = "divide error",
        [1] = "debug",
        [2] = "non-maskable interrupt",
        [3] = "breakpoint",
        [4] = "overflow",
        [5] = "bound range exceeded",
        [6] = "invalid opcode",
        [7] = "device not available",
        [8] = "double fault",
        [9] = "coprocessor segment overrun",
        [10] = "invalid TSS",
        [11] = "segment not present",
        [12] = "stack-segment fault",
        [13] = "general protection fault",
        [14] = "page fault",
        [16] = "x87 floating-point error",
        [17] = "alignment check",
        [18] = "machine check",
        [19] = "SIMD floating-point error",
        [20] = "virtualization exception",
        [21] = "control protection exception",
        [29] = "VMM communication exception",
        [30] = "security exception",
    };
    return vector < 32 ? names[vector] : 0;
}

/* Priorities a task may give: 1 (lowest) .. 31. */
#define WG_PRIORITY_MAX 31

/* ---- IPC ---- */

#define WG_IPC_ROOT_ADDRESS 0  /* the root (name) server's address */
#define WG_IPC_SERVER_ROOT  1u /* IPC_SERVER_CREATE flag: take address 0 (once) */
#define WG_IPC_EXPECT_REPLY 1u /* IPC_SEND flag */
#define WG_IPC_QUEUE_MAX    64 /* messages alive per connection (queued or awaiting reply) */
/* Short messages (docs/ipc.md#short-messages): the first WG_IPC_SHORT_WORDS entry values of a
 * message with no other content (no entry flags, the other values 0) travel in registers
 * (IPC_CALL_SHORT, IPC_REPLY_RECEIVE_SHORT). */
#define WG_IPC_SHORT_WORDS 4

#define WG_MESSAGE_ENTRIES 6
#define WG_ENTRY_ASSET     1u /* value is a handle: the asset goes to the receiver */
#define WG_ENTRY_MOVE      2u /* with ASSET: moved (the sender's handle is released), not copied */
#define WG_ENTRY_DROPPED   4u /* set on receipt: the asset could not be given a handle */
#define WG_ENTRY_RESTRICT  8u /* with ASSET: the receiver's handle keeps only `rights` */

/* What a received message is: a message, the notice that a connection closed, or an
 * interrupt of a bound interrupt asset (entries[0].value = the ISA IRQ; the line stays
 * masked until IRQ_ACK) or MSI asset (entries[0].value = its vector; no further notice
 * until MSI_ACK, which sends one at once if the vector fired meanwhile). */
#define WG_IPC_EVENT_MESSAGE   0
#define WG_IPC_EVENT_CLOSED    1
#define WG_IPC_EVENT_INTERRUPT 2

struct wg_message_entry {
    uint64_t value; /* data, or a handle when flags has WG_ENTRY_ASSET */
    uint32_t flags;
    uint32_t rights; /* WG_ENTRY_RESTRICT: a mask on send; on receipt: the new handle's */
};

struct wg_message {
    uint64_t connection; /* stamped on receipt: the receiver's handle of the connection */
    uint32_t event;      /* stamped on receipt: WG_IPC_EVENT_* */
    uint32_t reserved;
    struct wg_message_entry entries[WG_MESSAGE_ENTRIES];
};

struct wg_asset_info {
    wg_handle handle;
    uint32_t kind;    /* enum wg_asset_kind */
    uint32_t flags;   /* VMEM: WG_MAP_*; PMEM: WG_PMEM_* */
    uint64_t size;    /* bytes for memory assets */
    uint64_t address; /* VMEM: mapped address; SPACE, TASK: its id (as SYSTEM_TASKS shows) */
    uint32_t rights;  /* WG_RIGHT_* of this handle */
    uint32_t reserved;
};

#define WG_EXEC_MAX_ARGS     16
#define WG_EXEC_ARG_MAX_SIZE 1024 /* all argument strings together, NULs included */

struct wg_exec_args {
    uint64_t count;      /* strings in `strings`, one after another, each NUL-terminated */
    uint64_t size;       /* bytes of `strings` used */
    const char *strings; /* user pointer */
    uint64_t startup;    /* the new program finds it in rdx: its console connection handle */
};

#define WG_MAX_CPUS  64
#define WG_MAX_NODES 8

struct wg_task_info {
    uint64_t id;
    uint64_t space;        /* the space's id (0: a kernel task) */
    uint64_t parent_space; /* that space's parent's id (0: none) */
    uint32_t priority;
    uint32_t cpu;   /* where it runs or last ran */
    uint32_t state; /* 0 new, 1 ready, 2 running, 3 blocked, 4 dead, 5 suspended */
    uint32_t reserved;
    char name[24];
};

struct wg_cpu_info {
    uint64_t cpu_count, node_count;
    uint32_t cpu_node[WG_MAX_CPUS];
    uint32_t apic_id[WG_MAX_CPUS];
    uint8_t distance[WG_MAX_NODES][WG_MAX_NODES];
    uint64_t node_free_pages[WG_MAX_NODES];
    uint64_t node_total_pages[WG_MAX_NODES];
};

struct wg_system_info {
    uint64_t free_pages;
    uint64_t total_pages;
    uint64_t assets; /* assets alive in the whole system */
    uint64_t tasks;  /* tasks alive */
    uint64_t cpus;
    uint64_t nodes;
    uint64_t uptime_ns;
};

/* PCI_ECAM: configuration space of buses first_bus..last_bus at base + (bus << 20) +
 * (device << 15) + (function << 12), 4 KiB per function. */
struct wg_pci_ecam {
    uint64_t base;
    uint32_t segment;
    uint8_t first_bus, last_bus;
    uint16_t reserved;
};

/* MSI_MESSAGE: the address and data a device must write to raise this MSI asset's vector
 * (MSI capability or MSI-X table entry); `vector` is also what the interrupt notice carries
 * in entries[0].value (always >= 0x40, so never an ISA line). */
struct wg_msi_message {
    uint64_t address;
    uint32_t data;
    uint32_t vector;
};

/* A new program starts at its ELF entry with rdi = argc, rsi = argv (argc pointers then a
 * NULL, all on its stack, argv[0] included as EXEC's first string) and rsp 16-byte aligned. */

/* Limits. */
#define WG_LOG_MAX        512   /* bytes in one LOG call */
#define WG_EXEC_NAME_MAX  63    /* bytes in a program name */
#define WG_PMEM_MAX_PAGES 65536 /* pages in one physical memory asset (256 MiB) */

#define WG_EXEC_IMAGE_MAX (16u << 20) /* bytes in an ELF image given to EXEC_IMAGE */

/* Lifetimes: a virtual memory asset keeps its physical memory alive, so the physical memory
 * handle may be released once it is mapped; releasing the last handle of a virtual memory
 * asset unmaps it. */
