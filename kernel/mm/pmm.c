/* Physical memory manager: sanitises the boot memory map into zones, keeps one bitmap per
 * zone (1 = allocated or reserved), and hands out page runs, preferring a NUMA node.
 *
 * Decisions worth knowing:
 * - A usable range whose base + length overflows is clipped at the top of the address space;
 *   a reserved one is extended to the top.
 * - Two usable ranges that overlap (by at least a whole page) but name different nodes make
 *   pmm_init() fail with WG_ERR_INVALID_ARGUMENT: the map is contradictory. Ranges that only
 *   touch become separate zones.
 * - Reserved pages, page 0 and the bitmaps themselves are marked allocated inside the zone
 *   bitmaps, so the allocator never hands them out; their frame ranges are also kept in a
 *   short list, so that freeing one is refused like any other free of what was never
 *   allocated. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "kernel/mm/pmm.h"
#include "lib/string.h"

#define PAGE_SHIFT 12
#define PFN_LIMIT  (1ULL << (64 - PAGE_SHIFT)) /* page frames in a 64-bit address space */
#define NONE       UINT64_MAX

_Static_assert(PMM_MAX_ZONES >= PMM_MAX_RANGES, "each usable range may become a zone");

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* Sets (value true) or clears bits [from, to) of map, a word at a time. */
static void bits_fill(uint64_t *map, uint64_t from, uint64_t to, bool value)
{
    while (from < to) {
        uint64_t bit = from % 64;
        uint64_t n = min64(64 - bit, to - from);
        uint64_t mask = (n == 64 ? ~0ULL : (1ULL << n) - 1) << bit;
        if (value)
            map[from / 64] |= mask;
        else
            map[from / 64] &= ~mask;
        from += n;
    }
}

/* Returns the index of the first bit in [from, to) equal to `value`, or `to` if none. */
static uint64_t bits_find(const uint64_t *map, uint64_t from, uint64_t to, bool value)
{
    while (from < to) {
        uint64_t word = value ? map[from / 64] : ~map[from / 64];
        word &= ~0ULL << (from % 64);
        if (word) {
            uint64_t found = (from & ~63ULL) + (uint64_t)__builtin_ctzll(word);
            return min64(found, to);
        }
        from = (from & ~63ULL) + 64;
    }
    return to;
}

/* Number of zero bits in a word (no popcount instruction or libgcc helper needed). */
static uint64_t zero_bits(uint64_t word)
{
    uint64_t x = ~word;
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (x * 0x0101010101010101ULL) >> 56;
}

static uint64_t zone_end(const struct pmm_zone *zone)
{
    return zone->base_pfn + zone->page_count;
}

static uint64_t bitmap_words(const struct pmm_zone *zone)
{
    return (zone->page_count + 63) / 64;
}

static uint64_t pfn_floor(uint64_t addr)
{
    return addr >> PAGE_SHIFT;
}

static uint64_t pfn_ceil(uint64_t addr)
{
    return (addr >> PAGE_SHIFT) + ((addr & (PMM_PAGE_SIZE - 1)) != 0);
}

/* Frames [*start, *end) of a range: the whole pages inside it, or with `outward` every page
 * it touches; an end past the address space is clipped to its top. Returns false if empty. */
static bool range_pfns(const struct pmm_range *r, bool outward, uint64_t *start, uint64_t *end)
{
    uint64_t last = r->base + r->length;
    bool overflows = r->length > UINT64_MAX - r->base;

    *start = outward ? pfn_floor(r->base) : pfn_ceil(r->base);
    *end = overflows ? PFN_LIMIT : outward ? pfn_ceil(last) : pfn_floor(last);
    return r->length != 0 && *start < *end;
}

static bool config_valid(const struct pmm_config *config)
{
    if (config->usable_count > PMM_MAX_RANGES || config->reserved_count > PMM_MAX_RANGES)
        return false;
    if ((!config->usable && config->usable_count) || (!config->reserved && config->reserved_count))
        return false;
    for (size_t i = 0; i < config->usable_count; i++) {
        if (config->usable[i].node < 0 || config->usable[i].node >= PMM_MAX_NODES)
            return false;
    }
    return true;
}

/* Turns the usable ranges into sorted, merged zones (bitmaps not yet placed).
 * Returns WG_ERR_INVALID_ARGUMENT if overlapping ranges disagree on their node. */
static enum wg_error build_zones(struct pmm *pmm, const struct pmm_config *config)
{
    struct pmm_zone *zones = pmm->zones;
    size_t n = 0;

