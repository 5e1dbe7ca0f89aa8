/* Physical memory assets (runs of pages) and virtual memory assets (a physical memory asset
 * mapped into a space's address space). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#include "kernel/space/asset.h"
#include "kernel/space/vm.h"

#define PMEM_MAX_PAGES WG_PMEM_MAX_PAGES

struct pmem {
    struct asset asset;
    uint64_t pages;
    bool contiguous;
    bool dma;    /* its physical address may be read (PMEM_PHYS_ADDR) */
    bool device; /* device memory (an MMIO asset): not RAM, mapped uncached, never freed */
    int node;
    uint64_t frames[]; /* physical address of each page */
};

struct vmem {
    struct asset asset;
    struct vm_space *vm; /* a reference */
    struct pmem *pmem;   /* a reference */
    uintptr_t address;
    unsigned flags; /* WG_MAP_* */
};

struct space;

struct pmem_result {
    enum wg_error err;
    struct pmem *pmem; /* the creation reference */
};

struct vmem_result {
    enum wg_error err;
    struct vmem *vmem; /* the creation reference */
};

/* Zeroed pages, preferably on `node` (-1: this CPU's node). */
struct pmem_result pmem_create(uint64_t pages, bool contiguous, int node);
/* Device memory [phys, phys + pages pages) as an MMIO asset; ACCESS_DENIED for RAM. */
struct pmem_result pmem_create_device(uint64_t phys, uint64_t pages);
/* Maps all of `pmem` at `address` in the space's address space (flags WG_MAP_*, checked by
 * the caller for W^X and range). */
struct vmem_result vmem_create(struct space *space, struct pmem *pmem, uintptr_t address,
                               unsigned flags);

static inline struct pmem *asset_pmem(struct asset *asset)
{
    return (struct pmem *)asset;
}

static inline struct vmem *asset_vmem(struct asset *asset)
{
    return (struct vmem *)asset;
}
