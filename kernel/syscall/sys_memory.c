/* Physical and virtual memory syscalls. */
#include "kernel/exec/elf.h"
#include "kernel/sched/cpu.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_result sys_PMEM_CREATE(const struct sys_pmem_create_args *args)
{
    uint64_t pages = args->pages, node = args->node;
    uint32_t flags = args->flags; /* only PmemFlags (the generated decoder checked) */
    if ((flags & WG_PMEM_DMA) && !space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED); /* only init hands DMA memory out */
    if (pages == 0 || pages > PMEM_MAX_PAGES)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    if (node != WG_PMEM_ANY_NODE && node >= machine_tree.node_count)
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct pmem_result pmem = pmem_create(pages, flags, node == WG_PMEM_ANY_NODE ? -1 : (int)node);
    struct syscall_result result = SYSCALL_ERR(pmem.err);
    if (pmem.err == WG_ERR_OK) {
        pmem.pmem->dma = flags & WG_PMEM_DMA;
        result = syscall_insert_new(space, &pmem.pmem->asset);
    }
    space_put(space);
    return result;
}

struct syscall_result sys_PMEM_PHYS_ADDR(const struct sys_pmem_phys_addr_args *args)
{
    struct syscall_target pmem =
        syscall_lookup(args->space, args->pmem, WG_ASSET_PHYS_MEMORY, WG_RIGHT_READ);
    if (pmem.err != WG_ERR_OK)
        return SYSCALL_ERR(pmem.err);
    uint64_t address = asset_pmem(pmem.asset)->frames[0];
    bool dma = asset_pmem(pmem.asset)->dma; /* only DMA memory shows where it lives */
    syscall_target_put(&pmem);
    return dma ? SYSCALL_OK(address) : SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
}

/* `flags` holds only MapFlags (the generated decoder checked). */
static enum wg_error check_mapping(uint64_t address, uint64_t size, uint32_t flags)
{
    if ((flags & WG_MAP_WRITE) && (flags & WG_MAP_EXEC))
        return WG_ERR_ACCESS_DENIED; /* W^X */
    if (address & (PAGE_SIZE - 1))
        return WG_ERR_MISALIGNED;
    if (address < ELF_USER_MIN || address + size < address || address + size > USER_TOP)
        return WG_ERR_BAD_ADDRESS;
    return WG_ERR_OK;
}

/* The rights a mapping with WG_MAP_* `flags` needs on the memory's handle. */
static uint32_t rights_to_map(uint32_t flags)
{
    return WG_RIGHT_MAP | WG_RIGHT_READ | (flags & WG_MAP_WRITE ? WG_RIGHT_WRITE : 0);
}

struct syscall_result sys_VMEM_MAP(const struct sys_vmem_map_args *args)
{
    struct syscall_target memory =
        syscall_lookup(args->space, args->pmem, WG_ASSET_NONE, rights_to_map(args->flags));
    if (memory.err != WG_ERR_OK)
        return SYSCALL_ERR(memory.err);
    enum wg_asset_kind kind = memory.asset->kind;
    struct pmem *pmem = asset_pmem(memory.asset);
    enum wg_error err = WG_ERR_WRONG_KIND;
    if (kind == WG_ASSET_PHYS_MEMORY || kind == WG_ASSET_MMIO)
        err = check_mapping(args->address, pmem->pages * PAGE_SIZE, args->flags);
    if (err == WG_ERR_OK && kind == WG_ASSET_MMIO && !(memory.rights & WG_RIGHT_USE))
        err = WG_ERR_ACCESS_DENIED; /* device memory is a driver asset */
    struct syscall_result result = SYSCALL_ERR(err);
    if (err == WG_ERR_OK) {
        struct vmem_result vmem = vmem_create(memory.space, pmem, args->address, args->flags);
        result = vmem.err == WG_ERR_OK ? syscall_insert_new(memory.space, &vmem.vmem->asset)
                                       : SYSCALL_ERR(vmem.err);
    }
    syscall_target_put(&memory);
    return result;
}
