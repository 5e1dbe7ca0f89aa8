/* The x86_64 half of the arch interface that must be inline to be cheap: the interrupt flag
 * and the per-CPU reads through GS (kernel/arch.h declares what each means). Every system
 * call and every lock uses these; a call each would cost more than the work. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ARCH_RFLAGS_IF      (1ull << 9)
#define ARCH_GS_CURRENT_OFF 32 /* struct arch_cpu.current_task (percpu.h checks it) */

static inline uint64_t arch_irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
    return flags;
}

static inline void arch_irq_restore(uint64_t flags)
{
    if (flags & ARCH_RFLAGS_IF)
        __asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline bool arch_irq_enabled(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return flags & ARCH_RFLAGS_IF;
}

static inline void arch_cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

static inline struct cpu *arch_this_cpu(void)
{
    struct cpu *cpu;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(cpu));
    return cpu;
}

/* Not volatile: within one function the current task never changes (a task that migrates
 * takes its own identity along), so the compiler may reuse the value. */
static inline void *arch_current_task(void)
{
    void *task;
    __asm__("movq %%gs:%c1, %0" : "=r"(task) : "i"(ARCH_GS_CURRENT_OFF));
    return task;
}

static inline void arch_set_current_task(void *task)
{
    __asm__ volatile("movq %0, %%gs:%c1" ::"r"(task), "i"(ARCH_GS_CURRENT_OFF) : "memory");
}

/* A task's FPU/SSE registers to and from its save area (fpu.c: eager, every switch). */
static inline void arch_fpu_save(void *area)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void arch_fpu_restore(const void *area)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/* struct arch_cpu offsets the switch reads through GS (percpu.h checks them). */
#define ARCH_GS_SYSCALL_STACK_OFF 8
#define ARCH_GS_TSS_RSP0_OFF      0x84
#define ARCH_GS_ACTIVE_ROOT_OFF   0x20f0
#define ARCH_GS_IO_BITMAP_OFF     0x20f8
#define ARCH_CR3_ADDR_MASK        0x000ffffffffff000ull

/* A switch's kernel stack (for syscalls and interrupts) and address space, through GS; the
 * root is recorded before it is loaded, so a TLB shootdown sent meanwhile does not miss
 * this CPU. */
static inline void arch_switch_stack_and_root(uint64_t root, uintptr_t kernel_stack_top)
{
    __asm__ volatile("movq %0, %%gs:%c1\n\tmovq %0, %%gs:%c2" ::"r"(kernel_stack_top),
                     "i"(ARCH_GS_TSS_RSP0_OFF), "i"(ARCH_GS_SYSCALL_STACK_OFF)
                     : "memory");
    __asm__ volatile("movq %0, %%gs:%c1" ::"r"(root), "i"(ARCH_GS_ACTIVE_ROOT_OFF) : "memory");
    uint64_t cr3;
    __asm__ volatile("movq %%cr3, %0" : "=r"(cr3));
    if ((cr3 & ARCH_CR3_ADDR_MASK) != root)
        __asm__ volatile("movq %0, %%cr3" ::"r"(root) : "memory");
}

/* arch_prepare_switch's common case, inline: neither the task switched from nor the one
 * switched to uses I/O ports. False, doing nothing, when the I/O bitmap is involved. */
static inline bool arch_prepare_switch_fast(uint64_t root, uintptr_t kernel_stack_top,
                                            const uint8_t *io_bitmap)
{
    const uint8_t *loaded;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(loaded) : "i"(ARCH_GS_IO_BITMAP_OFF));
    if (io_bitmap || loaded)
        return false;
    arch_switch_stack_and_root(root, kernel_stack_top);
    return true;
}

#define ARCH_SYSCALL_FRAME_WORDS 10 /* what syscall.S pushes at the top of the kernel stack */

/* The argument registers the running syscall entered with, saved at the top of its kernel
 * stack by syscall.S in the order rdi, rsi, rdx, r10, r8, r9. Writing one changes what that
 * register holds when the syscall returns (rdx excepted: it carries the result's value). */
static inline uint64_t *arch_syscall_registers(uintptr_t kernel_stack_top)
{
    return (uint64_t *)kernel_stack_top - ARCH_SYSCALL_FRAME_WORDS;
}
