/* The one interface between generic kernel code and the architecture layer.
 * Only kernel/arch/<arch>/ implements the arch_* functions; generic code includes nothing
 * else of it but arch_layout.h (the build puts kernel/arch/$(ARCH) on the include path).
 * The last section lists the other direction: what the arch calls up into. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#include "arch_inline.h"
#include "arch_layout.h"

struct boot_info;
struct cpu;

/* Console output for logs and panics (serial). */
void arch_console_write(const char *chars, size_t count);

/* Stops the calling CPU for good, interrupts off (panics stop the others first). */
__attribute__((noreturn)) void arch_halt_all(void);

/* Turns interrupts on and sleeps until the next one, with no gap in which a wakeup could
 * be missed (interrupts must be off when called). */
void arch_wait_for_interrupt(void);

/* Powers the machine off (ACPI S5 through the PM1 control ports) or resets it (the reset
 * register, then port 0xcf9, then the keyboard controller). Return only if that failed. */
struct acpi_power;
void arch_power_off(const struct acpi_power *power);
void arch_reboot(const struct acpi_power *power);

/* Under QEMU in test mode: leaves the emulator with `code` (isa-debug-exit). */
void arch_test_exit(int code);

/* Prints a frame-pointer backtrace starting at the given frame. */
void arch_backtrace_from(uintptr_t rbp, uintptr_t rip);
void arch_backtrace_here(void);

/* Reading the cycle counter. */
uint64_t arch_cycles(void);

/* ---- Interrupt flag, CPUs, IPIs and time. ---- */

/* Defined inline by arch_inline.h (the hot ones):
 *   arch_irq_save()      turns interrupts off, returns the previous state for
 *   arch_irq_restore()   which turns them back on if they were;
 *   arch_irq_enable(), arch_irq_enabled(), arch_cpu_relax() (a spin-wait hint);
 *   arch_this_cpu()      this CPU's generic per-CPU block (cpu_block(index));
 *   arch_current_task()  the task running on this CPU (what arch_set_current_task() stored
 *                        last on this CPU), one load that no migration can split. */

/* Platform bring-up, called by kernel_main in this order. */
/* APIC ID of the boot CPU (from CPUID, before any APIC is touched). */
uint32_t arch_boot_cpu_id(void);
/* Local APIC of the boot CPU, I/O APICs (all masked), legacy PICs off, IPIs, and the
 * calibration of the TSC clock and the APIC timer. Needs paging and the platform tables. */
void arch_interrupts_init(void);
/* Starts this CPU's scheduler tick. */
void arch_timer_start(void);

/* Starting the other CPUs (kernel/sched/cpu.c decides which, once the scheduler and kernel
 * stacks work): prepare once (WG_ERR_NO_MEMORY: none can be started), start each (true once
 * it runs and takes interrupts: it then calls sched_run_idle() on `stack_top`), finish. */
enum wg_error arch_cpu_start_prepare(void);
bool arch_cpu_start(unsigned index, uint32_t apic_id, uintptr_t stack_top);
void arch_cpu_start_finish(void);

/* CPUs the arch can keep per-CPU state for (the generic MAX_CPUS may not exceed it). */
#define ARCH_MAX_CPUS 64
/* This CPU's index (0 = the boot CPU): usable from the arch's first C code on. */
unsigned arch_cpu_index(void);

/* Asks CPU `index` to reschedule (an IPI; nothing when index is this CPU). */
void arch_send_reschedule(unsigned index);
/* Stops every other CPU (NMI), for panics. */
void arch_stop_other_cpus(void);

/* Monotonic time since boot in nanoseconds, from the calibrated TSC. */
uint64_t arch_clock_ns(void);
/* Length of one scheduler tick in nanoseconds. */
uint64_t arch_tick_ns(void);

/* ---- Task contexts. ---- */

/* Saves callee-saved registers and the stack pointer into *save_rsp, switches to load_rsp
 * and returns there. */
