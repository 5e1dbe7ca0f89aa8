/* What the x86_64 arch keeps per CPU beside the generic struct cpu. GS points at this CPU's
 * struct arch_cpu: its first field is the generic struct cpu (one load for arch_this_cpu()),
 * the next two are the syscall entry's stacks (syscall.S reads them through GS). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch_inline.h"
#include "gdt.h"

#define DOUBLE_FAULT_STACK_SIZE 8192
#define NMI_STACK_SIZE          8192

struct cpu;

struct arch_cpu {
    struct cpu *cpu;           /* offset 0: the generic per-CPU block */
    uint64_t syscall_stack;    /* offset 8: kernel stack top of the current task */
    uint64_t syscall_user_rsp; /* offset 16: user stack pointer during syscall entry */
    struct arch_cpu *self;     /* percpu_this() reads it through GS */
    void *current_task;        /* offset 32: arch_current_task() */
    unsigned index;            /* the generic CPU index (arch_cpu_index()) */
    uint32_t apic_id;
    volatile bool online; /* takes interrupts: IPIs may be sent to it */
    struct cpu_tables tables;
    uint64_t active_root;
    const uint8_t *io_bitmap; /* the space bitmap loaded in the TSS, or NULL (all denied) */
    uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));
    uint8_t nmi_stack[NMI_STACK_SIZE] __attribute__((aligned(16)));
};

_Static_assert(offsetof(struct arch_cpu, cpu) == 0, "arch_this_cpu() reads %gs:0");
_Static_assert(offsetof(struct arch_cpu, syscall_stack) == 8, "syscall.S reads %gs:8");
_Static_assert(offsetof(struct arch_cpu, syscall_user_rsp) == 16, "syscall.S uses %gs:16");
_Static_assert(offsetof(struct arch_cpu, current_task) == ARCH_GS_CURRENT_OFF,
               "arch_current_task() reads %gs:32");
_Static_assert(offsetof(struct arch_cpu, syscall_stack) == ARCH_GS_SYSCALL_STACK_OFF,
               "arch_prepare_switch_fast() writes %gs:8");
_Static_assert(offsetof(struct arch_cpu, tables.block.tss.rsp[0]) == ARCH_GS_TSS_RSP0_OFF,
               "arch_prepare_switch_fast() writes the TSS's rsp0");
_Static_assert(offsetof(struct arch_cpu, active_root) == ARCH_GS_ACTIVE_ROOT_OFF,
               "arch_prepare_switch_fast() writes active_root");
_Static_assert(offsetof(struct arch_cpu, io_bitmap) == ARCH_GS_IO_BITMAP_OFF,
               "arch_prepare_switch_fast() reads io_bitmap");

/* CPU `index`'s arch block (NULL before it is registered). */
struct arch_cpu *arch_cpu_of(unsigned index);
/* One more than the highest index registered: the bound for loops over arch_cpu_of(). */
unsigned percpu_count(void);
/* This CPU's arch block, through GS. */
static inline struct arch_cpu *percpu_this(void)
{
    struct arch_cpu *arch;
    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(arch) : "i"(offsetof(struct arch_cpu, self)));
    return arch;
}
/* Loads this CPU's tables, GS base and FPU settings (boot CPU and APs alike). */
void percpu_init(struct cpu *cpu, unsigned index, struct arch_cpu *arch);
void percpu_register(unsigned index, struct arch_cpu *arch);
void percpu_init_boot_cpu(void);
void syscall_init_cpu(void);
void protect_user_memory(void);
