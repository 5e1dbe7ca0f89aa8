/* GDT with flat kernel and user segments and one TSS per CPU. The double-fault and NMI
 * handlers run on their own IST stacks, so a kernel stack overflow is reported instead of
 * escalating to a triple fault, and an NMI never lands on a half-switched stack. */

#include "gdt.h"
#include <stddef.h>
#include <stdint.h>

struct __attribute__((packed)) gdt_pointer {
    uint16_t limit;
    uint64_t base;
};

#define SEG_CODE64_KERNEL 0x00af9a000000ffffULL
#define SEG_DATA_KERNEL   0x00cf92000000ffffULL
#define SEG_DATA_USER     0x00cff2000000ffffULL
#define SEG_CODE64_USER   0x00affa000000ffffULL

static void gdt_set_tss(uint64_t *slot, const struct tss *tss)
{
    uint64_t base = (uint64_t)tss;
    uint64_t limit = sizeof(*tss) + IO_BITMAP_BYTES; /* the bitmap and its end byte */

    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
              (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

static void gdt_load(const uint64_t *gdt, size_t size)
{
    struct gdt_pointer pointer = {size - 1, (uint64_t)gdt};

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

void gdt_init_cpu(struct cpu_tables *tables, uintptr_t double_fault_stack, uintptr_t nmi_stack)
{
    tables->gdt[0] = 0;
    tables->gdt[1] = SEG_CODE64_KERNEL;
    tables->gdt[2] = SEG_DATA_KERNEL;
    tables->gdt[3] = SEG_DATA_USER;
    tables->gdt[4] = SEG_CODE64_USER;
    struct tss_block *block = &tables->block;
    block->tss = (struct tss){0};
    block->tss.ist[IST_DOUBLE_FAULT - 1] = double_fault_stack;
    block->tss.ist[IST_NMI - 1] = nmi_stack;
    block->tss.iomap_base = sizeof(block->tss); /* the bitmap right after the TSS */
    for (unsigned i = 0; i < IO_BITMAP_BYTES; i++)
        block->io_bitmap[i] = 0xff; /* every port denied until a space is given some */
    block->io_bitmap_end = 0xff;
    gdt_set_tss(&tables->gdt[5], &block->tss);
    gdt_load(tables->gdt, sizeof(tables->gdt));
}