    for (size_t i = 0; i < config->usable_count; i++) {
        uint64_t start, end;
        if (!range_pfns(&config->usable[i], false, &start, &end))
            continue;
        struct pmm_zone z = {
            .base_pfn = start, .page_count = end - start, .node = config->usable[i].node};
        size_t j = n++;
        for (; j > 0 && zones[j - 1].base_pfn > start; j--)
            zones[j] = zones[j - 1];
        zones[j] = z;
    }
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        struct pmm_zone *last = out ? &zones[out - 1] : NULL;
        if (last && zones[i].base_pfn <= zone_end(last) && zones[i].node == last->node) {
            uint64_t end = max64(zone_end(last), zone_end(&zones[i]));
            last->page_count = end - last->base_pfn;
        } else if (last && zones[i].base_pfn < zone_end(last)) {
            return WG_ERR_INVALID_ARGUMENT;
        } else {
            zones[out++] = zones[i];
        }
    }
    pmm->zone_count = out;
    return out ? WG_ERR_OK : WG_ERR_NO_MEMORY;
}

/* If [start, end) meets a reserved range (or page 0), stores that range's first frame in
 * *hit and returns true. */
static bool reserved_hit(const struct pmm_config *config, uint64_t start, uint64_t end,
                         uint64_t *hit)
{
    if (start == 0) {
        *hit = 0;
        return true;
    }
    for (size_t i = 0; i < config->reserved_count; i++) {
        uint64_t rs, re;
        if (range_pfns(&config->reserved[i], true, &rs, &re) && rs < end && start < re) {
            *hit = rs;
            return true;
        }
    }
    return false;
}

/* Finds `pages` free frames below the metadata limit, as high as possible so that low memory
 * stays available for DMA and the SMP trampoline. Returns the first frame, or NONE. */
static uint64_t place_metadata(const struct pmm *pmm, const struct pmm_config *config,
                               uint64_t pages)
{
    uint64_t limit = config->meta_limit ? config->meta_limit >> PAGE_SHIFT : PFN_LIMIT;

    for (size_t i = pmm->zone_count; i-- > 0;) {
        const struct pmm_zone *zone = &pmm->zones[i];
        uint64_t end = min64(zone_end(zone), limit);
        uint64_t hit;
        while (end >= zone->base_pfn + pages) {
            if (!reserved_hit(config, end - pages, end, &hit))
                return end - pages;
            end = hit;
        }
    }
    return NONE;
}

/* Marks frames [start, end) allocated in every zone they touch. */
static void mark_pfns(struct pmm *pmm, uint64_t start, uint64_t end)
{
    if (pmm->reserved_count < sizeof(pmm->reserved) / sizeof(pmm->reserved[0]))
        pmm->reserved[pmm->reserved_count++] = (struct pmm_frames){start, end};
    for (size_t i = 0; i < pmm->zone_count; i++) {
        struct pmm_zone *zone = &pmm->zones[i];
        uint64_t s = max64(start, zone->base_pfn);
        uint64_t e = min64(end, zone_end(zone));
        if (s < e)
            bits_fill(zone->bitmap, s - zone->base_pfn, e - zone->base_pfn, true);
    }
}

/* Points each zone at its slice of the metadata run, zeroes it, and marks padding bits. */
static void setup_bitmaps(struct pmm *pmm, uint64_t meta_pfn, uint64_t meta_words)
{
    uint64_t *words = (uint64_t *)(uintptr_t)((meta_pfn << PAGE_SHIFT) + pmm->virt_offset);

    memset(words, 0, meta_words * sizeof(uint64_t));
    for (size_t i = 0; i < pmm->zone_count; i++) {
        struct pmm_zone *zone = &pmm->zones[i];
        zone->bitmap = words;
        bits_fill(zone->bitmap, zone->page_count, bitmap_words(zone) * 64, true);
        words += bitmap_words(zone);
    }
}

static void count_free(struct pmm *pmm)
{
    for (size_t i = 0; i < pmm->zone_count; i++) {
        struct pmm_zone *zone = &pmm->zones[i];
        for (uint64_t w = 0; w < bitmap_words(zone); w++)
            zone->free_pages += zero_bits(zone->bitmap[w]);
        pmm->free_pages += zone->free_pages;
    }
    pmm->total_pages = pmm->free_pages;
}

/* Words of bitmap needed by all zones together. */
static uint64_t metadata_words(const struct pmm *pmm)
{
    uint64_t words = 0;

    for (size_t i = 0; i < pmm->zone_count; i++)
        words += bitmap_words(&pmm->zones[i]);
    return words;
}

