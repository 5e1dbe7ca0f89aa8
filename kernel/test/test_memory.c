/* In-kernel tests of the page allocator and the heap on the real machine's memory map. */
#include "kernel/arch.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/test/ktest.h"
#include "lib/string.h"

#define STRESS_PAGE_CAP  32768 /* 128 MiB: enough to exhaust small machines, quick on big ones */
#define PATTERN(phys, i) ((phys)*0x9e3779b97f4a7c15ULL ^ (i))

static uint64_t xorshift_state = 0x2545f4914f6cdd1dULL;

static uint64_t next_random(void)
{
    xorshift_state ^= xorshift_state << 13;
    xorshift_state ^= xorshift_state >> 7;
    xorshift_state ^= xorshift_state << 17;
    return xorshift_state;
}

/* Allocated pages form a chain through their first word; the rest holds a pattern. */
static void fill_page(uint64_t phys, uint64_t next)
{
    uint64_t *words = phys_to_virt(phys);
    words[0] = next;
    for (unsigned i = 1; i < PAGE_SIZE / 8; i++)
        words[i] = PATTERN(phys, i);
}

static bool page_intact(uint64_t phys)
{
    const uint64_t *words = phys_to_virt(phys);
    for (unsigned i = 1; i < PAGE_SIZE / 8; i++)
        if (words[i] != PATTERN(phys, i))
            return false;
    return true;
}

