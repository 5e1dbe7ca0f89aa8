/* Host tests for the physical memory manager. A 16 MiB heap buffer plays the part of physical
 * memory [base, base + 16 MiB); virt_offset maps any chosen base onto it, so tests can pretend
 * to be at page 0, just below 4 GiB or above it. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/pmm.h"

#define KIB      1024ULL
#define MIB      (1024 * KIB)
#define GIB      (1024 * MIB)
#define PG       PMM_PAGE_SIZE
#define MEM_SIZE (16 * MIB)
#define MEM_PGS  (MEM_SIZE / PG)

static struct pmm pmm;

/* The simulated physical memory, allocated once and reused by every test. */
static uint8_t *memory(void)
{
    static uint8_t *buf;
    if (!buf)
        buf = aligned_alloc(PG, MEM_SIZE);
    return buf;
}

static enum wg_error init(uint64_t base, const struct pmm_range *usable, size_t usable_count,
                          const struct pmm_range *reserved, size_t reserved_count,
                          uint64_t meta_limit)
{
    struct pmm_config config = {
        .usable = usable,
        .usable_count = usable_count,
        .reserved = reserved,
        .reserved_count = reserved_count,
        .meta_limit = meta_limit,
        .virt_offset = (uintptr_t)memory() - base,
    };
    return pmm_init(&pmm, &config);
}

/* Whole buffer usable, nothing reserved. */
static enum wg_error init_plain(uint64_t base)
{
    struct pmm_range usable = {base, MEM_SIZE, 0};
    return init(base, &usable, 1, NULL, 0, 0);
}

static struct pmm_result alloc(uint64_t count, uint64_t align, uint64_t max_phys, int node)
{
    struct pmm_request req = {
        .count = count, .align_pages = align, .max_phys = max_phys, .node = node};
    return pmm_alloc(&pmm, &req);
}

/* Physical address of the bitmap of zone i. */
static uint64_t bitmap_phys(size_t i)
{
    return (uint64_t)((uintptr_t)pmm.zones[i].bitmap - pmm.virt_offset);
}

/* Allocates single pages until none is left; returns how many, storing them in out[]. */
static size_t drain(uint64_t *out, size_t max)
{
    size_t n = 0;
    for (;;) {
        struct pmm_result r = pmm_alloc_page(&pmm);
        if (r.err != WG_ERR_OK)
            break;
        if (n < max)
            out[n] = r.phys;
        n++;
    }
    return n;
}

static bool in_range(uint64_t phys, uint64_t start, uint64_t end)
{
    return phys >= start && phys < end;
}

TEST(init_simple)
{
    uint64_t base = 1 * GIB;
    REQUIRE(init_plain(base) == WG_ERR_OK);
    CHECK_EQ(pmm.zone_count, 1u);
    CHECK_EQ(pmm.zones[0].base_pfn, base / PG);
    CHECK_EQ(pmm.zones[0].page_count, MEM_PGS);
    /* 4096 bits of bitmap fit in one page, which is taken from the pool. */
    CHECK_EQ(pmm.total_pages, MEM_PGS - 1);
    CHECK_EQ(pmm_free_pages(&pmm), MEM_PGS - 1);
    CHECK_EQ(pmm_node_free_pages(&pmm, 0), MEM_PGS - 1);
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), 0u);
    /* Metadata goes as high as it can. */
    CHECK_EQ(bitmap_phys(0), base + MEM_SIZE - PG);
    /* The bitmap page is not an allocation: it cannot be freed. */
    CHECK(!pmm_is_allocated(&pmm, base + MEM_SIZE - PG));
    CHECK_EQ(pmm_free(&pmm, base + MEM_SIZE - PG, 1), WG_ERR_NOT_ALLOCATED);
    CHECK_EQ(pmm_free_pages(&pmm), MEM_PGS - 1);
}

TEST(init_messy_ranges)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable[] = {
        {b + 8 * MIB, 8 * MIB, 0},
        {b + 2 * MIB, 4 * MIB, 0},             /* overlaps the next one */
        {b, 4 * MIB, 0},                       /* listed after, lower address */
        {b + 3 * MIB, 0, 0},                   /* zero length */
        {b + 6 * MIB + 100, 2 * MIB - 100, 0}, /* shrinks to [6M + 4K, 8M) */
        {b + 20 * MIB + 1, PG, 0},             /* shrinks to nothing */
    };
    REQUIRE(init(b, usable, 6, NULL, 0, 0) == WG_ERR_OK);
    REQUIRE(pmm.zone_count == 2);
    CHECK_EQ(pmm.zones[0].base_pfn, b / PG);
    CHECK_EQ(pmm.zones[0].page_count, 6 * MIB / PG);
    CHECK_EQ(pmm.zones[1].base_pfn, (b + 6 * MIB + PG) / PG);
    CHECK_EQ(pmm.zones[1].page_count, 10 * MIB / PG - 1);
    CHECK_EQ(pmm.total_pages, MEM_PGS - 1 - 1); /* the lost page and one of metadata */
    /* The page lost to the unaligned start belongs to nobody. */
    CHECK(!pmm_is_allocated(&pmm, b + 6 * MIB));
    CHECK_EQ(pmm_free(&pmm, b + 6 * MIB, 1), WG_ERR_OUT_OF_RANGE);
    uint64_t pages[MEM_PGS];
    size_t n = drain(pages, MEM_PGS);
    CHECK_EQ(n, MEM_PGS - 2);
    for (size_t i = 0; i < n; i++)
        CHECK(pages[i] != b + 6 * MIB);
}

