/* The block device the file-system library works on: a small table of operations on a
 * caller's context. A block here is the device's unit (sector_size bytes, usually 512);
 * the cache turns file-system blocks into runs of device blocks. */
#pragma once

#include "fs_port.h"

struct blockdev_ops {
    /* Reads `count` device blocks starting at `block` into buf. */
    enum wg_error (*read_blocks)(void *ctx, uint64_t block, uint32_t count, void *buf);
    enum wg_error (*write_blocks)(void *ctx, uint64_t block, uint32_t count, const void *buf);
    /* Makes every completed write durable. */
    enum wg_error (*flush)(void *ctx);
};

struct blockdev {
    const struct blockdev_ops *ops;
    void *ctx;
    uint32_t sector_size;  /* a power of two, 512..4096 */
    uint64_t sector_count; /* size of the device in sectors */
};
