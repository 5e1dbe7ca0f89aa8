/* The space tree and its handle tables. A space's lock is taken alone, except by
 * space_transfer, which holds two (the lower address first), and by IPC, which takes a
 * space's lock before a server's. Asset references are dropped only after the locks are
 * released, since destroying an asset may need interrupts on. */
#include "kernel/space/space.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/sched/task.h"
#include "kernel/space/space_io.h"
#include "lib/string.h"

#define SPACE_HANDLE_LIMIT 4096 /* handles per space: bounds the kernel memory one can pin */

static volatile uint64_t next_space_id = 1;

/* A handle's table tag: the asset kind in the low byte, the handle's rights above it. */
#define TAG_RIGHTS_SHIFT 8

static uint32_t tag_make(enum wg_asset_kind kind, uint32_t rights)
{
    return (uint32_t)kind | rights << TAG_RIGHTS_SHIFT;
}

static enum wg_asset_kind tag_kind(uint32_t tag)
{
    return (enum wg_asset_kind)(tag & ((1u << TAG_RIGHTS_SHIFT) - 1));
}

static uint32_t tag_rights(uint32_t tag)
{
    return tag >> TAG_RIGHTS_SHIFT;
}

_Static_assert(WG_ASSET_KIND_COUNT <= 1u << TAG_RIGHTS_SHIFT, "kinds fit below the rights");
_Static_assert((WG_RIGHTS_ALL >> (32 - TAG_RIGHTS_SHIFT)) == 0, "rights fit in the tag");

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
        kfree(space->io);
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
    space->introspect = true;
    space->power = true;
    space->klog = true;
    return (struct space_result){WG_ERR_OK, space};
}

/* Links a new child under its parent and gives the parent its handle, or changes nothing. */
static struct handle_result link_child(struct space *parent, struct space *child)
{
    uint64_t flags = spin_lock_irqsave(&parent->lock);
    struct handle_result handle = {.err = WG_ERR_STALE_HANDLE};
    if (space_alive(parent))
        handle.err = handle_table_reserve(&parent->handles);
    if (handle.err == WG_ERR_OK) { /* the parent's list holds a reference until destroyed */
        child->parent = parent;
        asset_get(&parent->asset);
        asset_get(&child->asset);
        list_push_back(&parent->children, &child->sibling_link);
        handle = handle_table_insert(&parent->handles, &child->asset,
                                     tag_make(WG_ASSET_SPACE, WG_RIGHTS_ALL));
    }
    spin_unlock_irqrestore(&parent->lock, flags);
    return handle;
}

struct handle_result space_create_child(struct space *parent, uint32_t flags)
{
    struct vm_result vm = {WG_ERR_OK, parent->vm};
    if (flags & WG_SPACE_SHARE_MEMORY)
        vm_get(parent->vm);
    else
        vm = vm_create();
    if (vm.err != WG_ERR_OK)
        return (struct handle_result){.err = vm.err};
    struct space *child = space_alloc(vm.vm);
    if (!child) {
        vm_put(vm.vm);
        return (struct handle_result){.err = WG_ERR_NO_MEMORY};
    }
    child->introspect = flags & WG_SPACE_INTROSPECT;
    child->power = flags & WG_SPACE_POWER;
    child->klog = flags & WG_SPACE_KLOG;
    struct handle_result handle = link_child(parent, child);
    if (handle.err != WG_ERR_OK) /* else the creation reference is the handle's */
        asset_put(&child->asset);
    return handle;
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

bool space_alive(const struct space *space)
{
    for (; space; space = space->parent)
        if (space->dead)
            return false;
    return true;
}

/* Checks a looked-up slot against the wanted kind and rights (space lock held). */
static enum wg_error check_found(const struct handle_lookup *found, enum wg_asset_kind kind,
                                 uint32_t rights)
{
    if (found->err != WG_ERR_OK)
        return found->err;
    if (kind != WG_ASSET_NONE && tag_kind(found->tag) != kind)
        return WG_ERR_WRONG_KIND;
    if ((tag_rights(found->tag) & rights) != rights)
        return WG_ERR_ACCESS_DENIED;
    return WG_ERR_OK;
}

/* space_lookup's answer when the handle is not a live one of the right kind and rights (or
 * the space is dead): which error, precisely. */
static __attribute__((noinline)) struct asset_result
lookup_slow(struct space *space, wg_handle handle, enum wg_asset_kind kind, uint32_t rights)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct handle_lookup found = handle_table_lookup(&space->handles, handle);
    enum wg_error err = check_found(&found, kind, rights);
    if (err == WG_ERR_OK && space->dead)
        err = WG_ERR_STALE_HANDLE;
    if (err == WG_ERR_OK)
        asset_get(found.object);
    spin_unlock_irqrestore(&space->lock, flags);
    if (err != WG_ERR_OK)
        return (struct asset_result){.err = err};
    return (struct asset_result){WG_ERR_OK, found.object, tag_rights(found.tag)};
}

