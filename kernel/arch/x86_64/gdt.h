/* Segment descriptors and the per-CPU task state segment (IST stacks for double faults and
 * NMIs, the kernel stack for entries from user mode). */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x18 /* sysret expects user data right below user code */
#define GDT_USER_CODE   0x20
#define GDT_TSS         0x28

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2

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

#define IO_BITMAP_BYTES 8192 /* one bit per port; a set bit denies the port */

/* The TSS is followed directly by its I/O permission bitmap and the terminating byte. */
struct __attribute__((packed)) tss_block {
    struct tss tss;
    uint8_t io_bitmap[IO_BITMAP_BYTES];
    uint8_t io_bitmap_end;
};

struct cpu_tables {
    uint64_t gdt[7];
    struct tss_block block __attribute__((aligned(16)));
};

/* Fills and loads this CPU's GDT and TSS. */
void gdt_init_cpu(struct cpu_tables *tables, uintptr_t double_fault_stack, uintptr_t nmi_stack);