/* Checks the map, builds the zones and chooses where their bitmaps go, touching no memory.
 * Returns WG_ERR_INVALID_ARGUMENT for a malformed or contradictory map, WG_ERR_NO_MEMORY if
 * there is no usable page or no room for the bitmaps. */
static enum wg_error plan(struct pmm *pmm, const struct pmm_config *config, uint64_t *meta_pfn,
                          uint64_t *meta_words)
{
    if (!config || !config_valid(config))
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = build_zones(pmm, config);
    if (err != WG_ERR_OK)
        return err;
    *meta_words = metadata_words(pmm);
    *meta_pfn = place_metadata(pmm, config, pfn_ceil(*meta_words * sizeof(uint64_t)));
    return *meta_pfn == NONE ? WG_ERR_NO_MEMORY : WG_ERR_OK;
}

/* Returns what plan() returns; on failure *pmm is left empty (every allocation fails). */
enum wg_error pmm_init(struct pmm *pmm, const struct pmm_config *config)
{
    uint64_t meta_pfn = NONE, meta_words = 0;

    memset(pmm, 0, sizeof(*pmm));
    enum wg_error err = plan(pmm, config, &meta_pfn, &meta_words);
    if (err != WG_ERR_OK) {
        memset(pmm, 0, sizeof(*pmm));
        return err;
    }
    pmm->virt_offset = config->virt_offset;
    setup_bitmaps(pmm, meta_pfn, meta_words);
    mark_pfns(pmm, 0, 1);
    for (size_t i = 0; i < config->reserved_count; i++) {
        uint64_t start, end;
        if (range_pfns(&config->reserved[i], true, &start, &end))
            mark_pfns(pmm, start, end);
    }
    mark_pfns(pmm, meta_pfn, meta_pfn + pfn_ceil(meta_words * sizeof(uint64_t)));
    count_free(pmm);
    return WG_ERR_OK;
}

/* First index in [from, limit) where `count` free bits start at a frame aligned to `align`,
 * or NONE. */
static uint64_t zone_search(const struct pmm_zone *zone, uint64_t from, uint64_t limit,
                            uint64_t count, uint64_t align)
{
    uint64_t idx = from;

    for (;;) {
        idx = bits_find(zone->bitmap, idx, limit, false);
        idx = ((zone->base_pfn + idx + align - 1) & ~(align - 1)) - zone->base_pfn;
        if (idx >= limit || count > limit - idx)
            return NONE;
        uint64_t used = bits_find(zone->bitmap, idx, idx + count, true);
        if (used == idx + count)
            return idx;
        idx = used + 1;
    }
}

/* Takes a run from one zone. Returns false if it has none that fits the request. */
static bool zone_alloc(struct pmm *pmm, struct pmm_zone *zone, const struct pmm_request *req,
                       uint64_t align, uint64_t *phys)
{
    uint64_t limit = zone->page_count;
    uint64_t max_pfn = req->max_phys ? req->max_phys >> PAGE_SHIFT : PFN_LIMIT;
    uint64_t min_pfn = pfn_ceil(req->min_phys);
    uint64_t first = min_pfn > zone->base_pfn ? min_pfn - zone->base_pfn : 0;

    if (max_pfn < zone_end(zone))
        limit = max_pfn > zone->base_pfn ? max_pfn - zone->base_pfn : 0;
    if (zone->free_pages < req->count || limit < req->count || first >= limit)
        return false;
    bool single = req->count == 1 && align == 1;
    uint64_t from = single ? max64(min64(zone->hint * 64, limit), first) : first;
    uint64_t idx = zone_search(zone, from, limit, req->count, align);
    if (idx == NONE && from != first)
        idx = zone_search(zone, first, limit, req->count, align);
    if (idx == NONE)
        return false;
    bits_fill(zone->bitmap, idx, idx + req->count, true);
    if (single)
        zone->hint = idx / 64;
    zone->free_pages -= req->count;
    pmm->free_pages -= req->count;
    *phys = (zone->base_pfn + idx) << PAGE_SHIFT;
    return true;
}

/* Tries the zones of one node (or all zones for PMM_ANY_NODE). */
static bool alloc_on_node(struct pmm *pmm, int node, const struct pmm_request *request,
                          uint64_t align, uint64_t *phys)
{
    for (size_t i = 0; i < pmm->zone_count; i++) {
        struct pmm_zone *zone = &pmm->zones[i];
        if (node != PMM_ANY_NODE && zone->node != node)
            continue;
        if (zone_alloc(pmm, zone, request, align, phys))
            return true;
    }
    return false;
}

