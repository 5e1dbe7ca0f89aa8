/* The syscall layer's one way from (space argument, handle) to an asset of a kind with
 * rights, and its one way to give a new asset a handle. */
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_target syscall_lookup(wg_handle space, wg_handle handle, enum wg_asset_kind kind,
                                     uint32_t rights)
{
    struct space_result resolved = space_resolve(syscall_space(), space, WG_RIGHT_MANAGE);
    if (resolved.err != WG_ERR_OK)
        return (struct syscall_target){.err = resolved.err};
    struct asset_result found = space_lookup(resolved.space, handle, kind, rights);
    if (found.err != WG_ERR_OK) {
        space_put(resolved.space);
        return (struct syscall_target){.err = found.err};
    }
    return (struct syscall_target){WG_ERR_OK, resolved.space, found.asset, found.rights};
}

void syscall_target_put(struct syscall_target *target)
{
    asset_put(target->asset);
    space_put(target->space);
}

struct syscall_result syscall_insert_new(struct space *space, struct asset *asset)
{
    struct handle_result handle = space_insert(space, asset, WG_RIGHTS_ALL);
    asset_put(asset);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}