void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp);
/* Before switching to a task: its address space (page-table root), the kernel stack that
 * entries from user mode must use, and its I/O port bitmap (NULL: no ports). */
void arch_prepare_switch(uint64_t root, uintptr_t kernel_stack_top, const uint8_t *io_bitmap);

/* I/O port permissions of the running task: a bitmap of ARCH_IO_BITMAP_BYTES (a set bit
 * denies the port), or NULL for none. */
#define ARCH_IO_BITMAP_BYTES 8192
void arch_set_io_bitmap(const uint8_t *bitmap);

/* ISA interrupt lines for userspace drivers: claim routes the line to `handler(irq)`, which
 * runs in interrupt context with the line already masked; unmask re-enables it. */
bool arch_irq_line_claim(unsigned irq, void (*handler)(unsigned irq));
void arch_irq_line_unmask(unsigned irq);
void arch_irq_line_release(unsigned irq);
/* Message-signalled interrupt vectors for userspace drivers: claim finds a free vector
 * (false when none is left) whose interrupts call `handler(vector)` in interrupt context,
 * already acknowledged; message gives the address/data a device must write to raise it. */
bool arch_msi_vector_claim(void (*handler)(unsigned vector), unsigned *vector);
void arch_msi_vector_release(unsigned vector);
void arch_msi_message(unsigned vector, uint64_t *address, uint32_t *data);

/* A task's first entry to user mode. */
__attribute__((noreturn)) void arch_enter_user(uint64_t rip, uint64_t rsp, uint64_t arg0,
                                               uint64_t arg1, uint64_t arg2);

/* Prepares a fresh kernel stack so that switching to the returned stack pointer starts
 * running task_first_run() (kernel/sched/task.c). */
uint64_t arch_task_stack_init(uintptr_t stack_top);

/* Virtual area for kernel stacks (inside the shared kernel half). */
#define ARCH_KSTACK_AREA      KSTACK_AREA_BASE
#define ARCH_KSTACK_AREA_SIZE KSTACK_AREA_SIZE

#define ARCH_FPU_STATE_SIZE  512
#define ARCH_FPU_STATE_ALIGN 16
/* arch_fpu_save(void *area), arch_fpu_restore(const void *area): inline (arch_inline.h). */
/* Writes the state a new task starts with. */
void arch_fpu_init_area(void *area);

/* ---- Paging: page-table trees, one per address space, of 4 KiB pages. ---- */

enum {
    ARCH_MAP_READ = 1 << 0,
    ARCH_MAP_WRITE = 1 << 1,
    ARCH_MAP_EXEC = 1 << 2,
    ARCH_MAP_USER = 1 << 3,
    ARCH_MAP_UNCACHED = 1 << 4,
};

struct arch_translation {
    enum wg_error err;
    uint64_t phys;
    unsigned flags; /* ARCH_MAP_* */
};

struct arch_root_result {
    enum wg_error err;
    uint64_t root;
};

/* Builds the kernel's own page tables from the boot memory map and switches to them. */
void arch_paging_init(const struct boot_info *info);

/* A new tree sharing the kernel half, with an empty user half. */
struct arch_root_result arch_paging_create_root(void);
/* Frees every page-table page of the user half and the root itself (not the mapped pages). */
void arch_paging_destroy_root(uint64_t root);
uint64_t arch_paging_kernel_root(void);
void arch_paging_activate(uint64_t root);
uint64_t arch_paging_active_root(void);

/* Single-page operations. map fails with ALREADY_EXISTS when a page is there, unmap and
 * protect with NOT_FOUND when none is; intermediate tables come from the page allocator. */
enum wg_error arch_paging_map(uint64_t root, uintptr_t virt, uint64_t phys, unsigned flags);
enum wg_error arch_paging_unmap(uint64_t root, uintptr_t virt);
enum wg_error arch_paging_protect(uint64_t root, uintptr_t virt, unsigned flags);
struct arch_translation arch_paging_translate(uint64_t root, uintptr_t virt);

