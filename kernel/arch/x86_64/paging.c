/* 4-level x86_64 page tables: map, unmap, protect and translate single 4 KiB pages in a
 * tree, create and destroy trees. Tables are reached through the higher-half direct map.
 * The kernel half (PML4 entries 256-511) is created once at boot and then only shared, so
 * every tree sees the same kernel mappings without ever syncing them. */
#include "paging.h"
#include "cr.h"
#include "percpu.h"
#include "kernel/arch.h"
#include "kernel/mm/memory.h"
#include "lib/string.h"

static uint64_t pte_nx; /* PTE_NX when the CPU has NX, else 0 (the bit would be reserved) */
static uint64_t kernel_root;

static uint64_t *table_at(uint64_t phys)
{
    return (uint64_t *)phys_to_virt(phys);
}

static unsigned table_index(uintptr_t virt, int level)
{
    return (virt >> (12 + 9 * level)) & 511;
}

static bool is_canonical(uintptr_t virt)
{
    return virt < USER_TOP || virt >= HHDM_BASE;
}

/* A zeroed page for a new table, or 0 when memory is exhausted. */
static uint64_t table_alloc(void)
{
    struct pmm_result page = memory_alloc_pages(1);
    if (page.err != WG_ERR_OK)
        return 0;
    memset(table_at(page.phys), 0, PAGE_SIZE);
    return page.phys;
}

/* The entry for `virt` at `level` (0 = page table), creating tables on the way when
 * `create`. NULL when a table is missing (and not created), memory ran out (*err =
 * NO_MEMORY) or a large page is in the way (*err = ALREADY_EXISTS). The kernel half's
 * top-level entries are never created here: they are shared by every tree. */
static uint64_t *walk(uint64_t root, uintptr_t virt, int level, bool create, enum wg_error *err)
{
    uint64_t *table = table_at(root);
    *err = WG_ERR_NOT_FOUND;
    for (int l = 3; l > level; l--) {
        uint64_t *entry = &table[table_index(virt, l)];
        if (*entry & PTE_HUGE) {
            *err = WG_ERR_ALREADY_EXISTS;
            return NULL;
        }
        if (!(*entry & PTE_PRESENT)) {
            bool shared_slot = l == 3 && virt >= HHDM_BASE;
            uint64_t fresh = create && !shared_slot ? table_alloc() : 0;
            if (create && !shared_slot && !fresh)
                *err = WG_ERR_NO_MEMORY;
            if (!fresh)
                return NULL;
            *entry = fresh | PTE_PRESENT | PTE_WRITE | (virt < USER_TOP ? PTE_USER : 0);
        }
        table = table_at(*entry & PTE_ADDR_MASK);
    }
    return &table[table_index(virt, level)];
}

uint64_t paging_leaf_flags(unsigned flags, uintptr_t virt)
{
    uint64_t pte = PTE_PRESENT;
    if (flags & ARCH_MAP_WRITE)
        pte |= PTE_WRITE;
    if (flags & ARCH_MAP_USER)
        pte |= PTE_USER;
    if (!(flags & ARCH_MAP_EXEC))
        pte |= pte_nx;
    if (flags & ARCH_MAP_UNCACHED)
        pte |= PTE_PCD | PTE_PWT;
    if (virt >= HHDM_BASE)
        pte |= PTE_GLOBAL;
    return pte;
}

static unsigned paging_arch_flags(uint64_t pte)
{
    unsigned flags = ARCH_MAP_READ;
    if (pte & PTE_WRITE)
        flags |= ARCH_MAP_WRITE;
    if (pte & PTE_USER)
        flags |= ARCH_MAP_USER;
    if (!(pte & PTE_NX))
        flags |= ARCH_MAP_EXEC;
    if (pte & PTE_PCD)
        flags |= ARCH_MAP_UNCACHED;
    return flags;
}

/* Kernel-half pages are shared by every tree: only the kernel's own tree may change them. */
static enum wg_error check_page(uint64_t root, uintptr_t virt, unsigned flags)
{
    if (virt & (PAGE_SIZE - 1))
        return WG_ERR_MISALIGNED;
    if (!is_canonical(virt))
        return WG_ERR_INVALID_ARGUMENT;
    if (virt >= USER_TOP && ((flags & ARCH_MAP_USER) || root != kernel_root))
        return WG_ERR_ACCESS_DENIED;
    return WG_ERR_OK;
}

enum wg_error arch_paging_map(uint64_t root, uintptr_t virt, uint64_t phys, unsigned flags)
{
    enum wg_error err = check_page(root, virt, flags);
    if (err != WG_ERR_OK)
        return err;
    if (phys & (PAGE_SIZE - 1))
        return WG_ERR_MISALIGNED;
    if (phys & ~PTE_ADDR_MASK)
        return WG_ERR_OUT_OF_RANGE;
    uint64_t *pte = walk(root, virt, 0, true, &err);
    if (!pte)
        return err == WG_ERR_NOT_FOUND ? WG_ERR_ACCESS_DENIED : err;
    if (*pte & PTE_PRESENT)
        return WG_ERR_ALREADY_EXISTS;
    *pte = phys | paging_leaf_flags(flags, virt);
    return WG_ERR_OK;
}

