/* A space's open I/O ports: the I/O-port assets it enabled (IOPORT_ENABLE) and still holds,
 * and the permission bitmap made from them, which the arch loads into the TSS for the
 * space's tasks at every switch. Enabling belongs to the space, not the asset: a copy or a
 * move of the handle opens nothing elsewhere, and once the space holds no handle of an
 * enabled asset any more (released or moved out), its ports close unless another enabled
 * asset of the space covers them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/arch.h"

struct asset;
struct space;

#define SPACE_IO_GRANTS_MAX 64 /* distinct I/O-port assets enabled at once in one space */

struct space_io_grant {
    const struct asset *asset; /* identity only: dropped before its last handle's reference */
    uint32_t first, count;
};

struct space_io {
    uint8_t bitmap[ARCH_IO_BITMAP_BYTES]; /* a set bit denies the port */
    uint32_t count;
    struct space_io_grant grants[SPACE_IO_GRANTS_MAX];
};

/* Opens ports [first, first + count) of `asset` for `space`'s tasks (the calling task's CPU
 * at once when `load_now`). WG_ERR_STALE_HANDLE if the space no longer holds a handle of the
 * asset, WG_ERR_NO_MEMORY without room for the bitmap or a grant (SPACE_IO_GRANTS_MAX).
 * Enabling an asset twice is done once. */
enum wg_error space_io_enable(struct space *space, const struct asset *asset, uint32_t first,
                              uint32_t count, bool load_now);
/* After a handle of `asset` left `space` (its lock held; the handle's reference not yet
 * dropped): if that was the space's last handle of an enabled asset, forgets it and closes
 * its ports, byte by byte so that ports still open never close for a moment; the calling
 * CPU reloads the bitmap at once if it runs a task of the space, others at their next switch.
 * Cannot fail. */
void space_io_forget_locked(struct space *space, const struct asset *asset);
