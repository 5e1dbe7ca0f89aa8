/* A write-back cache of file-system blocks over a blockdev: a fixed number of buffers,
 * least-recently-used replacement among unreferenced ones, dirty tracking. Each dirty buffer
 * carries a class (what it holds) and an owner inode so that bcache_sync can write in a safe
 * order (data, then bitmaps, then inodes/indirect blocks/directories, then descriptors and
 * superblock) and bcache_sync_owner can flush one file. Not thread-safe: one user at a time. */
#pragma once

#include "blockdev.h"

enum bcache_class {
    BCACHE_DATA,   /* file contents */
    BCACHE_BITMAP, /* block and inode bitmaps */
    BCACHE_META,   /* inode tables, indirect and extent blocks, directories */
    BCACHE_SUPER,  /* group descriptors and superblocks */
    BCACHE_CLASSES
};

struct bcache_buf {
    uint64_t block;
    uint8_t *data;
    uint64_t last_use; /* LRU clock */
    uint32_t refs;
    uint32_t owner; /* inode whose data or mapping this is, 0 for shared metadata */
    uint8_t cls;
    bool valid;
    bool dirty;
};

struct bcache {
    const struct blockdev *dev;
    uint32_t block_size;
    uint32_t sectors_per_block;
    uint64_t block_count; /* blocks the device holds */
    uint32_t nbufs;
    uint64_t clock;
    struct bcache_buf *bufs;
    uint8_t *memory;
    uint64_t reads, writes; /* device block transfers, for tests and statistics */
    uint64_t many;          /* syncs whose metadata went in one write_many */
    bool unflushed;         /* written since the device's last flush */
};

#define BCACHE_MANY_MAX 64 /* metadata buffers one sync may write at once (write_many) */

struct bcache_result {
    enum wg_error err;
    struct bcache_buf *buf;
};

/* Sets up `nbufs` buffers of block_size bytes (a multiple of the sector size). NO_MEMORY,
 * INVALID_ARGUMENT. */
enum wg_error bcache_init(struct bcache *c, const struct blockdev *dev, uint32_t block_size,
                          uint32_t nbufs);
/* Frees the buffers; dirty contents are lost (call bcache_sync first). */
void bcache_destroy(struct bcache *c);

/* The buffer of `block` with its contents, referenced (release it). OUT_OF_RANGE past the
 * device, BUSY when every buffer is referenced, or the device's read error. */
struct bcache_result bcache_read(struct bcache *c, uint64_t block);
/* Like bcache_read for a block about to be overwritten whole: no device read, zero-filled. */
struct bcache_result bcache_zero(struct bcache *c, uint64_t block);
void bcache_release(struct bcache *c, struct bcache_buf *b);
/* Marks a referenced buffer as changed; it is written at the next sync or eviction. */
void bcache_dirty(struct bcache_buf *b, enum bcache_class cls, uint32_t owner);
/* Drops a cached block (freed on disk): nothing of it will be written. */
void bcache_forget(struct bcache *c, uint64_t block);

/* Writes every dirty buffer, class by class in enum order, then flushes the device (if
 * anything was written since its last flush). With
 * the device's write_many, all metadata (every class but data) after the data goes as one
 * unit (at most BCACHE_MANY_MAX buffers; more: class by class). */
enum wg_error bcache_sync(struct bcache *c);
/* Writes the dirty buffers of one owner (data, then mapping), the buffer of `extra_block`
 * (its inode) if dirty, then every dirty bitmap/descriptor/superblock, then flushes. */
enum wg_error bcache_sync_owner(struct bcache *c, uint32_t owner, uint64_t extra_block);
/* Number of dirty buffers (tests). */
uint32_t bcache_dirty_count(const struct bcache *c);