TEST(init_unaligned_end_and_tiny)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable[] = {{b + 100, 3 * PG, 0}, {b + 4 * PG, 2 * PG + 4095, 0}};
    /* Shrinks to offsets [4K, 12K) and [16K, 24K): two zones of two pages, one of which
     * holds the bitmaps. */
    REQUIRE(init(b, usable, 2, NULL, 0, 0) == WG_ERR_OK);
    CHECK_EQ(pmm.zone_count, 2u);
    CHECK_EQ(pmm.zones[0].page_count, 2u);
    CHECK_EQ(pmm.zones[1].page_count, 2u);
    CHECK_EQ(pmm.total_pages, 3u);
}

TEST(init_invalid_arguments)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable[PMM_MAX_RANGES + 1];
    for (size_t i = 0; i <= PMM_MAX_RANGES; i++)
        usable[i] = (struct pmm_range){b + i * 2 * PG, PG, 0};
    CHECK_EQ(init(b, usable, PMM_MAX_RANGES + 1, NULL, 0, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(init(b, usable, PMM_MAX_RANGES, NULL, 0, 0), WG_ERR_OK);
    CHECK_EQ(pmm.zone_count, (size_t)PMM_MAX_RANGES);
    CHECK_EQ(init(b, usable, 1, usable, PMM_MAX_RANGES + 1, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(init(b, NULL, 1, NULL, 0, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(init(b, usable, 1, NULL, 2, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(pmm_init(&pmm, NULL), WG_ERR_INVALID_ARGUMENT);
    struct pmm_range bad_node = {b, MEM_SIZE, PMM_MAX_NODES};
    CHECK_EQ(init(b, &bad_node, 1, NULL, 0, 0), WG_ERR_INVALID_ARGUMENT);
    bad_node.node = -1;
    CHECK_EQ(init(b, &bad_node, 1, NULL, 0, 0), WG_ERR_INVALID_ARGUMENT);
    /* Nothing usable at all. */
    struct pmm_range empty = {b, PG - 1, 0};
    CHECK_EQ(init(b, &empty, 1, NULL, 0, 0), WG_ERR_NO_MEMORY);
    CHECK_EQ(init(b, NULL, 0, NULL, 0, 0), WG_ERR_NO_MEMORY);
    /* A failed init leaves an empty allocator behind. */
    CHECK_EQ(pmm.zone_count, 0u);
    CHECK_EQ(pmm_alloc_page(&pmm).err, WG_ERR_NO_MEMORY);
}

TEST(init_node_conflict)
{
    uint64_t b = 1 * GIB;
    struct pmm_range overlap[] = {{b, 8 * MIB, 0}, {b + 4 * MIB, 8 * MIB, 1}};
    CHECK_EQ(init(b, overlap, 2, NULL, 0, 0), WG_ERR_INVALID_ARGUMENT);
    /* Overlap inside one page only: after shrinking they merely touch. */
    struct pmm_range touch_in_page[] = {{b, 8 * MIB + 100, 0}, {b + 8 * MIB, 8 * MIB, 1}};
    CHECK_EQ(init(b, touch_in_page, 2, NULL, 0, 0), WG_ERR_OK);
    CHECK_EQ(pmm.zone_count, 2u);
    /* Same node: merged into one zone. */
    struct pmm_range same[] = {{b, 8 * MIB, 1}, {b + 4 * MIB, 12 * MIB, 1}};
    REQUIRE(init(b, same, 2, NULL, 0, 0) == WG_ERR_OK);
    CHECK_EQ(pmm.zone_count, 1u);
    CHECK_EQ(pmm.zones[0].node, 1);
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), MEM_PGS - 1);
}

TEST(init_overflow_is_clipped)
{
    uint64_t b = 1 * GIB;
    uint64_t top = 0 - 16 * PG; /* 16 pages below the end of the address space */
    struct pmm_range usable[] = {{b, MEM_SIZE, 0}, {top, 1 * MIB, 1}};
    struct pmm_range reserved[] = {{0 - 8 * PG + 5, UINT64_MAX, 0}};
    /* The bitmaps must land in the simulated buffer, not up there. */
    REQUIRE(init(b, usable, 2, NULL, 0, b + MEM_SIZE) == WG_ERR_OK);
    REQUIRE(pmm.zone_count == 2);
    CHECK_EQ(pmm.zones[1].page_count, 16u);
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), 16u);
    struct pmm_result r = alloc(16, 16, 0, 1);
    CHECK_EQ(r.err, WG_ERR_OK);
    CHECK_EQ(r.phys, top);
    CHECK(pmm_is_allocated(&pmm, UINT64_MAX - PG + 1));
    CHECK_EQ(pmm_free(&pmm, top, 16), WG_ERR_OK);
    CHECK_EQ(pmm_free(&pmm, top, 17), WG_ERR_OUT_OF_RANGE);
    /* A reserved range running off the end covers every page up to the top. */
    REQUIRE(init(b, usable, 2, reserved, 1, b + MEM_SIZE) == WG_ERR_OK);
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), 8u);
    CHECK_EQ(alloc(9, 1, 0, 1).phys, b); /* too big for node 1: falls back to node 0 */
}

TEST(reserved_ranges_excluded)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable[] = {{b + 7 * MIB, 9 * MIB, 0}, {b, 6 * MIB, 0}};
    struct pmm_range reserved[] = {
        {b + 1 * MIB + 100, 2 * MIB, 0}, /* kernel image: pages [1M, 3M + 4K) */
        {b + 5 * MIB, 3 * MIB, 0},       /* across the hole, into both zones */
        {b + 6 * MIB + PG, 4 * PG, 0},   /* in the hole */
        {b + 32 * MIB, 1 * MIB, 0},      /* beyond everything */
        {b + 2 * MIB, 0, 0},             /* empty */
    };
    REQUIRE(init(b, usable, 2, reserved, 5, 0) == WG_ERR_OK);
    uint64_t usable_pgs = (6 + 9) * MIB / PG;
    uint64_t reserved_pgs = (2 * MIB / PG + 1) + 256 + 256;
    CHECK_EQ(pmm.total_pages, usable_pgs - reserved_pgs - 1);
    CHECK_EQ(pmm.zones[0].free_pages + pmm.zones[1].free_pages, pmm.total_pages);
    /* Reserved memory is neither allocated nor freeable, even part of a run. */
    CHECK(!pmm_is_allocated(&pmm, b + 3 * MIB));
    CHECK(!pmm_is_allocated(&pmm, b + 3 * MIB + PG));
    uint64_t total = pmm.total_pages;
    CHECK_EQ(pmm_free(&pmm, b + 3 * MIB, 1), WG_ERR_NOT_ALLOCATED);
    CHECK_EQ(pmm_free(&pmm, b + 2 * MIB, 4), WG_ERR_NOT_ALLOCATED);
    struct pmm_result after = alloc(1, 1, 0, PMM_ANY_NODE);
    REQUIRE(after.err == WG_ERR_OK);
    CHECK(pmm_is_allocated(&pmm, after.phys));
    CHECK_EQ(pmm_free(&pmm, after.phys, 1), WG_ERR_OK);
    CHECK_EQ(pmm_free_pages(&pmm), total);
    uint64_t pages[MEM_PGS];
    size_t n = drain(pages, MEM_PGS);
    CHECK_EQ(n, pmm.total_pages);
    for (size_t i = 0; i < n; i++) {
        CHECK(!in_range(pages[i], b + 1 * MIB, b + 3 * MIB + PG));
        CHECK(!in_range(pages[i], b + 5 * MIB, b + 8 * MIB));
        CHECK(!in_range(pages[i], b + 6 * MIB, b + 7 * MIB));
        CHECK(pages[i] != bitmap_phys(0));
    }
}

