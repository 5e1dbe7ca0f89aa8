/* Physical memory manager: one bitmap per zone of usable RAM, zones tagged with a NUMA node.
 *
 * Pure logic (no CPU access), so it is unit-tested on the host. The caller gives the usable
 * ranges and the reserved ranges (kernel image, boot modules, ...) in any order, possibly
 * overlapping or empty; pmm_init() sanitises them, places its own bitmaps inside usable memory
 * below `meta_limit`, and from then on hands out pages. Memory is reached through
 * `virt_offset`: the bitmap of physical address p lives at virtual address p + virt_offset.
 * Not thread-safe by itself: the kernel wraps it in a lock. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#define PMM_PAGE_SIZE  4096ULL
#define PMM_MAX_RANGES 64 /* entries accepted in each of usable[] and reserved[] */
#define PMM_MAX_ZONES  64
#define PMM_MAX_NODES  8
#define PMM_ANY_NODE   (-1)

struct pmm_range {
    uint64_t base;   /* bytes */
    uint64_t length; /* bytes */
    int node;        /* NUMA node of a usable range (0 when unknown); ignored for reserved */
};

struct pmm_config {
    const struct pmm_range *usable;
    size_t usable_count;
    const struct pmm_range *reserved;
    size_t reserved_count;
    uint64_t meta_limit;   /* bitmaps must lie below this physical address (0: anywhere) */
    uintptr_t virt_offset; /* virtual = physical + virt_offset */
};

struct pmm_zone {
    uint64_t base_pfn;   /* first page frame number */
    uint64_t page_count; /* pages covered by the bitmap */
    uint64_t free_pages;
    uint64_t hint;    /* word index where the last single-page search stopped */
    uint64_t *bitmap; /* 1 = allocated or reserved, 0 = free */
    int node;
};

/* Page frames [start, end) that are never handed out nor accepted back. */
struct pmm_frames {
    uint64_t start, end;
};

struct pmm {
    struct pmm_zone zones[PMM_MAX_ZONES];
    /* Page 0, the reserved ranges and the bitmaps: kept so that freeing them is refused. */
    struct pmm_frames reserved[PMM_MAX_RANGES + 2];
    size_t reserved_count;
    size_t zone_count;
    /* Fallback order per preferred node: node_order[n][0] == n, then nearer nodes first.
     * Zero-filled (all node 0) until pmm_set_node_order(); unset rows mean "any order". */
    uint8_t node_order[PMM_MAX_NODES][PMM_MAX_NODES];
    uint8_t node_order_count[PMM_MAX_NODES];
    uint64_t total_pages; /* usable pages handed to the allocator, metadata excluded */
    uint64_t free_pages;
    uintptr_t virt_offset;
};

/* An allocation request: `count` pages aligned to `align_pages` (a power of two, 0 or 1 for
 * none), at or above `min_phys` and ending at or below `max_phys` (0: no limit), preferably
 * on `node` (PMM_ANY_NODE: any). */
struct pmm_request {
    uint64_t count;
    uint64_t align_pages;
    uint64_t min_phys;
    uint64_t max_phys;
    int node;
};

struct pmm_result {
    enum wg_error err;
    uint64_t phys;
};

enum wg_error pmm_init(struct pmm *pmm, const struct pmm_config *config);

/* Finds and marks a run of pages. Tries the preferred node first, then the other nodes in
 * its fallback order (nearest first), then any zone left. */
struct pmm_result pmm_alloc(struct pmm *pmm, const struct pmm_request *request);

/* Sets the order in which nodes are tried when `node` is preferred (nearest first, `node`
 * itself first). Returns WG_ERR_INVALID_ARGUMENT for an out-of-range node or order. */
enum wg_error pmm_set_node_order(struct pmm *pmm, int node, const uint8_t *order, size_t count);

/* One page anywhere: the common case. */
struct pmm_result pmm_alloc_page(struct pmm *pmm);

/* Frees `count` pages at `phys`. Fails without changing anything if the run is misaligned,
 * outside every zone, or not entirely allocated (WG_ERR_NOT_ALLOCATED: a double free, or
 * reserved memory that was never handed out). */
enum wg_error pmm_free(struct pmm *pmm, uint64_t phys, uint64_t count);

/* Free pages in total and on one node. */
uint64_t pmm_free_pages(const struct pmm *pmm);
uint64_t pmm_node_free_pages(const struct pmm *pmm, int node);

/* True if the page at `phys` was handed out by the allocator and not freed since. */
bool pmm_is_allocated(const struct pmm *pmm, uint64_t phys);
