/* In-kernel tests of the page tables: kernel image rights, user address spaces, TLB
 * invalidation on remap, bad arguments, and page-table pages freed with their tree. */
#include "kernel/arch.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"
#include "kernel/test/ktest.h"

#define USER_BASE 0x400000UL
#define RW_USER   (ARCH_MAP_READ | ARCH_MAP_WRITE | ARCH_MAP_USER)

extern char __text_start[], __rodata_start[], __data_start[], boot_stack_guard[];

static uint64_t alloc_page_or_zero(void)
{
    struct pmm_result page = memory_alloc_pages(1);
    return page.err == WG_ERR_OK ? page.phys : 0;
}

KTEST(paging_kernel_image_rights)
{
    uint64_t root = arch_paging_kernel_root();
    struct arch_translation text = arch_paging_translate(root, (uintptr_t)__text_start);
    struct arch_translation rodata = arch_paging_translate(root, (uintptr_t)__rodata_start);
    struct arch_translation data = arch_paging_translate(root, (uintptr_t)__data_start);
    struct arch_translation direct = arch_paging_translate(root, (uintptr_t)phys_to_virt(0x100000));
    KEXPECT(text.err == WG_ERR_OK && (text.flags & ARCH_MAP_EXEC) &&
            !(text.flags & ARCH_MAP_WRITE));
    KEXPECT(rodata.err == WG_ERR_OK && !(rodata.flags & (ARCH_MAP_EXEC | ARCH_MAP_WRITE)));
    KEXPECT(data.err == WG_ERR_OK && (data.flags & ARCH_MAP_WRITE) &&
            !(data.flags & ARCH_MAP_EXEC));
    KEXPECT(direct.err == WG_ERR_OK && direct.phys == 0x100000 && !(direct.flags & ARCH_MAP_EXEC));
    KEXPECT(arch_paging_translate(root, (uintptr_t)boot_stack_guard).err == WG_ERR_NOT_FOUND);
    KEXPECT(arch_paging_translate(root, 0).err == WG_ERR_NOT_FOUND);
    KEXPECT(!(text.flags & ARCH_MAP_USER) && !(data.flags & ARCH_MAP_USER));
}

