/* Physical and virtual memory assets. */
#include "kernel/space/memory_assets.h"
#include "kernel/arch.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/cpu.h"
#include "kernel/space/space.h"
#include "lib/string.h"

static void pmem_destroy(struct asset *asset)
{
    struct pmem *pmem = asset_pmem(asset);
    if (pmem->contiguous && !pmem->device)
        memory_free_pages(pmem->frames[0], pmem->pages);
    else if (!pmem->device) /* device memory belongs to the device, not the allocator */
        for (uint64_t i = 0; i < pmem->pages; i++)
            memory_free_pages(pmem->frames[i], 1);
    kfree(pmem);
}

static bool pmem_fill(struct pmem *pmem, int node)
{
    struct pmm_request request = {.count = pmem->contiguous ? pmem->pages : 1, .node = node};
    for (uint64_t i = 0; i < pmem->pages; i++) {
        if (pmem->contiguous && i > 0) {
            pmem->frames[i] = pmem->frames[0] + i * PAGE_SIZE;
            continue;
        }
        struct pmm_result page = memory_alloc(&request);
        if (page.err != WG_ERR_OK) {
            for (uint64_t j = 0; j < i && !pmem->contiguous; j++)
                memory_free_pages(pmem->frames[j], 1);
            return false;
        }
        pmem->frames[i] = page.phys;
    }
    for (uint64_t i = 0; i < pmem->pages; i++)
        memset(phys_to_virt(pmem->frames[i]), 0, PAGE_SIZE);
    return true;
}

static struct pmem_result pmem_error(enum wg_error err)
{
    return (struct pmem_result){.err = err};
}

struct pmem_result pmem_create(uint64_t pages, bool contiguous, int node)
{
    if (pages == 0 || pages > PMEM_MAX_PAGES)
        return pmem_error(WG_ERR_INVALID_ARGUMENT);
    struct pmem *pmem = kcalloc(1, sizeof(*pmem) + pages * sizeof(uint64_t));
    if (!pmem)
        return pmem_error(WG_ERR_NO_MEMORY);
    pmem->pages = pages;
    pmem->contiguous = contiguous;
    pmem->node = node < 0 ? (int)this_cpu()->node : node;
    if (!pmem_fill(pmem, pmem->node)) {
        kfree(pmem);
        return pmem_error(WG_ERR_NO_MEMORY);
    }
    asset_init(&pmem->asset, WG_ASSET_PHYS_MEMORY, pmem_destroy);
    return (struct pmem_result){WG_ERR_OK, pmem};
}

struct pmem_result pmem_create_device(uint64_t phys, uint64_t pages)
{
    if (pages == 0 || pages > PMEM_MAX_PAGES || phys & (PAGE_SIZE - 1) ||
        phys + pages * PAGE_SIZE < phys || phys + pages * PAGE_SIZE > (1ULL << 52))
        return pmem_error(WG_ERR_INVALID_ARGUMENT);
    for (uint64_t i = 0; i < pages; i++)
        if (memory_node_of(phys + i * PAGE_SIZE) >= 0)
            return pmem_error(WG_ERR_ACCESS_DENIED); /* RAM is never device memory */
    struct pmem *pmem = kcalloc(1, sizeof(*pmem) + pages * sizeof(uint64_t));
    if (!pmem)
        return pmem_error(WG_ERR_NO_MEMORY);
    pmem->pages = pages;
    pmem->contiguous = true;
    pmem->device = true;
    for (uint64_t i = 0; i < pages; i++)
        pmem->frames[i] = phys + i * PAGE_SIZE;
    asset_init(&pmem->asset, WG_ASSET_MMIO, pmem_destroy);
    return (struct pmem_result){WG_ERR_OK, pmem};
}

static void vmem_destroy(struct asset *asset)
{
    struct vmem *vmem = asset_vmem(asset);
    vm_unmap(vmem->vm, vmem->address, vmem->pmem->pages);
    vm_put(vmem->vm);
    asset_put(&vmem->pmem->asset);
    kfree(vmem);
}

static unsigned arch_flags_of(unsigned flags, bool device)
{
    unsigned arch = ARCH_MAP_USER | ARCH_MAP_READ | (device ? ARCH_MAP_UNCACHED : 0);
    if (flags & WG_MAP_WRITE)
        arch |= ARCH_MAP_WRITE;
    if (flags & WG_MAP_EXEC)
        arch |= ARCH_MAP_EXEC;
    return arch;
}

struct vmem_result vmem_create(struct space *space, struct pmem *pmem, uintptr_t address,
                               unsigned flags)
{
    struct vmem *vmem = kcalloc(1, sizeof(*vmem));
    if (!vmem)
        return (struct vmem_result){.err = WG_ERR_NO_MEMORY};
    enum wg_error err =
        vm_map(space->vm, address, pmem->frames, pmem->pages, arch_flags_of(flags, pmem->device));
    if (err != WG_ERR_OK) {
        kfree(vmem);
        return (struct vmem_result){.err = err};
    }
    vm_get(space->vm);
    asset_get(&pmem->asset);
    vmem->vm = space->vm;
    vmem->pmem = pmem;
    vmem->address = address;
    vmem->flags = flags;
    asset_init(&vmem->asset, WG_ASSET_VIRT_MEMORY, vmem_destroy);
    return (struct vmem_result){WG_ERR_OK, vmem};
}