struct pmm_result pmm_alloc(struct pmm *pmm, const struct pmm_request *request)
{
    struct pmm_result res = {.err = WG_ERR_INVALID_ARGUMENT, .phys = 0};
    uint64_t align = request && request->align_pages ? request->align_pages : 1;
    int node = request ? request->node : PMM_ANY_NODE;

    if (!request || request->count == 0 || request->count > PFN_LIMIT || align > PFN_LIMIT ||
        (align & (align - 1)) != 0 || node < PMM_ANY_NODE || node >= PMM_MAX_NODES ||
        request->min_phys > (PFN_LIMIT - 1) << PAGE_SHIFT)
        return res;
    res.err = WG_ERR_OK;
    if (node != PMM_ANY_NODE) {
        if (alloc_on_node(pmm, node, request, align, &res.phys))
            return res;
        for (size_t i = 1; i < pmm->node_order_count[node]; i++)
            if (alloc_on_node(pmm, pmm->node_order[node][i], request, align, &res.phys))
                return res;
    }
    if (alloc_on_node(pmm, PMM_ANY_NODE, request, align, &res.phys))
        return res;
    res.err = WG_ERR_NO_MEMORY;
    return res;
}

enum wg_error pmm_set_node_order(struct pmm *pmm, int node, const uint8_t *order, size_t count)
{
    if (node < 0 || node >= PMM_MAX_NODES || count > PMM_MAX_NODES || (count && !order))
        return WG_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < count; i++)
        if (order[i] >= PMM_MAX_NODES)
            return WG_ERR_INVALID_ARGUMENT;
    memcpy(pmm->node_order[node], order, count);
    pmm->node_order_count[node] = (uint8_t)count;
    return WG_ERR_OK;
}

struct pmm_result pmm_alloc_page(struct pmm *pmm)
{
    struct pmm_request req = {.count = 1, .align_pages = 1, .max_phys = 0, .node = PMM_ANY_NODE};
    return pmm_alloc(pmm, &req);
}

static bool is_reserved(const struct pmm *pmm, uint64_t pfn, uint64_t count)
{
    for (size_t i = 0; i < pmm->reserved_count; i++)
        if (pfn < pmm->reserved[i].end && pmm->reserved[i].start < pfn + count)
            return true;
    return false;
}

/* Index of the zone holding frames [pfn, pfn + count) entirely, or zone_count if none. */
static size_t find_zone(const struct pmm *pmm, uint64_t pfn, uint64_t count)
{
    size_t i = 0;

    for (; i < pmm->zone_count; i++) {
        const struct pmm_zone *zone = &pmm->zones[i];
        if (pfn >= zone->base_pfn && pfn < zone_end(zone) && count <= zone_end(zone) - pfn)
            break;
    }
    return i;
}

enum wg_error pmm_free(struct pmm *pmm, uint64_t phys, uint64_t count)
{
    if (count == 0)
        return WG_ERR_INVALID_ARGUMENT;
    if (phys & (PMM_PAGE_SIZE - 1))
        return WG_ERR_MISALIGNED;
    uint64_t pfn = phys >> PAGE_SHIFT;
    size_t z = find_zone(pmm, pfn, count);
    if (z == pmm->zone_count)
        return WG_ERR_OUT_OF_RANGE;
    struct pmm_zone *zone = &pmm->zones[z];
    uint64_t idx = pfn - zone->base_pfn;
    if (bits_find(zone->bitmap, idx, idx + count, false) != idx + count ||
        is_reserved(pmm, pfn, count))
        return WG_ERR_NOT_ALLOCATED;
    bits_fill(zone->bitmap, idx, idx + count, false);
    zone->free_pages += count;
    pmm->free_pages += count;
    return WG_ERR_OK;
}

uint64_t pmm_free_pages(const struct pmm *pmm)
{
    return pmm->free_pages;
}

uint64_t pmm_node_free_pages(const struct pmm *pmm, int node)
{
    uint64_t total = 0;

    for (size_t i = 0; i < pmm->zone_count; i++) {
        if (pmm->zones[i].node == node)
            total += pmm->zones[i].free_pages;
    }
    return total;
}

bool pmm_is_allocated(const struct pmm *pmm, uint64_t phys)
{
    uint64_t pfn = phys >> PAGE_SHIFT;
    size_t z = find_zone(pmm, pfn, 1);

    if (z == pmm->zone_count || is_reserved(pmm, pfn, 1))
        return false;
    const struct pmm_zone *zone = &pmm->zones[z];
    uint64_t idx = pfn - zone->base_pfn;
    return (zone->bitmap[idx / 64] >> (idx % 64)) & 1;
}