KTEST(pmm_single_pages_pattern)
{
    uint64_t free_before = memory_free_page_count();
    uint64_t chain = 0, count = 0;
    while (count < STRESS_PAGE_CAP) {
        struct pmm_result page = memory_alloc_pages(1);
        if (page.err != WG_ERR_OK) {
            KEXPECT(page.err == WG_ERR_NO_MEMORY);
            KEXPECT(memory_free_page_count() == 0);
            break;
        }
        KEXPECT(page.phys != 0 && (page.phys & (PAGE_SIZE - 1)) == 0);
        fill_page(page.phys, chain);
        chain = page.phys;
        count++;
    }
    KEXPECT(memory_free_page_count() == free_before - count);
    uint64_t corrupted = 0;
    while (chain) {
        uint64_t next = *(uint64_t *)phys_to_virt(chain);
        corrupted += !page_intact(chain);
        KEXPECT(memory_free_pages(chain, 1) == WG_ERR_OK);
        chain = next;
    }
    KEXPECT(corrupted == 0);
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST(pmm_contiguous_aligned_runs)
{
    uint64_t free_before = memory_free_page_count();
    uint64_t runs[11];
    for (unsigned order = 0; order <= 10; order++) {
        uint64_t pages = 1ULL << order;
        struct pmm_request request = {.count = pages, .align_pages = pages, .node = PMM_ANY_NODE};
        struct pmm_result run = memory_alloc(&request);
        runs[order] = 0;
        if (!KEXPECT(run.err == WG_ERR_OK))
            continue;
        runs[order] = run.phys;
        KEXPECT((run.phys & (pages * PAGE_SIZE - 1)) == 0);
        for (uint64_t p = 0; p < pages; p++)
            KEXPECT(memory_page_allocated(run.phys + p * PAGE_SIZE));
        memset(phys_to_virt(run.phys), (int)order, pages * PAGE_SIZE);
    }
    for (unsigned order = 0; order <= 10; order++) {
        const uint8_t *bytes = phys_to_virt(runs[order]);
        if (!runs[order])
            continue;
        KEXPECT(bytes[0] == order && bytes[(PAGE_SIZE << order) - 1] == order);
        KEXPECT(memory_free_pages(runs[order], 1ULL << order) == WG_ERR_OK);
    }
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST(pmm_bad_frees_are_refused)
{
    uint64_t free_before = memory_free_page_count();
    struct pmm_result page = memory_alloc_pages(1);
    if (!KEXPECT(page.err == WG_ERR_OK))
        return;
    KEXPECT(memory_free_pages(page.phys + 8, 1) == WG_ERR_MISALIGNED);
    KEXPECT(memory_free_pages(page.phys, 1) == WG_ERR_OK);
    KEXPECT(memory_free_pages(page.phys, 1) == WG_ERR_NOT_ALLOCATED);
    KEXPECT(memory_free_pages(1ULL << 50, 1) == WG_ERR_OUT_OF_RANGE);
    KEXPECT(memory_free_pages(0, 1) != WG_ERR_OK);
    struct pmm_request absurd = {.count = 1ULL << 40, .node = PMM_ANY_NODE};
    KEXPECT(memory_alloc(&absurd).err != WG_ERR_OK);
    struct pmm_request bad_align = {.count = 1, .align_pages = 3, .node = PMM_ANY_NODE};
    KEXPECT(memory_alloc(&bad_align).err == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST(heap_stress_with_patterns)
{
    enum { SLOTS = 512 };
    struct heap_stats before = kmalloc_stats();
    uint64_t free_before = memory_free_page_count();
    static uint8_t *objects[SLOTS];
    static size_t sizes[SLOTS];
    for (unsigned round = 0; round < 8 * SLOTS; round++) {
        unsigned slot = next_random() % SLOTS;
        if (objects[slot]) {
            for (size_t i = 0; i < sizes[slot]; i++)
                KEXPECT(objects[slot][i] == (uint8_t)(slot + i));
            kfree(objects[slot]);
            objects[slot] = NULL;
            continue;
        }
        sizes[slot] = 1 + next_random() % (next_random() % 8 == 0 ? 9000 : 300);
        objects[slot] = kmalloc(sizes[slot]);
        if (!KEXPECT(objects[slot] != NULL))
            continue;
        KEXPECT(((uintptr_t)objects[slot] & 15) == 0);
        for (size_t i = 0; i < sizes[slot]; i++)
            objects[slot][i] = (uint8_t)(slot + i);
    }
    KEXPECT(kmalloc_check() == 0);
    for (unsigned slot = 0; slot < SLOTS; slot++) {
        kfree(objects[slot]);
        objects[slot] = NULL;
    }
    struct heap_stats after = kmalloc_stats();
    KEXPECT(after.live_objects == before.live_objects && after.live_bytes == before.live_bytes);
    KEXPECT(after.pages == before.pages);
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST(direct_map_covers_all_ram)
{
    /* Write and read back one free page in every zone, including any above 4 GiB. */
    const struct pmm *pmm = memory_pmm();
    for (size_t z = 0; z < pmm->zone_count; z++) {
        const struct pmm_zone *zone = &pmm->zones[z];
        uint64_t last = (zone->base_pfn + zone->page_count - 1) * PAGE_SIZE;
        if (pmm_is_allocated(pmm, last))
            continue;
        volatile uint64_t *word = phys_to_virt(last);
        *word = last ^ 0x5a5a5a5a5a5a5a5aULL;
        KEXPECT(*word == (last ^ 0x5a5a5a5a5a5a5a5aULL));
        KEXPECT(arch_kernel_range_mapped((uintptr_t)phys_to_virt(last), PAGE_SIZE));
    }
}

KTEST(pmm_memory_above_4g)
{
    /* Only meaningful on machines with memory there (the 5G shape); elsewhere the request
     * must fail cleanly. */
    const uint64_t four_gib = 0x100000000ULL;
    uint64_t free_before = memory_free_page_count();
    struct pmm_request request = {
        .count = 64, .align_pages = 64, .min_phys = four_gib, .node = PMM_ANY_NODE};
    struct pmm_result run = memory_alloc(&request);
    if (memory_highest_phys() <= four_gib + 64 * PAGE_SIZE) {
        KEXPECT(run.err == WG_ERR_NO_MEMORY);
        return;
    }
    if (!KEXPECT(run.err == WG_ERR_OK))
        return;
    KEXPECT(run.phys >= four_gib && (run.phys & (64 * PAGE_SIZE - 1)) == 0);
    for (uint64_t p = 0; p < 64; p++)
        fill_page(run.phys + p * PAGE_SIZE, p);
    for (uint64_t p = 0; p < 64; p++)
        KEXPECT(page_intact(run.phys + p * PAGE_SIZE));
    KEXPECT(memory_free_pages(run.phys, 64) == WG_ERR_OK);
    KEXPECT(memory_free_page_count() == free_before);
}

KTEST_CRASH(heap_overflow_detected)
{
    uint8_t *object = kmalloc(24);
    object[24] = 0xff; /* one byte past the end */
    kfree(object);
}

KTEST_CRASH(heap_double_free_detected)
{
    void *neighbour = kmalloc(40); /* keeps the slab alive, so the heap still knows the slot */
    void *object = kmalloc(40);
    kfree(object);
    kfree(object);
    kfree(neighbour);
}
