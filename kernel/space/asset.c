/* Asset reference counting. */
#include "kernel/space/asset.h"
#include "kernel/panic.h"

static volatile uint64_t live_assets;

void asset_init(struct asset *asset, enum wg_asset_kind kind, void (*destroy)(struct asset *))
{
    asset->kind = kind;
    asset->refs = 1;
    asset->destroy = destroy;
    __atomic_fetch_add(&live_assets, 1, __ATOMIC_RELAXED);
}

bool asset_release_last(struct asset *asset)
{
    int32_t left = __atomic_sub_fetch(&asset->refs, 1, __ATOMIC_ACQ_REL);
    kassert(left >= 0);
    if (left != 0)
        return false;
    __atomic_fetch_sub(&live_assets, 1, __ATOMIC_RELAXED);
    return true;
}

void asset_put_last(struct asset *asset, int32_t left)
{
    kassert(left == 0);
    __atomic_fetch_sub(&live_assets, 1, __ATOMIC_RELAXED);
    asset->destroy(asset);
}

uint64_t asset_count(void)
{
    return live_assets;
}
