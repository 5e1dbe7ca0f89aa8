/* Freeing a file's blocks from some logical block on (truncate, delete), indirect blocks
 * included once nothing under them is left, and releasing a deleted inode. */
#include "ext2_priv.h"

/* Frees what subtree `block` (depth >= 1) maps at or after local logical block `from`;
 * *emptied tells whether the block itself was freed too. */
static enum wg_error ext2_free_tree(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                    uint64_t block, uint32_t depth, uint64_t from, bool *emptied)
{
    uint64_t span = 1;
    for (uint32_t i = 1; i < depth; i++)
        span *= fs->ptrs_per_block;
    if (ext2_block_is_meta(fs, block))
        return ext2_corrupt(fs, "indirect block out of range");
    struct bcache_result r = bcache_read(&fs->cache, block);
    if (r.err != WG_ERR_OK)
        return r.err;
    enum wg_error err = WG_ERR_OK;
    bool any_left = false;
    for (uint32_t i = 0; i < fs->ptrs_per_block && err == WG_ERR_OK; i++) {
        uint64_t child = fs_le32(r.buf->data + 4 * i), start = i * span;
        bool gone = false;
        if (child && start + span <= from) {
            any_left = true;
            continue;
        }
        if (!child)
            continue;
        if (depth == 1) {
            err = ext2_block_free(fs, child);
            gone = err == WG_ERR_OK;
            if (gone)
                ext2_inode_add_blocks(fs, in, -1);
        } else {
            err = ext2_free_tree(fs, ino, in, child, depth - 1, from > start ? from - start : 0,
                                 &gone);
        }
        if (gone) {
            fs_put32(r.buf->data + 4 * i, 0);
            bcache_dirty(r.buf, BCACHE_META, ino);
        } else {
            any_left = true;
        }
    }
    bcache_release(&fs->cache, r.buf);
    *emptied = false;
    if (err == WG_ERR_OK && !any_left) {
        err = ext2_block_free(fs, block);
        *emptied = err == WG_ERR_OK;
        if (*emptied)
            ext2_inode_add_blocks(fs, in, -1);
    }
    return err;
}

enum wg_error ext2_free_from(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                             uint64_t first)
{
    if (in->flags & (EXT2_EXTENTS_FL | EXT2_INLINE_DATA_FL))
        return WG_ERR_NOT_SUPPORTED;
    for (uint64_t i = first; i < EXT2_NDIR_BLOCKS; i++) {
        if (!in->block[i])
            continue;
        enum wg_error err = ext2_block_free(fs, in->block[i]);
        if (err != WG_ERR_OK)
            return err;
        in->block[i] = 0;
        ext2_inode_add_blocks(fs, in, -1);
    }
    uint64_t base = EXT2_NDIR_BLOCKS, span = fs->ptrs_per_block;
    for (uint32_t depth = 1; depth <= 3; depth++, base += span, span *= fs->ptrs_per_block) {
        uint32_t root = EXT2_NDIR_BLOCKS + depth - 1;
        if (!in->block[root] || first >= base + span)
            continue;
        bool emptied = false;
        enum wg_error err = ext2_free_tree(fs, ino, in, in->block[root], depth,
                                           first > base ? first - base : 0, &emptied);
        if (err != WG_ERR_OK)
            return err;
        if (emptied)
            in->block[root] = 0;
    }
    return WG_ERR_OK;
}

/* Drops the inode's reference to a shared extended-attribute block. */
static enum wg_error ext2_release_xattr(struct ext2_fs *fs, struct ext2_inode *in)
{
    uint64_t block = ext2_inode_file_acl(in);
    if (!block)
        return WG_ERR_OK;
    if (ext2_block_is_meta(fs, block))
        return ext2_corrupt(fs, "xattr block out of range");
    struct bcache_result r = bcache_read(&fs->cache, block);
    if (r.err != WG_ERR_OK)
        return r.err;
    uint32_t refs = fs_le32(r.buf->data + 4);
    bool ok = fs_le32(r.buf->data) == EXT2_XATTR_MAGIC && refs > 0;
    if (ok && refs > 1) {
        fs_put32(r.buf->data + 4, refs - 1);
        bcache_dirty(r.buf, BCACHE_META, 0);
    }
    bcache_release(&fs->cache, r.buf);
    if (!ok)
        return ext2_corrupt(fs, "bad xattr block");
    enum wg_error err = refs == 1 ? ext2_block_free(fs, block) : WG_ERR_OK;
    if (err == WG_ERR_OK) {
        in->file_acl_lo = 0;
        ext2_inode_add_blocks(fs, in, -1);
    }
    return err;
}

enum wg_error ext2_inode_release(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
    enum wg_error err = WG_ERR_OK;
    if (!ext2_is_fast_symlink(fs, in))
        err = ext2_free_from(fs, ino, in, 0);
    if (err == WG_ERR_OK)
        err = ext2_release_xattr(fs, in);
    if (err != WG_ERR_OK)
        return err;
    bool dir = ext2_is_dir(in);
    in->links_count = 0;
    in->dtime = ext2_now(fs) ? ext2_now(fs) : 1;
    ext2_inode_set_size(in, 0);
    err = ext2_inode_write(fs, ino, in);
    return err == WG_ERR_OK ? ext2_ifree(fs, ino, dir) : err;
}
