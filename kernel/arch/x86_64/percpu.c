/* Per-CPU setup and the small arch services over it: GS points at the CPU's struct arch_cpu
 * (percpu.h), whose first field is the generic struct cpu, so arch_this_cpu() is a single
 * GS-relative load. */
#include "percpu.h"
#include "msr.h"
#include "cr.h"
#include "cpuid.h"
#include "cpu.h"
#include "fpu.h"
#include "interrupt.h"
#include "gdt.h"
#include "paging.h"
#include "kernel/arch.h"
#include "lib/string.h"

#define CR4_PGE_BIT (1ULL << 7)

static struct arch_cpu boot_arch_cpu;
static struct arch_cpu *arch_cpus[ARCH_MAX_CPUS] = {&boot_arch_cpu};
static unsigned registered = 1;

struct arch_cpu *arch_cpu_of(unsigned index)
{
    return index < ARCH_MAX_CPUS ? arch_cpus[index] : NULL;
}

unsigned percpu_count(void)
{
    return __atomic_load_n(&registered, __ATOMIC_ACQUIRE);
}

void percpu_register(unsigned index, struct arch_cpu *arch)
{
    if (index >= ARCH_MAX_CPUS)
        return;
    arch->index = index;
    arch_cpus[index] = arch;
    if (index >= registered)
        __atomic_store_n(&registered, index + 1, __ATOMIC_RELEASE);
}

void percpu_init(struct cpu *cpu, unsigned index, struct arch_cpu *arch)
{
    percpu_register(index, arch);
    arch->cpu = cpu;
    arch->self = arch;
    wrmsr(MSR_GS_BASE, (uint64_t)arch);
    gdt_init_cpu(&arch->tables, (uintptr_t)arch->double_fault_stack + DOUBLE_FAULT_STACK_SIZE,
                 (uintptr_t)arch->nmi_stack + NMI_STACK_SIZE);
    idt_load();
    fpu_init_cpu();
    write_cr4(read_cr4() | CR4_PGE_BIT);
    syscall_init_cpu();
    protect_user_memory();
    arch->active_root = read_cr3() & ~0xfffULL;
}

unsigned arch_cpu_index(void)
{
    unsigned index;
    __asm__ volatile("movl %%gs:%c1, %0" : "=r"(index) : "i"(offsetof(struct arch_cpu, index)));
    return index;
}

uint64_t arch_task_stack_init(uintptr_t stack_top)
{
    extern char task_bootstrap[];
    uint64_t *sp = (uint64_t *)(stack_top & ~15ULL);
    *--sp = 0;                        /* alignment: the bootstrap "call" sees an aligned stack */
    *--sp = (uint64_t)task_bootstrap; /* return address of arch_context_switch */
    for (int i = 0; i < 6; i++)       /* rbp rbx r12 r13 r14 r15 */
        *--sp = 0;
    return (uint64_t)sp;
}

uint32_t arch_boot_cpu_id(void)
{
    uint32_t regs[4];
    cpuid(0, 0, regs);
    if (regs[0] >= 0xb) {
        cpuid(0xb, 0, regs);
        if (regs[1] != 0) /* leaf 0xB present: EDX is the full x2APIC ID */
            return regs[3];
    }
    cpuid(1, 0, regs);
    return regs[1] >> 24;
}

/* The boot CPU is index 0, online from the start. */
void percpu_init_boot_cpu(void)
{
    percpu_init(cpu_block(0), 0, &boot_arch_cpu);
    boot_arch_cpu.apic_id = arch_boot_cpu_id();
    boot_arch_cpu.online = true;
}

extern char syscall_entry[];
extern uint8_t arch_smap_enabled;

#define MSR_STAR  0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define EFER_SCE  (1ULL << 0)
#define CR4_SMEP  (1ULL << 20)
#define CR4_SMAP  (1ULL << 21)

/* syscall enters at syscall_entry with IF, DF, TF and AC cleared; sysret returns to the user
 * code and data selectors, which the GDT places at STAR[63:48] + 16 and + 8. */
void syscall_init_cpu(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)GDT_KERNEL_CODE << 32) | ((uint64_t)(GDT_USER_DATA - 8) | 3) << 48);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, (1u << 9) | (1u << 10) | (1u << 8) | (1u << 18));
}

/* SMEP and SMAP when the CPU has them: the kernel neither runs nor (outside the user-copy
 * routine) touches user pages. */
void protect_user_memory(void)
{
    uint32_t regs[4];
    cpuid(0, 0, regs);
    if (regs[0] < 7)
        return;
    cpuid(7, 0, regs);
    if (regs[1] & (1u << 7))
        write_cr4(read_cr4() | CR4_SMEP);
    if (regs[1] & (1u << 20)) {
        write_cr4(read_cr4() | CR4_SMAP);
        arch_smap_enabled = 1;
    }
}

static __attribute__((noinline)) void load_io_bitmap(struct arch_cpu *arch, const uint8_t *bitmap)
{
    if (bitmap)
        memcpy(arch->tables.block.io_bitmap, bitmap, IO_BITMAP_BYTES);
    else
        memset(arch->tables.block.io_bitmap, 0xff, IO_BITMAP_BYTES);
    arch->io_bitmap = bitmap;
}

void arch_set_io_bitmap(const uint8_t *bitmap)
{
    struct arch_cpu *arch = percpu_this();
    if (arch->io_bitmap != bitmap || bitmap) /* the common case: no ports before, none now */
        load_io_bitmap(arch, bitmap);
}

void arch_prepare_switch(uint64_t root, uintptr_t kernel_stack_top, const uint8_t *io_bitmap)
{
    struct arch_cpu *arch = percpu_this();
    if (arch->io_bitmap != io_bitmap || io_bitmap)
        load_io_bitmap(arch, io_bitmap);
    arch_switch_stack_and_root(root, kernel_stack_top);
}