/* Both lookups' common case, inline: a live handle of `kind` with `rights` in a live space
 * gives its asset, referenced, and its rights in *held; NULL when lookup_slow must say why. */
static inline struct asset *get_fast(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                                     uint32_t rights, uint32_t *held)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    const struct handle_slot *slot = handle_table_live_slot(&space->handles, handle);
    struct asset *asset = NULL;
    if (slot && (kind == WG_ASSET_NONE || tag_kind(slot->tag) == kind) &&
        (tag_rights(slot->tag) & rights) == rights && !space->dead) {
        asset = slot->object;
        *held = tag_rights(slot->tag);
        asset_get(asset);
    }
    spin_unlock_irqrestore(&space->lock, flags);
    return asset;
}

/* Every syscall's lookup: the common case in a few instructions, errors in lookup_slow. */
struct asset_result space_lookup(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                                 uint32_t rights)
{
    uint32_t held;
    struct asset *asset = get_fast(space, handle, kind, rights, &held);
    if (__builtin_expect(asset != NULL, 1))
        return (struct asset_result){WG_ERR_OK, asset, held};
    return lookup_slow(space, handle, kind, rights);
}

struct asset_ref space_get_asset(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                                 uint32_t rights)
{
    uint32_t held;
    struct asset *asset = get_fast(space, handle, kind, rights, &held);
    if (__builtin_expect(asset != NULL, 1))
        return (struct asset_ref){asset, WG_ERR_OK};
    struct asset_result found = lookup_slow(space, handle, kind, rights);
    return (struct asset_ref){found.asset, found.err};
}

struct space_result space_resolve(struct space *caller, wg_handle handle, uint32_t rights)
{
    if (handle == WG_SELF) {
        if (caller->dead) /* no reference taken: nobody would put it */
            return (struct space_result){.err = WG_ERR_STALE_HANDLE};
        asset_get(&caller->asset);
        return (struct space_result){WG_ERR_OK, caller};
    }
    struct asset_result found = space_lookup(caller, handle, WG_ASSET_SPACE, rights);
    if (found.err != WG_ERR_OK)
        return (struct space_result){.err = found.err};
    struct space *target = asset_space(found.asset);
    if (target->dead || !space_is_within(target, caller)) {
        enum wg_error err = target->dead ? WG_ERR_STALE_HANDLE : WG_ERR_ACCESS_DENIED;
        space_put(target);
        return (struct space_result){.err = err};
    }
    return (struct space_result){WG_ERR_OK, target};
}

struct handle_result space_insert(struct space *space, struct asset *asset, uint32_t rights)
{
    asset_get(asset);
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct handle_result result = {.err = WG_ERR_STALE_HANDLE};
    if (space_alive(space))
        result = handle_table_insert(&space->handles, asset, tag_make(asset->kind, rights));
    spin_unlock_irqrestore(&space->lock, flags);
    if (result.err != WG_ERR_OK)
        asset_put(asset);
    return result;
}

struct for_each_context {
    void (*fn)(void *ctx, wg_handle handle, struct asset *asset, uint32_t rights);
    void *ctx;
};

static void visit_handle(void *ctx, wg_handle handle, void *object, uint32_t tag)
{
    struct for_each_context *each = ctx;
    each->fn(each->ctx, handle, object, tag_rights(tag));
}

