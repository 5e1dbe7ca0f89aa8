/* ext4 extent trees (read only): the root sits in i_block, deeper nodes in blocks with a
 * checksum tail. Every header is checked before use; depth is bounded. */
#include "ext2_priv.h"

#define EXT4_MAX_DEPTH 5

/* Checks a node header that lives in `room` bytes; NULL or the reason. */
static const char *ext4_check_header(const struct ext4_extent_header *h, uint32_t room,
                                     uint32_t want_depth)
{
    if (h->magic != EXT4_EXT_MAGIC)
        return "bad extent magic";
    if (h->entries > h->max || 12u + 12u * h->max > room)
        return "extent node entries overflow the node";
    if (h->depth != want_depth)
        return "extent tree depth inconsistent";
    return NULL;
}

/* In node `node` (already checked), the physical block of `l`, or the child to descend to. */
static uint64_t ext4_node_lookup(const uint8_t *node, uint64_t l, bool *hole)
{
    const struct ext4_extent_header *h = (const void *)node;
    *hole = true;
    if (h->depth == 0) {
        for (uint32_t i = 0; i < h->entries; i++) {
            struct ext4_extent e;
            memcpy(&e, node + 12 + 12 * i, sizeof e);
            uint32_t len = e.len > 32768 ? e.len - 32768u : e.len;
            if (l < e.block || l >= (uint64_t)e.block + len)
                continue;
            if (e.len > 32768) /* not yet written: reads as zeros */
                return 0;
            *hole = false;
            return ((uint64_t)e.start_hi << 32 | e.start_lo) + (l - e.block);
        }
        return 0;
    }
    int found = -1;
    for (uint32_t i = 0; i < h->entries; i++) {
        struct ext4_extent_idx x;
        memcpy(&x, node + 12 + 12 * i, sizeof x);
        if (x.block <= l)
            found = (int)i;
    }
    if (found < 0)
        return 0;
    struct ext4_extent_idx x;
    memcpy(&x, node + 12 + 12 * (uint32_t)found, sizeof x);
    *hole = false;
    return (uint64_t)x.leaf_hi << 32 | x.leaf_lo;
}

struct ext2_block_result ext2_extent_map(struct ext2_fs *fs, uint32_t ino,
                                         const struct ext2_inode *in, uint64_t lblock)
{
    const uint8_t *root_node = (const uint8_t *)in + offsetof(struct ext2_inode, block);
    const struct ext4_extent_header *root = (const void *)root_node;
    uint32_t depth = root->depth;
    const char *why = depth > EXT4_MAX_DEPTH ? "extent tree too deep"
                                             : ext4_check_header(root, sizeof in->block, depth);
    if (why)
        return (struct ext2_block_result){ext2_corrupt(fs, why), 0};
    bool hole;
    uint64_t next = ext4_node_lookup(root_node, lblock, &hole);
    while (depth > 0 && !hole) {
        depth--;
        if (ext2_block_is_meta(fs, next))
            return (struct ext2_block_result){ext2_corrupt(fs, "extent node out of range"), 0};
        struct bcache_result r = bcache_read(&fs->cache, next);
        if (r.err != WG_ERR_OK)
            return (struct ext2_block_result){r.err, 0};
        why = ext4_check_header((const void *)r.buf->data, fs->block_size, depth);
        if (!why && !ext2_csum_extent_ok(fs, ino, in->generation, r.buf->data))
            why = "extent block checksum mismatch";
        if (!why)
            next = ext4_node_lookup(r.buf->data, lblock, &hole);
        bcache_release(&fs->cache, r.buf);
        if (why)
            return (struct ext2_block_result){ext2_corrupt(fs, why), 0};
    }
    if (hole)
        return (struct ext2_block_result){WG_ERR_OK, 0};
    if (ext2_block_is_meta(fs, next))
        return (struct ext2_block_result){ext2_corrupt(fs, "extent points out of range"), 0};
    return (struct ext2_block_result){WG_ERR_OK, next};
}
