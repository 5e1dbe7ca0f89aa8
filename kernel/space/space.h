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
struct space_io;

struct space {
    struct asset asset;
    struct space *parent; /* a reference (so ancestry can always be walked); NULL: root */
    bool root;            /* the root space: the only one that may create driver assets */
    bool introspect;      /* sees every task in SYSTEM_TASKS (WG_SPACE_INTROSPECT) */
    bool power;           /* may call SYSTEM_POWER (WG_SPACE_POWER) */
    bool klog;            /* may call KLOG_READ (WG_SPACE_KLOG) */
    struct spinlock lock; /* guards handles, tasks, children, dead */
    struct handle_table handles;
    struct list_node tasks;    /* struct task.space_link */
    struct list_node children; /* struct space.sibling_link */
    struct list_node sibling_link;
    struct vm_space *vm; /* a reference */
    uint8_t *io_bitmap;  /* ports its tasks may use (ARCH_IO_BITMAP_BYTES; in io), or NULL */
    struct space_io *io; /* the I/O-port assets it enabled (space_io.h), or NULL: none yet */
    volatile bool dead;  /* being destroyed: this space and all below it take nothing new */
    uint64_t id;
};

/* An asset found through a handle: a reference to put, and the handle's rights. */
struct asset_result {
    enum wg_error err;
    struct asset *asset;
    uint32_t rights;
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
/* A child of `parent` (WG_SPACE_* flags, already checked), linked under it and named by the
 * returned handle of `parent` (every right); on error nothing was created. */
struct handle_result space_create_child(struct space *parent, uint32_t flags);
/* Marks the space and, at once, everything below it dead (nothing new is created in any of
 * it from then on), kills the tasks and waits for them, destroys the children, releases the
 * handles. The struct lives on until its last reference is dropped. */
void space_destroy(struct space *space);
/* False once the space or any ancestor is being destroyed. */
bool space_alive(const struct space *space);

/* Resolves a syscall's space argument for a task of `caller`: WG_SELF is the caller's space
 * (with every right); anything else must be a live space handle of the caller, with
 * `rights`, naming the caller's space or a descendant. On success the returned space holds a
 * new reference (space_put it). */
struct space_result space_resolve(struct space *caller, wg_handle handle, uint32_t rights);
void space_put(struct space *space);

/* Inserts `asset` (taking a new reference) with `rights` and returns its handle. */
struct handle_result space_insert(struct space *space, struct asset *asset, uint32_t rights);
/* Looks up a handle of the given kind (WG_ASSET_NONE: any) that carries at least `rights`,
 * and takes a reference. Errors: BAD_HANDLE, STALE_HANDLE, WRONG_KIND, ACCESS_DENIED. */
struct asset_result space_lookup(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                                 uint32_t rights);
/* space_lookup for a caller that needs only the asset: returned in two registers. */
struct asset_ref {
    struct asset *asset; /* a reference, or NULL with err set */
    enum wg_error err;
};
struct asset_ref space_get_asset(struct space *space, wg_handle handle, enum wg_asset_kind kind,
                                 uint32_t rights);
/* Calls fn for every handle, in handle order, with the space's lock held (fn may not sleep
 * or take the lock). */
void space_for_each_handle(struct space *space,
                           void (*fn)(void *ctx, wg_handle handle, struct asset *asset,
                                      uint32_t rights),
                           void *ctx);
/* Removes a handle and drops its reference. */
enum wg_error space_release(struct space *space, wg_handle handle);

/* For taking handles out of a space in the same step as something else changes (an IPC
 * message with moved assets is queued): the space's lock, and removals under it. Taken
 * before any IPC server lock. */
uint64_t space_lock(struct space *space);
void space_unlock(struct space *space, uint64_t flags);
/* True if some handle of the space names `asset` (lock held). */
bool space_holds_asset_locked(struct space *space, const struct asset *asset);
/* True if `handle` still names `asset` in the space (lock held). */
bool space_holds_locked(struct space *space, wg_handle handle, const struct asset *asset);
/* Removes a live handle (checked with space_holds_locked under the same hold); its reference
 * is the caller's to put once the lock is released. Like every removal of a handle, it
 * closes the I/O ports of an enabled asset the space then no longer holds (space_io.h). */
struct asset *space_take_locked(struct space *space, wg_handle handle);

/* Copies or moves handle `handle` of `from` into `to`, keeping only `rights_mask` of its
 * rights. Checked under both spaces' locks, then done at once: the handle either moved
 * or nothing changed. Needs DUPLICATE for a copy and TRANSFER between two spaces. */
struct handle_result space_transfer(struct space *from, wg_handle handle, struct space *to,
                                    uint32_t rights_mask, bool move);

/* The root space (init's) is the only one that may create driver assets. */
static inline bool space_is_root(const struct space *space)
{
    return space->root && !space->dead;
}

/* True if `space` is `ancestor` or below it. */
bool space_is_within(const struct space *space, const struct space *ancestor);

/* Task membership (space_task.c). */
enum wg_error space_add_task(struct space *space, struct task *task);
void space_remove_task(struct space *space, struct task *task);
/* Creates a user task in `space`, not started, that enters user mode at `entry` with the
 * stack pointer `stack` and arguments in the first two argument registers (space_task.c). */
struct task_result task_create_user(struct space *space, uint64_t entry, uint64_t stack,
                                    uint64_t arg0, uint64_t arg1);