KTEST(paging_user_space_map_protect_unmap)
{
    enum { PAGES = 16 };
    uint64_t free_before = memory_free_page_count();
    struct arch_root_result tree = arch_paging_create_root();
    if (!KEXPECT(tree.err == WG_ERR_OK))
        return;
    uint64_t frames[PAGES];
    for (unsigned i = 0; i < PAGES; i++) {
        frames[i] = alloc_page_or_zero();
        KEXPECT(arch_paging_map(tree.root, USER_BASE + i * PAGE_SIZE, frames[i], RW_USER) ==
                WG_ERR_OK);
    }
    /* User pages are reached through the user-copy routine, as with SMAP they must be.
     * Interrupts stay off while the tree is active: a switch would load another tree. */
    uint64_t irq = arch_irq_save();
    uint64_t previous = arch_paging_active_root();
    arch_paging_activate(tree.root);
    for (unsigned i = 0; i < PAGES; i++) {
        uint64_t value = 0xC0DE0000 + i;
        KEXPECT(copy_to_user(USER_BASE + i * PAGE_SIZE, &value, 8) == WG_ERR_OK);
    }
    for (unsigned i = 0; i < PAGES; i++)
        KEXPECT(*(uint64_t *)phys_to_virt(frames[i]) == 0xC0DE0000 + i);

    /* Remap page 0 to page 1's frame: the cached translation must be dropped. */
    uint64_t seen = 0;
    KEXPECT(copy_from_user(&seen, USER_BASE, 8) == WG_ERR_OK && seen == 0xC0DE0000);
    KEXPECT(arch_paging_unmap(tree.root, USER_BASE) == WG_ERR_OK);
    KEXPECT(arch_paging_map(tree.root, USER_BASE, frames[1], RW_USER) == WG_ERR_OK);
    KEXPECT(copy_from_user(&seen, USER_BASE, 8) == WG_ERR_OK && seen == 0xC0DE0001);
    /* An unmapped user address is a clean error, not a kernel fault. */
    KEXPECT(copy_from_user(&seen, USER_BASE + PAGES * PAGE_SIZE, 8) == WG_ERR_BAD_ADDRESS);
    KEXPECT(copy_from_user(&seen, HHDM_BASE, 8) == WG_ERR_BAD_ADDRESS);

    KEXPECT(arch_paging_protect(tree.root, USER_BASE, ARCH_MAP_READ | ARCH_MAP_USER) == WG_ERR_OK);
    struct arch_translation t = arch_paging_translate(tree.root, USER_BASE);
    KEXPECT(t.err == WG_ERR_OK && t.phys == frames[1] && !(t.flags & ARCH_MAP_WRITE));
    KEXPECT((t.flags & ARCH_MAP_USER) && !(t.flags & ARCH_MAP_EXEC));
    KEXPECT(copy_to_user(USER_BASE, &seen, 8) == WG_ERR_BAD_ADDRESS); /* now read-only */
    arch_paging_activate(previous);
    arch_irq_restore(irq);

    for (unsigned i = 0; i < PAGES; i++) {
        KEXPECT(arch_paging_unmap(tree.root, USER_BASE + i * PAGE_SIZE) == WG_ERR_OK);
        KEXPECT(arch_paging_translate(tree.root, USER_BASE + i * PAGE_SIZE).err ==
                WG_ERR_NOT_FOUND);
        memory_free_pages(frames[i], 1);
    }
    arch_paging_destroy_root(tree.root);
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST(paging_bad_arguments)
{
    uint64_t free_before = memory_free_page_count();
    struct arch_root_result tree = arch_paging_create_root();
    uint64_t frame = alloc_page_or_zero();
    if (!KEXPECT(tree.err == WG_ERR_OK && frame != 0))
        return;
    uint64_t r = tree.root;
    KEXPECT(arch_paging_map(r, USER_BASE + 1, frame, RW_USER) == WG_ERR_MISALIGNED);
    KEXPECT(arch_paging_map(r, USER_BASE, frame + 8, RW_USER) == WG_ERR_MISALIGNED);
    KEXPECT(arch_paging_map(r, 0x0000900000000000UL, frame, RW_USER) == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(arch_paging_map(r, HHDM_BASE + 0x1000000000UL, frame, RW_USER) == WG_ERR_ACCESS_DENIED);
    KEXPECT(arch_paging_map(r, USER_BASE, 1ULL << 60, RW_USER) == WG_ERR_OUT_OF_RANGE);
    /* The shared kernel half cannot be changed through a user tree, and the direct map's
     * large pages cannot be split by a 4 KiB mapping. */
    KEXPECT(arch_paging_map(r, HHDM_BASE + 0x1000000000UL, frame, ARCH_MAP_READ) ==
            WG_ERR_ACCESS_DENIED);
    KEXPECT(arch_paging_unmap(r, (uintptr_t)phys_to_virt(frame)) == WG_ERR_ACCESS_DENIED);
    KEXPECT(arch_paging_map(arch_paging_kernel_root(), (uintptr_t)phys_to_virt(frame), frame,
                            ARCH_MAP_READ) == WG_ERR_ALREADY_EXISTS);
    KEXPECT(arch_paging_map(arch_paging_kernel_root(), 0xffffc00000000000UL, frame,
                            ARCH_MAP_READ) == WG_ERR_ACCESS_DENIED);
    KEXPECT(arch_paging_map(r, USER_BASE, frame, RW_USER) == WG_ERR_OK);
    KEXPECT(arch_paging_map(r, USER_BASE, frame, RW_USER) == WG_ERR_ALREADY_EXISTS);
    KEXPECT(arch_paging_unmap(r, USER_BASE + PAGE_SIZE) == WG_ERR_NOT_FOUND);
    KEXPECT(arch_paging_unmap(r, 0x7ffffffff000UL) == WG_ERR_NOT_FOUND);
    KEXPECT(arch_paging_protect(r, USER_BASE + PAGE_SIZE, RW_USER) == WG_ERR_NOT_FOUND);
    KEXPECT(arch_paging_translate(r, 0x0000900000000000UL).err == WG_ERR_INVALID_ARGUMENT);
    arch_paging_destroy_root(r); /* with the page still mapped: tables go, the frame stays */
    KEXPECT(memory_page_allocated(frame));
    memory_free_pages(frame, 1);
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST(paging_many_trees_freed)
{
    /* Mappings spread over several PML4, PDPT and PD slots force every table level. */
    static const uintptr_t spots[] = {0x1000, 0x200000, 0x40000000, 0x8000000000, 0x7ffffffff000};
    uint64_t free_before = memory_free_page_count();
    uint64_t frame = alloc_page_or_zero();
    for (unsigned round = 0; round < 200 && frame; round++) {
        struct arch_root_result tree = arch_paging_create_root();
        if (!KEXPECT(tree.err == WG_ERR_OK))
            break;
        for (unsigned i = 0; i < sizeof(spots) / sizeof(spots[0]); i++)
            KEXPECT(arch_paging_map(tree.root, spots[i], frame, RW_USER) == WG_ERR_OK);
        arch_paging_destroy_root(tree.root);
    }
    memory_free_pages(frame, 1);
    KEXPECT(memory_free_page_count() == free_before);
}
