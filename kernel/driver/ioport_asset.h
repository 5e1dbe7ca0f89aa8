/* I/O-port assets: a range of x86 I/O ports that a space's tasks may be allowed to use. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

struct asset;
struct space;

struct ioport_asset_result {
    enum wg_error err;
    struct asset *asset; /* one reference, for the caller */
};

/* A new asset for ports [first, first + count) (count >= 1, ending at or below 0x10000:
 * the caller checked). WG_ERR_NO_MEMORY. */
struct ioport_asset_result ioport_asset_create(uint32_t first, uint32_t count);
/* Opens the ports of `ports` (an I/O-port asset) for every task of `space` while the space
 * holds a handle of it (space_io.h); `load_now` when the calling task belongs to `space`,
 * so that it sees them at once. WG_ERR_OK, WG_ERR_STALE_HANDLE (the space let go of the
 * asset meanwhile) or WG_ERR_NO_MEMORY (no bitmap yet and none could be made, or
 * SPACE_IO_GRANTS_MAX assets enabled already). */
enum wg_error ioport_asset_enable(struct space *space, struct asset *ports, bool load_now);
