/* Spaces: containers of assets (reached by handles), arranged in a tree. A task may act on
 * its own space and on the spaces below it, never above or beside. A space has its own
 * address space or shares its parent's. Destroying a space kills its tasks, releases every
 * handle it holds (child spaces are destroyed with it) and frees what reaches zero. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#include "kernel/space/asset.h"
#include "kernel/space/handle_table.h"
#include "kernel/space/vm.h"
#include "kernel/sync/spinlock.h"
#include "lib/list.h"

struct task;

struct space {
    struct asset asset;
    struct space *parent; /* a reference (so ancestry can always be walked); NULL: root */
    bool root;            /* the root space: the only one that may create driver assets */
    struct spinlock lock; /* guards handles, tasks, children, dead */
    struct handle_table handles;
    struct list_node tasks;    /* struct task.space_link */
    struct list_node children; /* struct space.sibling_link */
    struct list_node sibling_link;
    struct vm_space *vm; /* a reference */
    uint8_t *io_bitmap;  /* ports its tasks may use (ARCH_IO_BITMAP_BYTES), or NULL */
    volatile bool dead;
    uint64_t id;
};

static inline struct space *asset_space(struct asset *asset)
{
    return (struct space *)asset;
}

struct space_result {
    enum wg_error err;
    struct space *space;
};

/* The root space (init's), with its own address space. */
struct space_result space_create_root(void);
/* A child of `parent`; `share_memory` makes it use the parent's address space. The result
 * holds the creator's reference. */
struct space_result space_create_child(struct space *parent, bool share_memory);
/* Kills the space's tasks and waits for them, destroys its children, releases its handles.
 * The struct lives on until its last reference is dropped. */
void space_destroy(struct space *space);

/* Resolves a syscall's space argument for a task of `caller`: WG_SELF is the caller's space;
 * anything else must be a live space handle of the caller naming the caller's space or a
 * descendant. On success the returned space holds a new reference (space_put it). */
struct space_result space_resolve(struct space *caller, wg_handle handle);
void space_put(struct space *space);

/* Inserts `asset` (taking a new reference) and returns its handle in `space`. */
struct handle_result space_insert(struct space *space, struct asset *asset);
/* Looks up a handle of the given kind (WG_ASSET_NONE: any) and takes a reference. */
struct asset *space_lookup(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                           enum wg_error *err);
/* Removes a handle and drops its reference. */
enum wg_error space_release(struct space *space, wg_handle handle);

/* The root space (init's) is the only one that may create driver assets. */
static inline bool space_is_root(const struct space *space)
{
    return space->root && !space->dead;
}

/* True if `space` is `ancestor` or below it. */
bool space_is_within(const struct space *space, const struct space *ancestor);

/* Task membership (used by the task code). */
enum wg_error space_add_task(struct space *space, struct task *task);
void space_remove_task(struct space *space, struct task *task);