TEST(page_zero_never_returned)
{
    REQUIRE(init_plain(0) == WG_ERR_OK);
    CHECK_EQ(pmm.total_pages, MEM_PGS - 2);
    CHECK(!pmm_is_allocated(&pmm, 0));
    CHECK_EQ(pmm_free(&pmm, 0, 1), WG_ERR_NOT_ALLOCATED);
    struct pmm_result r = alloc(1, 1, 2 * PG, PMM_ANY_NODE);
    CHECK_EQ(r.err, WG_ERR_OK);
    CHECK_EQ(r.phys, PG);
    CHECK_EQ(alloc(1, 1, 2 * PG, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(alloc(1, 1, PG, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    uint64_t pages[MEM_PGS];
    size_t n = drain(pages, MEM_PGS);
    CHECK_EQ(n, MEM_PGS - 3);
    for (size_t i = 0; i < n; i++)
        CHECK(pages[i] != 0);
}

TEST(metadata_below_limit)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable[] = {{b, 2 * MIB, 0}, {b + 4 * MIB, 12 * MIB, 1}};
    struct pmm_range reserved[] = {{b + 1 * MIB, 1 * MIB, 0}};
    REQUIRE(init(b, usable, 2, reserved, 1, b + 3 * MIB) == WG_ERR_OK);
    /* Highest page below the limit that is usable and not reserved. */
    CHECK_EQ(bitmap_phys(0), b + 1 * MIB - PG);
    CHECK_EQ(bitmap_phys(1), bitmap_phys(0) + 8 * ((2 * MIB / PG) / 64));
    CHECK(!pmm_is_allocated(&pmm, b + 1 * MIB - PG));
    CHECK_EQ(pmm_free(&pmm, b + 1 * MIB - PG, 1), WG_ERR_NOT_ALLOCATED);
    CHECK_EQ(pmm.total_pages, (14 * MIB - 1 * MIB) / PG - 1);
    uint64_t pages[MEM_PGS];
    size_t n = drain(pages, MEM_PGS);
    CHECK_EQ(n, pmm.total_pages);
    for (size_t i = 0; i < n; i++)
        CHECK(pages[i] != b + 1 * MIB - PG);
    /* A limit that is not page-aligned rounds down: the bitmap must end below it. */
    REQUIRE(init(b, usable, 2, NULL, 0, b + 10 * PG + 7) == WG_ERR_OK);
    CHECK_EQ(bitmap_phys(0), b + 9 * PG);
}

TEST(metadata_multi_page)
{
    /* All bitmaps share one run: nine 1 MiB zones take 32 bytes each, back to back. */
    uint64_t b = 1 * GIB;
    struct pmm_range usable[9];
    for (int i = 0; i < 9; i++)
        usable[i] = (struct pmm_range){b + (uint64_t)i * 2 * MIB, 1 * MIB, i % 2};
    REQUIRE(init(b, usable, 9, NULL, 0, 0) == WG_ERR_OK);
    CHECK_EQ(bitmap_phys(8) - bitmap_phys(0), 8 * 32u);
    CHECK_EQ(pmm.total_pages, 9 * 256u - 1);
    /* A 40 GiB zone (not backed by the buffer) needs 321 pages of bitmap below the limit. */
    struct pmm_range big[] = {{b, 8 * PG, 0}, {b + 4 * MIB, 40 * GIB, 0}};
    CHECK_EQ(init(b, big, 2, NULL, 0, b + 4 * MIB), WG_ERR_NO_MEMORY);
    struct pmm_range fits[] = {{b, 512 * PG, 0}, {b + 4 * MIB, 40 * GIB, 0}};
    REQUIRE(init(b, fits, 2, NULL, 0, b + 4 * MIB) == WG_ERR_OK);
    uint64_t meta_pgs = (40 * GIB / PG / 8 + 512 / 8 + PG - 1) / PG;
    CHECK_EQ(meta_pgs, 321u);
    CHECK_EQ(bitmap_phys(0), b + 512 * PG - meta_pgs * PG);
    CHECK_EQ(pmm.total_pages, 512 + 40 * GIB / PG - meta_pgs);
}

TEST(metadata_no_room)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable = {b, MEM_SIZE, 0};
    CHECK_EQ(init(b, &usable, 1, NULL, 0, b), WG_ERR_NO_MEMORY);
    CHECK_EQ(init(b, &usable, 1, NULL, 0, b + PG - 1), WG_ERR_NO_MEMORY);
    CHECK_EQ(init(b, &usable, 1, NULL, 0, b + PG), WG_ERR_OK);
    struct pmm_range all = {b - 5, MEM_SIZE + 10, 0};
    CHECK_EQ(init(b, &usable, 1, &all, 1, 0), WG_ERR_NO_MEMORY);
    /* Only page 0 is usable: it is reserved, so there is no room either. */
    struct pmm_range zero = {0, PG, 0};
    CHECK_EQ(init(0, &zero, 1, NULL, 0, 0), WG_ERR_NO_MEMORY);
}

TEST(exhaust_and_free_all)
{
    uint64_t b = 1 * GIB;
    REQUIRE(init_plain(b) == WG_ERR_OK);
    uint64_t start = pmm_free_pages(&pmm);
    static uint64_t pages[MEM_PGS];
    static bool seen[MEM_PGS];
    memset(seen, 0, sizeof(seen));
    size_t n = drain(pages, MEM_PGS);
    CHECK_EQ(n, start);
    CHECK_EQ(pmm_free_pages(&pmm), 0u);
    CHECK_EQ(pmm_alloc_page(&pmm).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(alloc(2, 1, 0, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    for (size_t i = 0; i < n; i++) {
        REQUIRE(in_range(pages[i], b, b + MEM_SIZE) && pages[i] % PG == 0);
        size_t idx = (pages[i] - b) / PG;
        CHECK(!seen[idx]);
        seen[idx] = true;
    }
    for (size_t i = 0; i < n; i++)
        CHECK_EQ(pmm_free(&pmm, pages[i], 1), WG_ERR_OK);
    CHECK_EQ(pmm_free_pages(&pmm), start);
    CHECK_EQ(pmm.zones[0].free_pages, start);
    /* Everything is available again, including as one big run. */
    struct pmm_result r = alloc(start, 1, 0, PMM_ANY_NODE);
    CHECK_EQ(r.err, WG_ERR_OK);
    CHECK_EQ(r.phys, b);
    CHECK_EQ(pmm_free(&pmm, r.phys, start), WG_ERR_OK);
    CHECK_EQ(drain(pages, MEM_PGS), start);
}

TEST(aligned_runs)
{
    uint64_t b = 5 * GIB;
    struct pmm_range usable = {b + 3 * PG, MEM_SIZE - 3 * PG, 0};
    REQUIRE(init(b, &usable, 1, NULL, 0, 0) == WG_ERR_OK);
    struct pmm_result one = pmm_alloc_page(&pmm);
    REQUIRE(one.err == WG_ERR_OK);
    CHECK_EQ(one.phys, b + 3 * PG);
    uint64_t runs[8];
    for (int i = 0; i < 8; i++) {
        uint64_t before = pmm_free_pages(&pmm);
        struct pmm_result r = alloc(16, 16, 0, PMM_ANY_NODE);
        REQUIRE(r.err == WG_ERR_OK);
        CHECK_EQ(r.phys % (16 * PG), 0u);
        CHECK(!in_range(one.phys, r.phys, r.phys + 16 * PG));
        for (int j = 0; j < i; j++)
            CHECK(r.phys >= runs[j] + 16 * PG || runs[j] >= r.phys + 16 * PG);
        for (uint64_t p = 0; p < 16; p++)
            CHECK(pmm_is_allocated(&pmm, r.phys + p * PG));
        CHECK_EQ(pmm_free_pages(&pmm), before - 16);
        runs[i] = r.phys;
        memset((uint8_t *)(uintptr_t)(r.phys + pmm.virt_offset), 0xa0 + i, 16 * PG);
    }
    CHECK_EQ(runs[0], b + 16 * PG);
    CHECK_EQ(runs[1], b + 32 * PG);
    /* The pages between the single page and the first run are still free. */
    CHECK_EQ(alloc(12, 1, 0, PMM_ANY_NODE).phys, b + 4 * PG);
    /* Big alignment: 1 MiB. */
    struct pmm_result big = alloc(3, 256, 0, PMM_ANY_NODE);
    CHECK_EQ(big.err, WG_ERR_OK);
    CHECK_EQ(big.phys, b + 1 * MIB);
    /* An alignment larger than the zone can satisfy with these bases. */
    CHECK_EQ(alloc(1, 1ULL << 40, 0, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    for (int i = 0; i < 8; i++) {
        uint8_t *v = (uint8_t *)(uintptr_t)(runs[i] + pmm.virt_offset);
        CHECK(v[0] == 0xa0 + i && v[16 * PG - 1] == 0xa0 + i);
        CHECK_EQ(pmm_free(&pmm, runs[i], 16), WG_ERR_OK);
    }
}

TEST(max_phys_respected)
{
    /* The buffer stands for [4 GiB - 8 MiB, 4 GiB + 8 MiB). */
    uint64_t b = 4 * GIB - 8 * MIB;
    REQUIRE(init_plain(b) == WG_ERR_OK);
    CHECK(bitmap_phys(0) >= 4 * GIB); /* metadata sits at the top */
    uint64_t below = 8 * MIB / PG;
    size_t n = 0;
    for (;; n++) {
        struct pmm_result r = alloc(1, 1, 4 * GIB, PMM_ANY_NODE);
        if (r.err != WG_ERR_OK) {
            CHECK_EQ(r.err, WG_ERR_NO_MEMORY);
            break;
        }
        CHECK(r.phys + PG <= 4 * GIB);
    }
    CHECK_EQ(n, below);
    CHECK_EQ(pmm_free(&pmm, 4 * GIB - 3 * PG, 3), WG_ERR_OK);
    /* A run of 4 would cross the limit; 3 ends exactly at it. */
    CHECK_EQ(alloc(4, 1, 4 * GIB, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(alloc(3, 1, 4 * GIB + PG - 1, PMM_ANY_NODE).err, WG_ERR_OK);
    /* Without a limit, memory above 4 GiB is used. */
    struct pmm_result hi = alloc(4, 1, 0, PMM_ANY_NODE);
    CHECK_EQ(hi.err, WG_ERR_OK);
    CHECK_EQ(hi.phys, 4 * GIB);
    /* All memory above 4 GiB: a 32-bit-only request cannot be met. */
    REQUIRE(init_plain(5 * GIB) == WG_ERR_OK);
    CHECK_EQ(alloc(1, 1, 4 * GIB, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(alloc(1, 1, 5 * GIB + PG, PMM_ANY_NODE).phys, 5 * GIB);
    CHECK_EQ(pmm_free_pages(&pmm), MEM_PGS - 2);
}

TEST(node_preference_and_fallback)
{
    uint64_t b = 1 * GIB;
    struct pmm_range usable[] = {{b + 8 * MIB, 8 * MIB, 1}, {b, 8 * MIB, 0}};
    REQUIRE(init(b, usable, 2, NULL, 0, 0) == WG_ERR_OK);
    uint64_t half = 8 * MIB / PG;
    CHECK_EQ(pmm_node_free_pages(&pmm, 0), half);
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), half - 1); /* metadata at the top, on node 1 */
    CHECK(in_range(alloc(1, 1, 0, 1).phys, b + 8 * MIB, b + MEM_SIZE));
    CHECK(in_range(alloc(1, 1, 0, 0).phys, b, b + 8 * MIB));
    CHECK(in_range(alloc(1, 1, 0, PMM_ANY_NODE).phys, b, b + 8 * MIB)); /* address order */
    CHECK_EQ(alloc(1, 1, 0, PMM_MAX_NODES).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(1, 1, 0, -2).err, WG_ERR_INVALID_ARGUMENT);
    /* Node 3 has no memory: falls back to the lowest zone. */
    CHECK(in_range(alloc(1, 1, 0, 3).phys, b, b + 8 * MIB));
    /* Drain node 1, then node 1 requests spill into node 0. */
    struct pmm_result r = alloc(pmm_node_free_pages(&pmm, 1), 1, 0, 1);
    CHECK_EQ(r.err, WG_ERR_OK);
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), 0u);
    uint64_t node0 = pmm_node_free_pages(&pmm, 0);
    struct pmm_result spill = alloc(4, 4, 0, 1);
    CHECK_EQ(spill.err, WG_ERR_OK);
    CHECK(in_range(spill.phys, b, b + 8 * MIB));
    CHECK_EQ(pmm_node_free_pages(&pmm, 0), node0 - 4);
    CHECK_EQ(pmm_free_pages(&pmm), node0 - 4);
    /* A run larger than any single zone cannot straddle the two. */
    CHECK_EQ(pmm_free(&pmm, r.phys, half - 2), WG_ERR_OK);
    CHECK_EQ(alloc(half + 1, 1, 0, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
}

TEST(free_errors_change_nothing)
{
    uint64_t b = 1 * GIB;
    REQUIRE(init_plain(b) == WG_ERR_OK);
    struct pmm_result r = alloc(4, 1, 0, PMM_ANY_NODE);
    REQUIRE(r.err == WG_ERR_OK);
    uint64_t before = pmm_free_pages(&pmm);
    CHECK_EQ(pmm_free(&pmm, r.phys + 1, 1), WG_ERR_MISALIGNED);
    CHECK_EQ(pmm_free(&pmm, r.phys + PG / 2, 2), WG_ERR_MISALIGNED);
    CHECK_EQ(pmm_free(&pmm, r.phys, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(pmm_free(&pmm, b - PG, 1), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(pmm_free(&pmm, b + MEM_SIZE, 1), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(pmm_free(&pmm, b + MEM_SIZE - PG, 2), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(pmm_free(&pmm, r.phys, UINT64_MAX), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(pmm_free(&pmm, r.phys + 4 * PG, 1), WG_ERR_NOT_ALLOCATED); /* never allocated */
    CHECK_EQ(pmm_free(&pmm, r.phys, 5), WG_ERR_NOT_ALLOCATED);          /* last page free */
    CHECK_EQ(pmm_free_pages(&pmm), before);
    for (uint64_t p = 0; p < 4; p++)
        CHECK(pmm_is_allocated(&pmm, r.phys + p * PG));
    CHECK_EQ(pmm_free(&pmm, r.phys + PG, 2), WG_ERR_OK);            /* a middle piece */
    CHECK_EQ(pmm_free(&pmm, r.phys, 4), WG_ERR_NOT_ALLOCATED);      /* partly freed */
    CHECK_EQ(pmm_free(&pmm, r.phys + PG, 1), WG_ERR_NOT_ALLOCATED); /* double free */
    CHECK_EQ(pmm_free_pages(&pmm), before + 2);
    CHECK(pmm_is_allocated(&pmm, r.phys));
    CHECK(pmm_is_allocated(&pmm, r.phys + 3 * PG));
    CHECK_EQ(pmm_free(&pmm, r.phys, 1), WG_ERR_OK);
    CHECK_EQ(pmm_free(&pmm, r.phys + 3 * PG, 1), WG_ERR_OK);
    CHECK_EQ(pmm_free_pages(&pmm), pmm.total_pages);
}

TEST(alloc_invalid_requests)
{
    REQUIRE(init_plain(1 * GIB) == WG_ERR_OK);
    uint64_t before = pmm_free_pages(&pmm);
    CHECK_EQ(alloc(0, 1, 0, PMM_ANY_NODE).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(1, 3, 0, PMM_ANY_NODE).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(1, 12, 0, PMM_ANY_NODE).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(1ULL << 60, 1, 0, PMM_ANY_NODE).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(UINT64_MAX, 1, 0, PMM_ANY_NODE).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(1, 1ULL << 63, 0, PMM_ANY_NODE).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(pmm_alloc(&pmm, NULL).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(alloc(MEM_PGS, 1, 0, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(alloc(1ULL << 40, 1, 0, PMM_ANY_NODE).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(pmm_free_pages(&pmm), before);
    /* align_pages 0 and 1 both mean "no alignment". */
    CHECK_EQ(alloc(1, 0, 0, PMM_ANY_NODE).err, WG_ERR_OK);
    CHECK_EQ(alloc(1, 1, 0, PMM_ANY_NODE).err, WG_ERR_OK);
}

TEST(is_allocated)
{
    uint64_t b = 1 * GIB;
    REQUIRE(init_plain(b) == WG_ERR_OK);
    CHECK(!pmm_is_allocated(&pmm, 0));
    CHECK(!pmm_is_allocated(&pmm, b - 1));
    CHECK(!pmm_is_allocated(&pmm, b + MEM_SIZE));
    CHECK(!pmm_is_allocated(&pmm, b));
    struct pmm_result r = pmm_alloc_page(&pmm);
    REQUIRE(r.err == WG_ERR_OK);
    CHECK_EQ(r.phys, b);
    CHECK(pmm_is_allocated(&pmm, b));
    CHECK(pmm_is_allocated(&pmm, b + PG - 1)); /* any byte of the page */
    CHECK(!pmm_is_allocated(&pmm, b + PG));
    CHECK_EQ(pmm_free(&pmm, b, 1), WG_ERR_OK);
    CHECK(!pmm_is_allocated(&pmm, b));
}

/* Deterministic xorshift64, so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

struct live {
    uint64_t phys;
    uint64_t count;
};

static uint64_t pattern(uint64_t phys)
{
    return phys * 0x9e3779b97f4a7c15ULL ^ 0x5a5a5a5a5a5a5a5aULL;
}

/* Fills (check false) or verifies (check true) every word of a run with its pattern. */
static bool run_pattern(uint64_t phys, uint64_t count, bool check)
{
    uint64_t *v = (uint64_t *)(uintptr_t)(phys + pmm.virt_offset);
    for (uint64_t i = 0; i < count * PG / 8; i++) {
        uint64_t want = pattern(phys + i * 8);
        if (check && v[i] != want)
            return false;
        v[i] = want;
    }
    return true;
}

#define STRESS_BASE (2 * GIB)
#define STRESS_LIVE 512

struct stress {
    bool taken[MEM_PGS]; /* shadow: page owned by a live allocation */
    struct live live[STRESS_LIVE];
    size_t n;
    uint64_t live_pages;
};

/* One random allocation, checked against the shadow. Returns false on a broken invariant. */
static bool stress_alloc(struct stress *st)
{
    uint64_t count = rng() % 4 == 0 ? 1 + rng() % 40 : 1;
    uint64_t align = 1ULL << (rng() % 5);
    struct pmm_result r = alloc(count, align, 0, (int)(rng() % 3) - 1);
    if (r.err != WG_ERR_OK)
        return r.err == WG_ERR_NO_MEMORY;
    if (r.phys % (align * PG) != 0 || r.phys < STRESS_BASE ||
        r.phys + count * PG > STRESS_BASE + MEM_SIZE)
        return false;
    for (uint64_t p = 0; p < count; p++) {
        uint64_t page = r.phys + p * PG;
        size_t idx = (page - STRESS_BASE) / PG;
        if (st->taken[idx] || page == bitmap_phys(0) ||
            in_range(page, STRESS_BASE + 1 * MIB, STRESS_BASE + 1 * MIB + 64 * KIB))
            return false;
        st->taken[idx] = true;
    }
    run_pattern(r.phys, count, false);
    st->live[st->n++] = (struct live){r.phys, count};
    st->live_pages += count;
    return true;
}

/* Frees live allocation i after checking its fill pattern survived. */
static bool stress_free(struct stress *st, size_t i)
{
    struct live l = st->live[i];
    if (!run_pattern(l.phys, l.count, true) || pmm_free(&pmm, l.phys, l.count) != WG_ERR_OK)
        return false;
    for (uint64_t p = 0; p < l.count; p++)
        st->taken[(l.phys - STRESS_BASE) / PG + p] = false;
    st->live_pages -= l.count;
    st->live[i] = st->live[--st->n];
    return true;
}

TEST(randomized_stress)
{
    uint64_t b = STRESS_BASE;
    struct pmm_range usable[] = {{b + 8 * MIB, 8 * MIB, 1}, {b + 4 * PG, 8 * MIB - 4 * PG, 0}};
    struct pmm_range reserved[] = {{b + 1 * MIB, 64 * KIB, 0}};
    REQUIRE(init(b, usable, 2, reserved, 1, 0) == WG_ERR_OK);
    static struct stress st;
    memset(&st, 0, sizeof(st));
    for (int op = 0; op < 20000; op++) {
        if (st.n < STRESS_LIVE && (st.n == 0 || rng() % 100 < 55))
            REQUIRE(stress_alloc(&st));
        else
            REQUIRE(stress_free(&st, rng() % st.n));
        REQUIRE(pmm_free_pages(&pmm) == pmm.total_pages - st.live_pages);
    }
    while (st.n > 0)
        REQUIRE(stress_free(&st, st.n - 1));
    CHECK_EQ(pmm_free_pages(&pmm), pmm.total_pages);
    CHECK_EQ(pmm_node_free_pages(&pmm, 0) + pmm_node_free_pages(&pmm, 1), pmm.total_pages);
}

TEST(min_phys_respected)
{
    /* Memory on both sides of 4 GiB; min_phys picks the high part, even for aligned runs. */
    uint64_t b = 4 * GIB - 8 * MIB;
    struct pmm_range usable[] = {{b, MEM_SIZE, 0}};
    REQUIRE(init(b, usable, 1, NULL, 0, 0) == WG_ERR_OK);
    uint64_t free_start = pmm_free_pages(&pmm);
    struct pmm_request high = {.count = 1, .min_phys = 4 * GIB, .node = PMM_ANY_NODE};
    struct pmm_result r = pmm_alloc(&pmm, &high);
    CHECK_EQ(r.err, WG_ERR_OK);
    CHECK(r.phys >= 4 * GIB);
    struct pmm_request run = {
        .count = 16, .align_pages = 16, .min_phys = 4 * GIB + 1, .node = PMM_ANY_NODE};
    struct pmm_result r2 = pmm_alloc(&pmm, &run);
    CHECK_EQ(r2.err, WG_ERR_OK);
    CHECK(r2.phys >= 4 * GIB + PG && (r2.phys & (16 * PG - 1)) == 0);
    struct pmm_request none = {.count = 1, .min_phys = b + MEM_SIZE, .node = PMM_ANY_NODE};
    CHECK_EQ(pmm_alloc(&pmm, &none).err, WG_ERR_NO_MEMORY);
    struct pmm_request crossed = {
        .count = 1, .min_phys = 4 * GIB, .max_phys = 4 * GIB, .node = PMM_ANY_NODE};
    CHECK_EQ(pmm_alloc(&pmm, &crossed).err, WG_ERR_NO_MEMORY);
    struct pmm_request absurd = {.count = 1, .min_phys = UINT64_MAX, .node = PMM_ANY_NODE};
    CHECK_EQ(pmm_alloc(&pmm, &absurd).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(pmm_free(&pmm, r.phys, 1), WG_ERR_OK);
    CHECK_EQ(pmm_free(&pmm, r2.phys, 16), WG_ERR_OK);
    CHECK_EQ(pmm_free_pages(&pmm), free_start);
}

TEST(node_fallback_follows_distance_order)
{
    /* Three nodes of 1 MiB each; node 0 prefers node 2 over node 1 (it is nearer). */
    uint64_t b = 1 * GIB;
    struct pmm_range usable[] = {
        {b, 1 * MIB, 0}, {b + 1 * MIB, 1 * MIB, 1}, {b + 2 * MIB, 1 * MIB, 2}};
    REQUIRE(init(b, usable, 3, NULL, 0, 0) == WG_ERR_OK);
    uint8_t order0[] = {0, 2, 1};
    CHECK_EQ(pmm_set_node_order(&pmm, 0, order0, 3), WG_ERR_OK);
    uint8_t bad[] = {0, 9};
    CHECK_EQ(pmm_set_node_order(&pmm, 0, bad, 2), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(pmm_set_node_order(&pmm, 8, order0, 3), WG_ERR_INVALID_ARGUMENT);
    uint64_t node0_free = pmm_node_free_pages(&pmm, 0);
    for (uint64_t i = 0; i < node0_free; i++)
        CHECK_EQ(alloc(1, 1, 0, 0).err, WG_ERR_OK);
    struct pmm_result spill = alloc(1, 1, 0, 0);
    REQUIRE(spill.err == WG_ERR_OK);
    CHECK(spill.phys >= b + 2 * MIB); /* node 2, the nearer one */
    CHECK_EQ(pmm_node_free_pages(&pmm, 1), 256u);
}
