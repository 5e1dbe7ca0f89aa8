/* The syscall layer's one way from (space argument, handle) to an asset of a kind with
 * rights, and its one way to give a new asset a handle. */
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_target syscall_lookup(wg_handle space, wg_handle handle, enum wg_asset_kind kind,
                                     uint32_t rights)
{
    /* The caller's own space is borrowed: its task holds a reference for as long as it
     * runs, so the common WG_SELF case takes and drops none. */
    struct space *self = syscall_space();
    bool self_space = space == WG_SELF;
    struct space_result resolved = {self->dead ? WG_ERR_STALE_HANDLE : WG_ERR_OK, self};
    if (!self_space)
        resolved = space_resolve(self, space, WG_RIGHT_MANAGE);
    if (resolved.err != WG_ERR_OK)
        return (struct syscall_target){.err = resolved.err};
    struct asset_result found = space_lookup(resolved.space, handle, kind, rights);
    if (found.err != WG_ERR_OK) {
        if (!self_space)
            space_put(resolved.space);
        return (struct syscall_target){.err = found.err};
    }
    return (struct syscall_target){WG_ERR_OK, resolved.space, found.asset, found.rights,
                                   !self_space};
}

void syscall_target_put(struct syscall_target *target)
{
    asset_put(target->asset);
    if (target->space_ref)
        space_put(target->space);
}

struct syscall_result syscall_insert_new(struct space *space, struct asset *asset)
{
    struct handle_result handle = space_insert(space, asset, WG_RIGHTS_ALL);
    asset_put(asset);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}
