/* GDT with flat kernel and user segments and one TSS whose IST1 is the double-fault stack,
 * so a kernel stack overflow is reported instead of escalating to a triple fault. */
#include "kernel/arch/x86_64/gdt.h"

#include <stddef.h>

struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct __attribute__((packed)) gdt_pointer {
    uint16_t limit;
    uint64_t base;
};

#define SEG_CODE64_KERNEL 0x00af9a000000ffffULL
#define SEG_DATA_KERNEL   0x00cf92000000ffffULL
#define SEG_DATA_USER     0x00cff2000000ffffULL
#define SEG_CODE64_USER   0x00affa000000ffffULL

extern char double_fault_stack_top[];

static struct tss boot_tss;
static uint64_t boot_gdt[7];

static void gdt_set_tss(uint64_t *slot, const struct tss *tss)
{
    uint64_t base = (uint64_t)tss;
    uint64_t limit = sizeof(*tss) - 1;

    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
              (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

static void gdt_load(void)
{
    struct gdt_pointer pointer = {sizeof(boot_gdt) - 1, (uint64_t)boot_gdt};

    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(pointer), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
                     : "rax", "memory");
}

void gdt_init(void)
{
    boot_gdt[0] = 0;
    boot_gdt[1] = SEG_CODE64_KERNEL;
    boot_gdt[2] = SEG_DATA_KERNEL;
    boot_gdt[3] = SEG_DATA_USER;
    boot_gdt[4] = SEG_CODE64_USER;
    boot_tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)double_fault_stack_top;
    boot_tss.iomap_base = sizeof(boot_tss); /* no I/O bitmap: user port access faults */
    gdt_set_tss(&boot_gdt[5], &boot_tss);
    gdt_load();
}
