/* Kernel stack slots: KSTACK_PAGES mapped pages above one unmapped guard page each. The page
 * tables of the whole area are made once at boot, so stacks cost only their own pages and
 * free memory returns exactly to where it was when they are freed. */
#include "kernel/sched/kstack.h"
#include "kernel/arch.h"
#include "kernel/mm/memory.h"
#include "kernel/panic.h"
#include "kernel/stack_guard.h"
#include "kernel/sync/spinlock.h"

#define SLOT_PAGES (KSTACK_PAGES + 1)
#define SLOT_SIZE  (SLOT_PAGES * PAGE_SIZE)
#define SLOT_COUNT (ARCH_KSTACK_AREA_SIZE / SLOT_SIZE)
#define TABLE_SPAN 0x200000UL /* one page table maps 2 MiB */

static struct spinlock slots_lock = SPINLOCK_INIT;
static uint64_t slots_used[(SLOT_COUNT + 63) / 64];

void kstack_init(void)
{
    uint64_t root = arch_paging_kernel_root();
    struct pmm_result scratch = memory_alloc_pages(1);
    kassert(scratch.err == WG_ERR_OK);
    for (uintptr_t v = ARCH_KSTACK_AREA; v < ARCH_KSTACK_AREA + ARCH_KSTACK_AREA_SIZE;
         v += TABLE_SPAN) {
        if (arch_paging_map(root, v, scratch.phys, ARCH_MAP_READ) != WG_ERR_OK)
            panic("kstack: cannot build the stack area's page tables");
        arch_paging_unmap(root, v);
    }
    memory_free_pages(scratch.phys, 1);
    /* Each slot starts with its guard page. */
    stack_guard_register_striped(ARCH_KSTACK_AREA, ARCH_KSTACK_AREA_SIZE, SLOT_SIZE, PAGE_SIZE,
                                 "a task's kernel stack");
}

static int slot_take(void)
{
    uint64_t flags = spin_lock_irqsave(&slots_lock);
    int found = -1;
    for (unsigned i = 0; i < SLOT_COUNT && found < 0; i++) {
        if (!(slots_used[i / 64] & (1ULL << (i % 64)))) {
            slots_used[i / 64] |= 1ULL << (i % 64);
            found = (int)i;
        }
    }
    spin_unlock_irqrestore(&slots_lock, flags);
    return found;
}

static void slot_release(unsigned slot)
{
    uint64_t flags = spin_lock_irqsave(&slots_lock);
    slots_used[slot / 64] &= ~(1ULL << (slot % 64));
    spin_unlock_irqrestore(&slots_lock, flags);
}

/* Unmaps, shoots the TLBs down, and only then frees the pages: no CPU may still reach a page
 * once it can be handed out again. */
static void unmap_pages(uintptr_t base, unsigned count)
{
    uint64_t root = arch_paging_kernel_root();
    uint64_t frames[KSTACK_PAGES];
    unsigned found = 0;
    for (unsigned i = 0; i < count; i++) {
        uintptr_t v = base + i * PAGE_SIZE;
        struct arch_translation t = arch_paging_translate(root, v);
        if (t.err != WG_ERR_OK)
            continue;
        arch_paging_unmap(root, v);
        frames[found++] = t.phys;
    }
    arch_tlb_shootdown(root, base, count);
    for (unsigned i = 0; i < found; i++)
        memory_free_pages(frames[i], 1);
}

enum wg_error kstack_alloc(struct kstack *stack, int node)
{
    int slot = slot_take();
    if (slot < 0)
        return WG_ERR_NO_MEMORY;
    uintptr_t base = ARCH_KSTACK_AREA + (uintptr_t)slot * SLOT_SIZE + PAGE_SIZE;
    for (unsigned i = 0; i < KSTACK_PAGES; i++) {
        struct pmm_request request = {.count = 1, .node = node};
        struct pmm_result page = memory_alloc(&request);
        if (page.err != WG_ERR_OK ||
            arch_paging_map(arch_paging_kernel_root(), base + i * PAGE_SIZE, page.phys,
                            ARCH_MAP_READ | ARCH_MAP_WRITE) != WG_ERR_OK) {
            if (page.err == WG_ERR_OK)
                memory_free_pages(page.phys, 1);
            unmap_pages(base, i);
            slot_release((unsigned)slot);
            return WG_ERR_NO_MEMORY;
        }
    }
    *stack = (struct kstack){base, base + KSTACK_PAGES * PAGE_SIZE, (unsigned)slot};
    return WG_ERR_OK;
}

void kstack_free(struct kstack *stack)
{
    if (!stack->base)
        return;
    unmap_pages(stack->base, KSTACK_PAGES);
    slot_release(stack->slot);
    stack->base = 0;
}
