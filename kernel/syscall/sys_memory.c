/* Physical and virtual memory syscalls. */
#include "kernel/exec/elf.h"
#include "kernel/sched/cpu.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

/* Inserts a fresh asset and drops the creation reference: the handle keeps it alive. */
static struct syscall_result insert_new(struct space *space, struct asset *asset)
{
    struct handle_result handle = space_insert(space, asset);
    asset_put(asset);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}

struct syscall_result sys_PMEM_CREATE(const uint64_t *args)
{
    uint64_t pages = args[1], flags = args[2], node = args[3];
    if (flags & ~(uint64_t)(WG_PMEM_CONTIGUOUS | WG_PMEM_DMA))
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    if ((flags & WG_PMEM_DMA) && !space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED); /* only init hands DMA memory out */
    if (pages == 0 || pages > PMEM_MAX_PAGES)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    if (node != WG_PMEM_ANY_NODE && node >= machine_tree.node_count)
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct pmem *pmem = pmem_create(pages, flags & (WG_PMEM_CONTIGUOUS | WG_PMEM_DMA),
                                    node == WG_PMEM_ANY_NODE ? -1 : (int)node, &err);
    if (pmem)
        pmem->dma = flags & WG_PMEM_DMA;
    struct syscall_result result = pmem ? insert_new(space, &pmem->asset) : SYSCALL_ERR(err);
    space_put(space);
    return result;
}

struct syscall_result sys_PMEM_PHYS_ADDR(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct asset *asset = space_lookup(space, args[1], WG_ASSET_PHYS_MEMORY, &err);
    uint64_t address = 0;
    if (asset) {
        if (asset_pmem(asset)->dma)
            address = asset_pmem(asset)->frames[0];
        else
            err = WG_ERR_ACCESS_DENIED; /* only DMA memory shows where it lives */
        asset_put(asset);
    }
    space_put(space);
    return (struct syscall_result){err, address};
}

static enum wg_error check_mapping(uint64_t address, uint64_t size, uint64_t flags)
{
    if (flags & ~(uint64_t)(WG_MAP_READ | WG_MAP_WRITE | WG_MAP_EXEC))
        return WG_ERR_INVALID_ARGUMENT;
    if ((flags & WG_MAP_WRITE) && (flags & WG_MAP_EXEC))
        return WG_ERR_ACCESS_DENIED; /* W^X */
    if (address & (PAGE_SIZE - 1))
        return WG_ERR_MISALIGNED;
    if (address < ELF_USER_MIN || address + size < address || address + size > USER_TOP)
        return WG_ERR_BAD_ADDRESS;
    return WG_ERR_OK;
}

struct syscall_result sys_VMEM_MAP(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct syscall_result result;
    struct asset *asset = space_lookup(space, args[1], WG_ASSET_NONE, &err);
    if (asset && asset->kind != WG_ASSET_PHYS_MEMORY && asset->kind != WG_ASSET_MMIO) {
        asset_put(asset);
        asset = NULL;
        err = WG_ERR_WRONG_KIND;
    }
    if (!asset) {
        result = SYSCALL_ERR(err);
    } else {
        struct pmem *pmem = asset_pmem(asset);
        err = check_mapping(args[2], pmem->pages * PAGE_SIZE, args[3]);
        struct vmem *vmem =
            err == WG_ERR_OK ? vmem_create(space, pmem, args[2], args[3], &err) : NULL;
        result = vmem ? insert_new(space, &vmem->asset) : SYSCALL_ERR(err);
        asset_put(asset);
    }
    space_put(space);
    return result;
}
