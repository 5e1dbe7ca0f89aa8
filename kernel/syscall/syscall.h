/* System-call dispatch. Each handler decodes and checks all of its arguments before it
 * changes anything, and returns a precise error; user memory is reached only through
 * copy_from_user / copy_to_user. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>

#include "kernel/arch.h" /* struct syscall_frame, struct syscall_result, syscall_dispatch */
#include "kernel/sched/task.h"

#define SYSCALL_OK(v)  ((struct syscall_result){WG_ERR_OK, (uint64_t)(v)})
#define SYSCALL_ERR(e) ((struct syscall_result){(e), 0})

/* In a handler: resolves the space handle `handle` as a space the caller may act on with
 * `rights` (declaring `var`, a reference to put), or returns the error. */
#define RESOLVE_SPACE(var, handle, rights)                                        \
    struct space_result var##_r = space_resolve(syscall_space(), handle, rights); \
    if (var##_r.err != WG_ERR_OK)                                                 \
        return SYSCALL_ERR(var##_r.err);                                          \
    struct space *var = var##_r.space

/* What a handler acts on: the space named by a space argument and the asset a handle names
 * in it, both with a reference (syscall_target_put drops them), and the handle's rights. */
struct syscall_target {
    enum wg_error err;
    struct space *space;
    struct asset *asset;
    uint32_t rights;
    bool space_ref; /* we hold a reference to `space` (not for WG_SELF: the task holds one) */
};

/* The one lookup of the syscall layer: the caller resolves `space` (needing MANAGE on a
 * space handle: acting through a space's handles is managing it), then `handle` in it must
 * be of `kind` (WG_ASSET_NONE: any) with `rights`. On error nothing is held. */
struct syscall_target syscall_lookup(wg_handle space, wg_handle handle, enum wg_asset_kind kind,
                                     uint32_t rights);
void syscall_target_put(struct syscall_target *target);

/* Gives a new asset its first handle (every right) in `space` and drops the creation
 * reference: the handle keeps the asset alive. */
struct syscall_result syscall_insert_new(struct space *space, struct asset *asset);

/* One handler per syscall, sys_NAME(const struct sys_name_args *args), its arguments decoded
 * and their flags and enums checked by generated code (idl/syscalls.idl, built into
 * build/gen/syscalls/syscalls_kernel.{h,c} with the dispatch table syscall_call). */
#include "syscalls_kernel.h"

/* Copies between kernel and user memory; WG_ERR_BAD_ADDRESS if any byte of the user range
 * is outside the user half or not mapped with the needed rights. */
enum wg_error copy_from_user(void *dest, uint64_t user_src, size_t size);
enum wg_error copy_to_user(uint64_t user_dest, const void *src, size_t size);
/* Checks that user memory [address, address + size) can be read and written, before
 * something is consumed that a failed copy-out would lose: one byte of each page is read
 * and written back (the caller's own memory, so a race is the caller's). */
enum wg_error user_probe_writable(uint64_t address, size_t size);

/* The calling task: one GS-relative load (the scheduler keeps it per CPU; a task that moves
 * takes its identity along). */
static inline struct task *syscall_task(void)
{
    return task_current();
}

/* The calling task's space (every syscall-making task has one). */
static inline struct space *syscall_space(void)
{
    return task_current()->space;
}
