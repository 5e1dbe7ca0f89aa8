/* The space tree and its handle tables. Lock order: a parent's lock before a child's; two
 * unrelated spaces (asset moves) by address. Asset references are dropped only after the
 * locks are released, since destroying an asset may need interrupts on. */
#include "kernel/space/space.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/sched/task.h"
#include "lib/string.h"

#define SPACE_HANDLE_LIMIT 4096 /* handles per space: bounds the kernel memory one can pin */

static volatile uint64_t next_space_id = 1;

static void *table_resize(void *old, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        kfree(old);
        return NULL;
    }
    void *fresh = kmalloc(new_size);
    if (fresh && old)
        memcpy(fresh, old, old_size < new_size ? old_size : new_size);
    if (fresh)
        kfree(old);
    return fresh;
}

/* Frees a space and then, while that drops the last reference of its parent, the parent:
 * a loop rather than recursion, since a chain of spaces can be thousands deep. */
static void space_free(struct asset *asset)
{
    struct space *space = (struct space *)asset;
    while (space) {
        struct space *parent = space->parent;
        handle_table_destroy(&space->handles);
        kfree(space->io_bitmap);
        if (space->vm)
            vm_put(space->vm);
        kfree(space);
        space = parent && asset_release_last(&parent->asset) ? parent : NULL;
    }
}

static struct space *space_alloc(struct vm_space *vm)
{
    struct space *space = kcalloc(1, sizeof(*space));
    if (!space)
        return NULL;
    asset_init(&space->asset, WG_ASSET_SPACE, space_free);
    space->lock = (struct spinlock)SPINLOCK_INIT;
    handle_table_init(&space->handles, SPACE_HANDLE_LIMIT, table_resize);
    list_init(&space->tasks);
    list_init(&space->children);
    list_init(&space->sibling_link);
    space->vm = vm;
    space->id = __atomic_fetch_add(&next_space_id, 1, __ATOMIC_RELAXED);
    return space;
}

struct space_result space_create_root(void)
{
    struct vm_result vm = vm_create();
    if (vm.err != WG_ERR_OK)
        return (struct space_result){.err = vm.err};
    struct space *space = space_alloc(vm.vm);
    if (!space) {
        vm_put(vm.vm);
        return (struct space_result){.err = WG_ERR_NO_MEMORY};
    }
    space->root = true;
    return (struct space_result){WG_ERR_OK, space};
}

struct space_result space_create_child(struct space *parent, bool share_memory)
{
    struct vm_result vm = {WG_ERR_OK, parent->vm};
    if (share_memory)
        vm_get(parent->vm);
    else
        vm = vm_create();
    if (vm.err != WG_ERR_OK)
        return (struct space_result){.err = vm.err};
    struct space *child = space_alloc(vm.vm);
    if (!child) {
        vm_put(vm.vm);
        return (struct space_result){.err = WG_ERR_NO_MEMORY};
    }
    uint64_t flags = spin_lock_irqsave(&parent->lock);
    bool parent_dead = parent->dead;
    if (!parent_dead) { /* the parent's list holds a reference until the child is destroyed */
        child->parent = parent;
        asset_get(&parent->asset);
        asset_get(&child->asset);
        list_push_back(&parent->children, &child->sibling_link);
    }
    spin_unlock_irqrestore(&parent->lock, flags);
    if (parent_dead) {
        asset_put(&child->asset);
        return (struct space_result){.err = WG_ERR_STALE_HANDLE};
    }
    return (struct space_result){WG_ERR_OK, child};
}

bool space_is_within(const struct space *space, const struct space *ancestor)
{
    for (; space; space = space->parent)
        if (space == ancestor)
            return true;
    return false;
}

void space_put(struct space *space)
{
    asset_put(&space->asset);
}

struct asset *space_lookup(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                           enum wg_error *err)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct handle_lookup found = handle_table_lookup(&space->handles, handle);
    if (found.err == WG_ERR_OK && kind != WG_ASSET_NONE && found.tag != kind)
        found.err = WG_ERR_WRONG_KIND;
    if (found.err == WG_ERR_OK && space->dead)
        found.err = WG_ERR_STALE_HANDLE;
    if (found.err == WG_ERR_OK)
        asset_get(found.object);
    spin_unlock_irqrestore(&space->lock, flags);
    *err = found.err;
    return found.err == WG_ERR_OK ? found.object : NULL;
}

struct space_result space_resolve(struct space *caller, wg_handle handle)
{
    if (handle == WG_SELF) {
        asset_get(&caller->asset);
        return (struct space_result){caller->dead ? WG_ERR_STALE_HANDLE : WG_ERR_OK, caller};
    }
    enum wg_error err;
    struct space *target = (struct space *)space_lookup(caller, handle, WG_ASSET_SPACE, &err);
    if (!target)
        return (struct space_result){.err = err};
    if (target->dead || !space_is_within(target, caller)) {
        err = target->dead ? WG_ERR_STALE_HANDLE : WG_ERR_ACCESS_DENIED;
        space_put(target);
        return (struct space_result){.err = err};
    }
    return (struct space_result){WG_ERR_OK, target};
}

struct handle_result space_insert(struct space *space, struct asset *asset)
{
    asset_get(asset);
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct handle_result result = {.err = WG_ERR_STALE_HANDLE};
    if (!space->dead)
        result = handle_table_insert(&space->handles, asset, asset->kind);
    spin_unlock_irqrestore(&space->lock, flags);
    if (result.err != WG_ERR_OK)
        asset_put(asset);
    return result;
}

enum wg_error space_release(struct space *space, wg_handle handle)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct handle_lookup removed = handle_table_remove(&space->handles, handle);
    spin_unlock_irqrestore(&space->lock, flags);
    if (removed.err == WG_ERR_OK)
        asset_put(removed.object);
    return removed.err;
}

enum wg_error space_add_task(struct space *space, struct task *task)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    bool dead = space->dead;
    if (!dead) {
        list_push_back(&space->tasks, &task->space_link);
        asset_get(&space->asset);
        task->space = space;
    }
    spin_unlock_irqrestore(&space->lock, flags);
    return dead ? WG_ERR_STALE_HANDLE : WG_ERR_OK;
}

void space_remove_task(struct space *space, struct task *task)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    if (!list_empty(&task->space_link))
        list_remove(&task->space_link);
    spin_unlock_irqrestore(&space->lock, flags);
}
