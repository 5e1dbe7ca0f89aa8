/* Space and generic asset syscalls. */
#include "kernel/mm/kmalloc.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/space/task_asset.h"
#include "kernel/syscall/syscall.h"

#define ASSET_LIST_MAX 4096

struct syscall_result sys_SPACE_CREATE(const struct sys_space_create_args *args)
{
    uint32_t flags = args->flags; /* only SpaceFlags (the generated decoder checked) */
    RESOLVE_SPACE(parent, args->space, WG_RIGHT_MANAGE);
    uint64_t held = (parent->introspect ? WG_SPACE_INTROSPECT : 0) |
                    (parent->power ? WG_SPACE_POWER : 0) | (parent->klog ? WG_SPACE_KLOG : 0);
    struct handle_result child = {.err = WG_ERR_ACCESS_DENIED}; /* grants are given down */
    if (!(flags & ~(uint64_t)WG_SPACE_SHARE_MEMORY & ~held))
        child = space_create_child(parent, flags);
    space_put(parent);
    return (struct syscall_result){child.err, child.err == WG_ERR_OK ? child.handle : 0};
}

/* Only strictly below the caller: never its own space or an ancestor. */
static enum wg_error check_victim(const struct space *victim)
{
    if (!space_is_within(victim, syscall_space()) || victim == syscall_space())
        return WG_ERR_ACCESS_DENIED;
    return victim->dead ? WG_ERR_STALE_HANDLE : WG_ERR_OK;
}

struct syscall_result sys_SPACE_DESTROY(const struct sys_space_destroy_args *args)
{
    struct syscall_target child =
        syscall_lookup(args->space, args->child, WG_ASSET_SPACE, WG_RIGHT_DESTROY);
    if (child.err != WG_ERR_OK)
        return SYSCALL_ERR(child.err);
    enum wg_error err = check_victim(asset_space(child.asset));
    if (err == WG_ERR_OK) {
        space_destroy(asset_space(child.asset));
        space_release(child.space, args->child);
    }
    syscall_target_put(&child);
    return SYSCALL_ERR(err);
}

static void describe(struct wg_asset_info *info, wg_handle handle, struct asset *asset,
                     uint32_t rights)
{
    *info = (struct wg_asset_info){.handle = handle, .kind = asset->kind, .rights = rights};
    if (asset->kind == WG_ASSET_PHYS_MEMORY || asset->kind == WG_ASSET_MMIO) {
        info->size = asset_pmem(asset)->pages * PAGE_SIZE;
        info->flags = asset_pmem(asset)->contiguous ? WG_PMEM_CONTIGUOUS : 0;
    } else if (asset->kind == WG_ASSET_VIRT_MEMORY) {
        info->size = asset_vmem(asset)->pmem->pages * PAGE_SIZE;
        info->flags = asset_vmem(asset)->flags;
        info->address = asset_vmem(asset)->address;
    } else if (asset->kind == WG_ASSET_SPACE) {
        info->address = asset_space(asset)->id; /* the ids SYSTEM_TASKS shows */
    } else if (asset->kind == WG_ASSET_TASK) {
        info->address = asset_task(asset)->id;
    }
}

struct list_context {
    struct wg_asset_info *out;
    uint64_t max, count;
};

static void list_one(void *ctx, wg_handle handle, struct asset *asset, uint32_t rights)
{
    struct list_context *list = ctx;
    if (list->count < list->max)
        describe(&list->out[list->count++], handle, asset, rights);
}

struct syscall_result sys_ASSET_LIST(const struct sys_asset_list_args *args)
{
    uint64_t max = args->max;
    if (max > ASSET_LIST_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_READ);
    struct list_context list = {kcalloc(max ? max : 1, sizeof(struct wg_asset_info)), max, 0};
    enum wg_error err = list.out ? WG_ERR_OK : WG_ERR_NO_MEMORY;
    if (list.out) {
        space_for_each_handle(space, list_one, &list);
        err = copy_to_user(args->out, list.out, list.count * sizeof(struct wg_asset_info));
        kfree(list.out);
    }
    space_put(space);
    return (struct syscall_result){err, err == WG_ERR_OK ? list.count : 0};
}

struct syscall_result sys_ASSET_INFO(const struct sys_asset_info_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_READ);
    struct asset_result found = space_lookup(space, args->handle, WG_ASSET_NONE, 0);
    if (found.err == WG_ERR_OK) {
        struct wg_asset_info info;
        describe(&info, args->handle, found.asset, found.rights);
        found.err = copy_to_user(args->out, &info, sizeof(info));
        asset_put(found.asset);
    }
    space_put(space);
    return SYSCALL_ERR(found.err);
}

struct syscall_result sys_ASSET_RELEASE(const struct sys_asset_release_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    enum wg_error err = space_release(space, args->handle);
    space_put(space);
    return SYSCALL_ERR(err);
}

/* Copy or move (ASSET_COPY's arguments are ASSET_MOVE's): the asset gets a handle in `to`
 * with at most `rights` (unknown rights were refused by the generated decoder), and for a
 * move leaves `from`; both spaces need MANAGE. */
static struct syscall_result transfer(const struct sys_asset_move_args *args, bool move)
{
    RESOLVE_SPACE(from, args->space, WG_RIGHT_MANAGE);
    struct space_result to = space_resolve(syscall_space(), args->to_space, WG_RIGHT_MANAGE);
    struct handle_result handle = {.err = to.err};
    if (to.err == WG_ERR_OK) {
        handle = space_transfer(from, args->handle, to.space, args->rights, move);
        space_put(to.space);
    }
    space_put(from);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}

struct syscall_result sys_ASSET_MOVE(const struct sys_asset_move_args *args)
{
    return transfer(args, true);
}

struct syscall_result sys_ASSET_COPY(const struct sys_asset_copy_args *args)
{
    const struct sys_asset_move_args same = {args->space, args->handle, args->to_space,
                                             args->rights};
    return transfer(&same, false);
}
