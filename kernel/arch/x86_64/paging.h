/* x86_64 page-table entry bits and the helpers paging_init.c shares with paging.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cr.h"
#include "percpu.h"

#define PTE_PRESENT   (1ULL << 0)
#define PTE_WRITE     (1ULL << 1)
#define PTE_USER      (1ULL << 2)
#define PTE_PWT       (1ULL << 3)
#define PTE_PCD       (1ULL << 4)
#define PTE_HUGE      (1ULL << 7)
#define PTE_GLOBAL    (1ULL << 8)
#define PTE_NX        (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

void paging_set_kernel_root(uint64_t root, bool has_nx);
/* A zeroed page-table page, or 0 when memory is exhausted. */
uint64_t paging_new_table(void);
/* Leaf entry bits for ARCH_MAP_* flags at `virt`. */
uint64_t paging_leaf_flags(unsigned flags, uintptr_t virt);

/* Loads `root` on this CPU (`arch`) unless it is loaded already; recorded first, so that a
 * TLB shootdown sent meanwhile does not miss this CPU. */
static inline void paging_activate_on(struct arch_cpu *arch, uint64_t root)
{
    arch->active_root = root;
    if ((read_cr3() & PTE_ADDR_MASK) != root)
        write_cr3(root);
}
