/* Test memory mappings (mapping.h). */
#include "test.h"

bool mapping_create(struct mapping *mapping, uint64_t pages, uintptr_t address, unsigned flags)
{
    *mapping = (struct mapping){0};
    struct wg_result pmem = wg_pmem_create(WG_SELF, pages, 0, WG_PMEM_ANY_NODE);
    mapping->pmem = VALUE(pmem);
    if (pmem.err != WG_ERR_OK)
        return false;
    struct wg_result vmem = wg_vmem_map(WG_SELF, mapping->pmem, address, flags);
    mapping->vmem = VALUE(vmem);
    if (vmem.err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, mapping->pmem);
        mapping->pmem = 0;
        return false;
    }
    mapping->words = (volatile uint64_t *)address;
    return true;
}

void mapping_release(struct mapping *mapping)
{
    if (mapping->vmem)
        CHECK_OK(wg_asset_release(WG_SELF, mapping->vmem));
    if (mapping->pmem)
        CHECK_OK(wg_asset_release(WG_SELF, mapping->pmem));
    *mapping = (struct mapping){0};
}
