/* The block device the file-system library works on: a small table of operations on a
 * caller's context. A block here is the device's unit (sector_size bytes, usually 512);
 * the cache turns file-system blocks into runs of device blocks. */
#pragma once

#include "fs_port.h"

/* One piece of a write_many: `count` device blocks at `block` from buf. */
struct blockdev_piece {
    uint64_t block;
    uint32_t count;
    const void *buf;
};

struct blockdev_ops {
    /* Reads `count` device blocks starting at `block` into buf. */
    enum wg_error (*read_blocks)(void *ctx, uint64_t block, uint32_t count, void *buf);
    enum wg_error (*write_blocks)(void *ctx, uint64_t block, uint32_t count, const void *buf);
    /* Makes every completed write durable. */
    enum wg_error (*flush)(void *ctx);
    /* Optional (NULL: none): writes `n` pieces as one unit that the caller's end (a crash,
     * a kill) after the call began leaves written whole: the ext2 server sends them as one
     * block-protocol batch, which a driver runs to its end. NOT_SUPPORTED or OUT_OF_RANGE
     * (they do not fit in one) before anything is written: the caller writes them one by
     * one instead. */
    enum wg_error (*write_many)(void *ctx, const struct blockdev_piece *pieces, uint32_t n);
};

struct blockdev {
    const struct blockdev_ops *ops;
    void *ctx;
    uint32_t sector_size;  /* a power of two, 512..4096 */
    uint64_t sector_count; /* size of the device in sectors */
};
