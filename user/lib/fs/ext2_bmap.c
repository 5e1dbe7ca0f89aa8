/* ext2's block map: 12 direct pointers, then single, double and triple indirect blocks.
 * Lookups walk the tree; with `alloc` the missing levels are allocated (zero-filled). */
#include "ext2_priv.h"

uint64_t ext2_max_lblocks(const struct ext2_fs *fs)
{
    uint64_t p = fs->ptrs_per_block;
    return EXT2_NDIR_BLOCKS + p + p * p + p * p * p;
}

struct ext2_path {
    uint32_t root; /* index into i_block */
    uint32_t depth;
    uint32_t index[3];
};

static struct ext2_path ext2_path_of(const struct ext2_fs *fs, uint64_t l)
{
    uint64_t p = fs->ptrs_per_block;
    if (l < EXT2_NDIR_BLOCKS)
        return (struct ext2_path){(uint32_t)l, 0, {0}};
    l -= EXT2_NDIR_BLOCKS;
    if (l < p)
        return (struct ext2_path){EXT2_IND_BLOCK, 1, {(uint32_t)l}};
    l -= p;
    if (l < p * p)
        return (struct ext2_path){EXT2_DIND_BLOCK, 2, {(uint32_t)(l / p), (uint32_t)(l % p)}};
    l -= p * p;
    return (struct ext2_path){
        EXT2_TIND_BLOCK, 3, {(uint32_t)(l / (p * p)), (uint32_t)(l / p % p), (uint32_t)(l % p)}};
}

/* A new block near `goal`, zeroed in the cache when it will hold pointers. */
static struct ext2_block_result ext2_new_block(struct ext2_fs *fs, uint32_t ino,
                                               struct ext2_inode *in, uint64_t goal, bool zero)
{
    struct ext2_block_result b = ext2_block_alloc(fs, goal);
    if (b.err != WG_ERR_OK || !zero)
        goto out;
    struct bcache_result r = bcache_zero(&fs->cache, b.block);
    if (r.err != WG_ERR_OK) {
        ext2_block_free(fs, b.block);
        return (struct ext2_block_result){r.err, 0};
    }
    bcache_dirty(r.buf, BCACHE_META, ino);
    bcache_release(&fs->cache, r.buf);
out:
    if (b.err == WG_ERR_OK)
        ext2_inode_add_blocks(fs, in, 1);
    return b;
}

/* Entry `index` of indirect block `block`, allocating it when missing and `alloc`. */
static struct ext2_map_result ext2_step(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                        uint64_t block, uint32_t index, bool alloc, bool leaf)
{
    if (ext2_block_is_meta(fs, block))
        return (struct ext2_map_result){ext2_corrupt(fs, "indirect block out of range"), 0, 0};
    struct bcache_result r = bcache_read(&fs->cache, block);
    if (r.err != WG_ERR_OK)
        return (struct ext2_map_result){r.err, 0, false};
    uint32_t next = fs_le32(r.buf->data + 4 * index);
    struct ext2_map_result out = {WG_ERR_OK, next, false};
    if (!next && alloc) {
        uint64_t goal = index ? fs_le32(r.buf->data + 4 * (index - 1)) + 1 : block + 1;
        struct ext2_block_result b = ext2_new_block(fs, ino, in, goal, !leaf);
        out = (struct ext2_map_result){b.err, b.block, b.err == WG_ERR_OK};
        if (b.err == WG_ERR_OK) {
            fs_put32(r.buf->data + 4 * index, (uint32_t)b.block);
            bcache_dirty(r.buf, BCACHE_META, ino);
        }
    }
    bcache_release(&fs->cache, r.buf);
    return out;
}

static struct ext2_map_result ext2_root(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                        uint32_t root, bool alloc, bool leaf)
{
    uint32_t cur = in->block[root];
    if (cur || !alloc)
        return (struct ext2_map_result){WG_ERR_OK, cur, false};
    uint64_t goal = root && in->block[root - 1]
                        ? in->block[root - 1] + 1ull
                        : ext2_group_first_block(fs, (ino - 1) / fs->inodes_per_group);
    struct ext2_block_result b = ext2_new_block(fs, ino, in, goal, !leaf);
    if (b.err == WG_ERR_OK)
        in->block[root] = (uint32_t)b.block;
    return (struct ext2_map_result){b.err, b.block, b.err == WG_ERR_OK};
}

struct ext2_map_result ext2_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                 uint64_t lblock, bool alloc)
{
    if (in->flags & EXT2_INLINE_DATA_FL)
        return (struct ext2_map_result){WG_ERR_NOT_SUPPORTED, 0, false};
    if (in->flags & EXT2_EXTENTS_FL) {
        if (alloc)
            return (struct ext2_map_result){WG_ERR_NOT_SUPPORTED, 0, false};
        struct ext2_block_result b = ext2_extent_map(fs, ino, in, lblock);
        return (struct ext2_map_result){b.err, b.block, false};
    }
    if (lblock >= ext2_max_lblocks(fs))
        return (struct ext2_map_result){WG_ERR_OUT_OF_RANGE, 0, false};
    struct ext2_path path = ext2_path_of(fs, lblock);
    struct ext2_map_result m = ext2_root(fs, ino, in, path.root, alloc, path.depth == 0);
    for (uint32_t level = 0; level < path.depth && m.err == WG_ERR_OK && m.block; level++)
        m = ext2_step(fs, ino, in, m.block, path.index[level], alloc, level + 1 == path.depth);
    if (m.err == WG_ERR_OK && m.block && !m.fresh && ext2_block_is_meta(fs, m.block))
        return (struct ext2_map_result){ext2_corrupt(fs, "data block out of range"), 0, false};
    return m;
}