void space_for_each_handle(struct space *space,
                           void (*fn)(void *ctx, wg_handle handle, struct asset *asset,
                                      uint32_t rights),
                           void *ctx)
{
    struct for_each_context each = {fn, ctx};
    uint64_t flags = spin_lock_irqsave(&space->lock);
    handle_table_for_each(&space->handles, visit_handle, &each);
    spin_unlock_irqrestore(&space->lock, flags);
}

enum wg_error space_release(struct space *space, wg_handle handle)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct handle_lookup removed = handle_table_remove(&space->handles, handle);
    if (removed.err == WG_ERR_OK)
        space_io_forget_locked(space, removed.object);
    spin_unlock_irqrestore(&space->lock, flags);
    if (removed.err == WG_ERR_OK)
        asset_put(removed.object);
    return removed.err;
}

uint64_t space_lock(struct space *space)
{
    return spin_lock_irqsave(&space->lock);
}

void space_unlock(struct space *space, uint64_t flags)
{
    spin_unlock_irqrestore(&space->lock, flags);
}

bool space_holds_locked(struct space *space, wg_handle handle, const struct asset *asset)
{
    struct handle_lookup found = handle_table_lookup(&space->handles, handle);
    return found.err == WG_ERR_OK && found.object == asset;
}

struct holds_context {
    const void *asset;
    bool found;
};

static void find_asset(void *ctx, wg_handle handle, void *object, uint32_t tag)
{
    struct holds_context *holds = ctx;
    (void)handle;
    (void)tag;
    holds->found |= object == holds->asset;
}

bool space_holds_asset_locked(struct space *space, const struct asset *asset)
{
    struct holds_context holds = {asset, false};
    handle_table_for_each(&space->handles, find_asset, &holds);
    return holds.found;
}

struct asset *space_take_locked(struct space *space, wg_handle handle)
{
    struct asset *taken = handle_table_remove(&space->handles, handle).object;
    if (taken)
        space_io_forget_locked(space, taken);
    return taken;
}

/* Two spaces' locks, the lower address first (one lock when they are the same space). */
static uint64_t lock_two(struct space *a, struct space *b)
{
    struct space *first = a < b ? a : b, *second = a < b ? b : a;
    uint64_t flags = spin_lock_irqsave(&first->lock);
    if (second != first)
        spin_lock(&second->lock);
    return flags;
}

static void unlock_two(struct space *a, struct space *b, uint64_t flags)
{
    if (a != b)
        spin_unlock(&b->lock);
    spin_unlock_irqrestore(&a->lock, flags);
}

/* Everything a transfer needs, checked with both locks held; after it nothing can fail. */
static enum wg_error transfer_check(struct space *from, const struct handle_lookup *found,
                                    struct space *to, bool move)
{
    uint32_t needed = (move ? 0 : WG_RIGHT_DUPLICATE) | (from != to ? WG_RIGHT_TRANSFER : 0);
    enum wg_error err = check_found(found, WG_ASSET_NONE, needed);
    if (err == WG_ERR_OK && (!space_alive(from) || !space_alive(to)))
        err = WG_ERR_STALE_HANDLE;
    if (err == WG_ERR_OK)
        err = handle_table_reserve(&to->handles);
    return err;
}

struct handle_result space_transfer(struct space *from, wg_handle handle, struct space *to,
                                    uint32_t rights_mask, bool move)
{
    uint64_t flags = lock_two(from, to);
    struct handle_lookup found = handle_table_lookup(&from->handles, handle);
    struct handle_result result = {.err = transfer_check(from, &found, to, move)};
    if (result.err == WG_ERR_OK) {
        struct asset *asset = found.object;
        uint32_t rights = tag_rights(found.tag) & rights_mask;
        if (move)
            handle_table_remove(&from->handles, handle); /* its reference goes to `to` */
        else
            asset_get(asset);
        result = handle_table_insert(&to->handles, asset, tag_make(asset->kind, rights));
        if (move) /* enabled I/O ports stay behind, and close if no handle of them does */
            space_io_forget_locked(from, asset);
    }
    unlock_two(from, to, flags);
    return result;
}

enum wg_error space_add_task(struct space *space, struct task *task)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    bool dead = !space_alive(space);
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
