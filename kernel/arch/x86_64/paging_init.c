/* Builds the kernel's page tables at boot: the higher-half direct map of RAM with 2 MiB
 * pages (read-write, no-execute), the kernel image with 4 KiB pages and per-section rights,
 * and an unmapped guard page under the boot stack. Then switches to them, which drops the
 * boot tables' identity map: from here on a null pointer faults. */
#include "cr.h"
#include "paging.h"
#include "kernel/arch.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/mm/memory.h"
#include "kernel/panic.h"
#include "kernel/stack_guard.h"

#define LARGE_PAGE 0x200000ULL
#define LOW_MEMORY 0x100000ULL

extern uint32_t boot_has_nx;
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], boot_stack_guard[];

static uint64_t root;

static uint64_t *table_at(uint64_t phys)
{
    return (uint64_t *)phys_to_virt(phys);
}

/* The kernel half's PML4 entries are all created now and never change afterwards. */
static void create_kernel_half(void)
{
    uint64_t *pml4 = table_at(root);
    for (unsigned i = 256; i < 512; i++) {
        bool used = i == 511 || (i - 256) * HHDM_MAX_PHYS < memory_highest_phys();
        if (!used)
            continue;
        uint64_t pdpt = paging_new_table();
        if (!pdpt)
            panic("paging: out of memory for kernel tables");
        pml4[i] = pdpt | PTE_PRESENT | PTE_WRITE;
    }
}

static void map_large(uint64_t phys)
{
    uintptr_t virt = (uintptr_t)phys_to_virt(phys);
    uint64_t *table = table_at(root);
    for (int level = 3; level > 1; level--) {
        uint64_t *entry = &table[(virt >> (12 + 9 * level)) & 511];
        if (!(*entry & PTE_PRESENT)) {
            uint64_t fresh = paging_new_table();
            if (!fresh)
                panic("paging: out of memory for the direct map");
            *entry = fresh | PTE_PRESENT | PTE_WRITE;
        }
        table = table_at(*entry & PTE_ADDR_MASK);
    }
    uint64_t *pde = &table[(virt >> 21) & 511];
    if (!(*pde & PTE_PRESENT))
        *pde = phys | PTE_HUGE | paging_leaf_flags(ARCH_MAP_READ | ARCH_MAP_WRITE, virt);
}

static void map_direct_range(uint64_t base, uint64_t length)
{
    uint64_t end = base + length;
    if (end > HHDM_MAX_PHYS || end < base)
        end = HHDM_MAX_PHYS;
    for (uint64_t phys = base & ~(LARGE_PAGE - 1); phys < end; phys += LARGE_PAGE)
        map_large(phys);
}

static void map_direct(const struct boot_info *info)
{
    map_direct_range(0, LOW_MEMORY); /* BIOS data and tables live here */
    for (size_t i = 0; i < info->memory_count; i++) {
        const struct boot_memory_range *r = &info->memory[i];
        if (r->type != BOOT_MEMORY_RESERVED && r->type != BOOT_MEMORY_BAD)
            map_direct_range(r->base, r->length);
    }
}

static void map_image_range(char *start, char *end, unsigned flags)
{
    for (uintptr_t virt = (uintptr_t)start; virt < (uintptr_t)end; virt += PAGE_SIZE) {
        if (virt == (uintptr_t)boot_stack_guard)
            continue;
        if (arch_paging_map(root, virt, virt - KERNEL_VMA, flags) != WG_ERR_OK)
            panic("paging: cannot map the kernel image at %#lx", virt);
    }
}

void arch_paging_init(const struct boot_info *info)
{
    bool has_nx = boot_has_nx != 0; /* lives in the boot section, unmapped after the switch */
    root = paging_new_table();
    if (!root)
        panic("paging: no memory for the kernel root table");
    paging_set_kernel_root(root, has_nx);
    create_kernel_half();
    map_direct(info);
    map_image_range(__text_start, __text_end, ARCH_MAP_READ | ARCH_MAP_EXEC);
    map_image_range(__rodata_start, __rodata_end, ARCH_MAP_READ);
    map_image_range(__data_start, __data_end, ARCH_MAP_READ | ARCH_MAP_WRITE);
    stack_guard_register((uintptr_t)boot_stack_guard, PAGE_SIZE, "boot CPU stack");
    write_cr4(read_cr4() | CR4_PGE);
    write_cr3(root);
    memory_paging_ready();
    log_info("paging: kernel tables at %#lx, NX %s, direct map up to %#lx", root,
             has_nx ? "on" : "unsupported", memory_highest_phys());
}