/* Drops the TLB entry of one page of the active tree on this CPU. */
void arch_tlb_flush_page(uintptr_t virt);
/* Drops [virt, virt + pages pages) of `root` from the TLBs of the other CPUs that may cache
 * it (all of them for kernel addresses) and waits until they have. Interrupts must be on. */
void arch_tlb_shootdown(uint64_t root, uintptr_t virt, size_t pages);

/* True if a kernel access to [virt, virt+size) cannot fault in the active tree. */
bool arch_kernel_range_mapped(uintptr_t virt, size_t size);

/* ---- User memory. ---- */

/* Copies `size` bytes between kernel and user memory (either side may be the user one; the
 * caller has checked the user range lies below USER_TOP). WG_ERR_OK, or WG_ERR_BAD_ADDRESS
 * when a page is missing or lacks the rights: the fault is caught, never fatal. */
enum wg_error arch_user_copy(void *dest, const void *src, size_t size);
/* Whether the user byte at `address` (below USER_TOP) may be written, checked by an access
 * that changes nothing: WG_ERR_OK or WG_ERR_BAD_ADDRESS, as for arch_user_copy. */
enum wg_error arch_user_touch_writable(uintptr_t address);

/* ---- Up-calls: what the arch calls in generic code. ----
 * Declared here once, so the arch includes this header and not the scheduler's. Besides
 * these the arch uses only generic services: lib/, kernel/log.h, kernel/panic.h,
 * kernel/sync/spinlock.h, kernel/mm/memory.h and kmalloc.h (page frames, memory for AP
 * blocks), kernel/boot_info.h, kernel/platform.h (ACPI tables), kernel/symbols.h and
 * kernel/stack_guard.h (fault reports). It never reads struct cpu: what it needs of a CPU
 * (index, APIC ID, online) it keeps in its own per-CPU block. */

/* kernel/main.c: the generic boot, once the boot CPU's tables are loaded. */
__attribute__((noreturn)) void kernel_main(struct boot_info *info);

/* kernel/sched: the timer tick on this CPU (interrupt context). */
void sched_tick(void);
/* kernel/sched/wait.c: every tick, wakes the tasks whose deadline has passed. */
void wait_timers_tick(uint64_t now_ns);
/* kernel/sched: at the end of every interrupt, with interrupts off: reschedules if asked
 * and, when returning to user mode, ends a killed task. */
void sched_interrupt_exit(bool to_user);
/* kernel/sched: a CPU exception in user mode (or a state the CPU cannot return to): logs
 * `what` with the instruction and data addresses and ends the task with `status`. */
__attribute__((noreturn)) void task_fault_exit(const char *what, uint64_t ip, uint64_t address,
                                               uint64_t code, int64_t status);
/* kernel/sched/cpu.c: the generic per-CPU block of CPU `index` (< ARCH_MAX_CPUS), which
 * arch_this_cpu() returns on that CPU. */
struct cpu *cpu_block(unsigned index);
/* kernel/sched/cpu.c: a reschedule IPI arrived (interrupt context): this CPU reschedules at
 * its next safe point. */
void cpu_request_resched(void);
/* kernel/sched: on each CPU once it can take interrupts: runs its idle loop forever. */
__attribute__((noreturn)) void sched_run_idle(void);
/* kernel/sched/task.c: entry of a new task from arch_task_stack_init's first switch. */
__attribute__((noreturn)) void task_first_run(void);

/* What a system call returns to user mode (the arch writes both back). */
struct syscall_result {
    /* An enum wg_error, held in a whole register: returned in rax as it is, with no upper
     * half to clear or mask on the way out. */
    uint64_t err;
    uint64_t value;
};
/* kernel/syscall/syscall.c: runs system call `number` of the current task with its six
 * argument registers `args` (interrupts on). */
struct syscall_result syscall_dispatch(const uint64_t *args, uint64_t number);
