/* Space and generic asset syscalls. */
#include "kernel/mm/kmalloc.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

#define ASSET_LIST_MAX 4096

struct syscall_result sys_SPACE_CREATE(const uint64_t *args)
{
    if (args[1] & ~(uint64_t)WG_SPACE_SHARE_MEMORY)
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    RESOLVE_SPACE(parent, 0);
    struct space_result child = space_create_child(parent, args[1] & WG_SPACE_SHARE_MEMORY);
    struct handle_result handle = {.err = child.err};
    if (child.err == WG_ERR_OK) {
        handle = space_insert(parent, &child.space->asset);
        if (handle.err != WG_ERR_OK)
            space_destroy(child.space);
        space_put(child.space);
    }
    space_put(parent);
    return (struct syscall_result){handle.err, handle.handle};
}

struct syscall_result sys_SPACE_DESTROY(const uint64_t *args)
{
    RESOLVE_SPACE(holder, 0);
    enum wg_error err;
    struct asset *asset = space_lookup(holder, args[1], WG_ASSET_SPACE, &err);
    if (asset) {
        struct space *victim = asset_space(asset);
        /* Only strictly below the caller: never its own space or an ancestor. */
        if (!space_is_within(victim, syscall_space()) || victim == syscall_space())
            err = WG_ERR_ACCESS_DENIED;
        else if (victim->dead)
            err = WG_ERR_STALE_HANDLE;
        if (err == WG_ERR_OK) {
            space_destroy(victim);
            space_release(holder, args[1]);
        }
        asset_put(asset);
    }
    space_put(holder);
    return SYSCALL_ERR(err);
}

static void describe(struct wg_asset_info *info, wg_handle handle, struct asset *asset)
{
    *info = (struct wg_asset_info){.handle = handle, .kind = asset->kind};
    if (asset->kind == WG_ASSET_PHYS_MEMORY || asset->kind == WG_ASSET_MMIO) {
        info->size = asset_pmem(asset)->pages * PAGE_SIZE;
        info->flags = asset_pmem(asset)->contiguous ? WG_PMEM_CONTIGUOUS : 0;
    } else if (asset->kind == WG_ASSET_VIRT_MEMORY) {
        info->size = asset_vmem(asset)->pmem->pages * PAGE_SIZE;
        info->flags = asset_vmem(asset)->flags;
        info->address = asset_vmem(asset)->address;
    }
}

struct list_context {
    struct wg_asset_info *out;
    uint64_t max, count;
};

static void list_one(void *ctx, wg_handle handle, void *object, uint32_t tag)
{
    struct list_context *list = ctx;
    (void)tag;
    if (list->count < list->max)
        describe(&list->out[list->count++], handle, object);
}

struct syscall_result sys_ASSET_LIST(const uint64_t *args)
{
    uint64_t max = args[2];
    if (max > ASSET_LIST_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, 0);
    struct list_context list = {kcalloc(max ? max : 1, sizeof(struct wg_asset_info)), max, 0};
    enum wg_error err = list.out ? WG_ERR_OK : WG_ERR_NO_MEMORY;
    if (list.out) {
        uint64_t flags = spin_lock_irqsave(&space->lock);
        handle_table_for_each(&space->handles, list_one, &list);
        spin_unlock_irqrestore(&space->lock, flags);
        err = copy_to_user(args[1], list.out, list.count * sizeof(struct wg_asset_info));
        kfree(list.out);
    }
    space_put(space);
    return (struct syscall_result){err, err == WG_ERR_OK ? list.count : 0};
}

struct syscall_result sys_ASSET_INFO(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct asset *asset = space_lookup(space, args[1], WG_ASSET_NONE, &err);
    if (asset) {
        struct wg_asset_info info;
        describe(&info, args[1], asset);
        err = copy_to_user(args[2], &info, sizeof(info));
        asset_put(asset);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_ASSET_RELEASE(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err = space_release(space, args[1]);
    space_put(space);
    return SYSCALL_ERR(err);
}

/* Copy or move: the asset gets a handle in `to`, and for a move leaves `from`. */
static struct syscall_result transfer(const uint64_t *args, bool move)
{
    RESOLVE_SPACE(from, 0);
    struct space_result to = space_resolve(syscall_space(), args[2]);
    enum wg_error err = to.err;
    struct handle_result handle = {.err = err};
    struct asset *asset =
        err == WG_ERR_OK ? space_lookup(from, args[1], WG_ASSET_NONE, &err) : NULL;
    if (asset) {
        handle = space_insert(to.space, asset);
        if (handle.err == WG_ERR_OK && move && space_release(from, args[1]) != WG_ERR_OK) {
            space_release(to.space, handle.handle); /* someone released it meanwhile */
            handle.err = WG_ERR_STALE_HANDLE;
        }
        asset_put(asset);
    } else {
        handle.err = err;
    }
    if (to.err == WG_ERR_OK)
        space_put(to.space);
    space_put(from);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}

struct syscall_result sys_ASSET_MOVE(const uint64_t *args)
{
    return transfer(args, true);
}

struct syscall_result sys_ASSET_COPY(const uint64_t *args)
{
    return transfer(args, false);
}