/* Rewrites the present leaf entry of `virt`: removed, or given new rights; then drops the
 * page from this CPU's TLB when the tree is in use here (callers shoot other CPUs down). */
static enum wg_error rewrite_leaf(uint64_t root, uintptr_t virt, unsigned flags, bool remove)
{
    enum wg_error err = check_page(root, virt, flags);
    if (err != WG_ERR_OK)
        return err;
    uint64_t *pte = walk(root, virt, 0, false, &err);
    if (!pte || !(*pte & PTE_PRESENT))
        return WG_ERR_NOT_FOUND;
    *pte = remove ? 0 : (*pte & PTE_ADDR_MASK) | paging_leaf_flags(flags, virt);
    if (root == arch_paging_active_root() || virt >= HHDM_BASE)
        arch_tlb_flush_page(virt);
    return WG_ERR_OK;
}

enum wg_error arch_paging_unmap(uint64_t root, uintptr_t virt)
{
    return rewrite_leaf(root, virt, 0, true);
}

enum wg_error arch_paging_protect(uint64_t root, uintptr_t virt, unsigned flags)
{
    return rewrite_leaf(root, virt, flags, false);
}

struct arch_translation arch_paging_translate(uint64_t root, uintptr_t virt)
{
    struct arch_translation none = {.err = WG_ERR_NOT_FOUND};
    if (!is_canonical(virt))
        return (struct arch_translation){.err = WG_ERR_INVALID_ARGUMENT};
    uint64_t *table = table_at(root);
    for (int level = 3; level >= 0; level--) {
        uint64_t entry = table[table_index(virt, level)];
        if (!(entry & PTE_PRESENT))
            return none;
        if (level == 0 || (entry & PTE_HUGE)) {
            uint64_t page_mask = (1ULL << (12 + 9 * level)) - 1;
            uint64_t base = entry & PTE_ADDR_MASK & ~page_mask;
            return (struct arch_translation){WG_ERR_OK, base | (virt & page_mask),
                                             paging_arch_flags(entry)};
        }
        table = table_at(entry & PTE_ADDR_MASK);
    }
    return none;
}

bool arch_kernel_range_mapped(uintptr_t virt, size_t size)
{
    uint64_t root = arch_paging_active_root();
    uintptr_t end = virt + size;
    if (end < virt)
        return false;
    for (uintptr_t page = virt & ~(uintptr_t)(PAGE_SIZE - 1); page < end; page += PAGE_SIZE)
        if (arch_paging_translate(root, page).err != WG_ERR_OK)
            return false;
    return true;
}

struct arch_root_result arch_paging_create_root(void)
{
    uint64_t root = table_alloc();
    if (!root)
        return (struct arch_root_result){.err = WG_ERR_NO_MEMORY};
    memcpy(table_at(root) + 256, table_at(kernel_root) + 256, 256 * sizeof(uint64_t));
    return (struct arch_root_result){WG_ERR_OK, root};
}

static void free_subtree(uint64_t table_phys, int level)
{
    uint64_t *table = table_at(table_phys);
    for (unsigned i = 0; level > 0 && i < 512; i++)
        if ((table[i] & PTE_PRESENT) && !(table[i] & PTE_HUGE))
            free_subtree(table[i] & PTE_ADDR_MASK, level - 1);
    memory_free_pages(table_phys, 1);
}

void arch_paging_destroy_root(uint64_t root)
{
    if (root == kernel_root || root == arch_paging_active_root())
        return; /* a caller bug; leaking beats freeing tables in use */
    uint64_t *pml4 = table_at(root);
    for (unsigned i = 0; i < 256; i++)
        if (pml4[i] & PTE_PRESENT)
            free_subtree(pml4[i] & PTE_ADDR_MASK, 2);
    memory_free_pages(root, 1);
}

uint64_t arch_paging_kernel_root(void)
{
    return kernel_root;
}

void arch_paging_activate(uint64_t root)
{
    paging_activate_on(percpu_this(), root);
}

uint64_t arch_paging_active_root(void)
{
    return read_cr3() & PTE_ADDR_MASK;
}

void arch_tlb_flush_page(uintptr_t virt)
{
    invlpg(virt);
}

/* Used once by paging_init.c. */
void paging_set_kernel_root(uint64_t root, bool has_nx)
{
    kernel_root = root;
    pte_nx = has_nx ? PTE_NX : 0;
}

uint64_t paging_new_table(void)
{
    return table_alloc();
}
