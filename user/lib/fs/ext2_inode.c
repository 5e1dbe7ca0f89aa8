/* Inodes: finding an inode's slot in its group's table, reading (with checksum) and writing
 * it, and the fields spread over two words (size, block count, xattr block). */
#include "ext2_priv.h"

struct ext2_slot {
    enum wg_error err;
    uint64_t block;
    uint32_t offset;
};

static struct ext2_slot ext2_inode_slot(const struct ext2_fs *fs, uint32_t ino)
{
    if (ino < 1 || ino > fs->sb.inodes_count)
        return (struct ext2_slot){WG_ERR_NOT_FOUND, 0, 0};
    uint32_t group = (ino - 1) / fs->inodes_per_group;
    uint32_t index = (ino - 1) % fs->inodes_per_group;
    uint64_t block = ext2_gd_inode_table(fs, group) + index / fs->inodes_per_block;
    uint32_t offset = (index % fs->inodes_per_block) * fs->inode_size;
    return (struct ext2_slot){WG_ERR_OK, block, offset};
}

uint64_t ext2_inode_block_of(const struct ext2_fs *fs, uint32_t ino)
{
    return ext2_inode_slot(fs, ino).block;
}

enum wg_error ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out)
{
    struct ext2_slot s = ext2_inode_slot(fs, ino);
    if (s.err != WG_ERR_OK)
        return s.err;
    struct bcache_result r = bcache_read(&fs->cache, s.block);
    if (r.err != WG_ERR_OK)
        return r.err;
    bool ok = ext2_csum_inode_ok(fs, ino, r.buf->data + s.offset);
    memcpy(out, r.buf->data + s.offset, sizeof *out);
    bcache_release(&fs->cache, r.buf);
    if (!ok)
        return ext2_corrupt(fs, "inode checksum mismatch");
    return WG_ERR_OK;
}

static enum wg_error ext2_inode_store(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in,
                                      bool fresh)
{
    enum wg_error err = ext2_check_writable(fs);
    struct ext2_slot s = ext2_inode_slot(fs, ino);
    if (err == WG_ERR_OK)
        err = s.err;
    if (err != WG_ERR_OK)
        return err;
    struct bcache_result r = bcache_read(&fs->cache, s.block);
    if (r.err != WG_ERR_OK)
        return r.err;
    uint8_t *slot = r.buf->data + s.offset;
    if (fresh) {
        memset(slot, 0, fs->inode_size);
        /* Large inodes carry the fields after the first 128 bytes, as mke2fs makes them. */
        if (fs->inode_size >= EXT2_GOOD_OLD_ISIZE + 32)
            fs_put16(slot + EXT2_INODE_EXTRA_ISIZE, 32);
    }
    memcpy(slot, in, sizeof *in);
    bcache_dirty(r.buf, BCACHE_META, 0);
    bcache_release(&fs->cache, r.buf);
    return WG_ERR_OK;
}

enum wg_error ext2_inode_write(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
    return ext2_inode_store(fs, ino, in, false);
}

enum wg_error ext2_inode_write_new(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
    return ext2_inode_store(fs, ino, in, true);
}

uint64_t ext2_inode_size(const struct ext2_inode *in)
{
    uint64_t hi = ext2_is_dir(in) ? 0 : (uint64_t)in->size_high << 32;
    return in->size_lo | hi;
}

void ext2_inode_set_size(struct ext2_inode *in, uint64_t size)
{
    in->size_lo = (uint32_t)size;
    in->size_high = (uint32_t)(size >> 32);
}

uint64_t ext2_inode_blocks(const struct ext2_inode *in)
{
    return in->blocks_lo | (uint64_t)in->blocks_high << 32;
}

void ext2_inode_add_blocks(struct ext2_fs *fs, struct ext2_inode *in, int64_t fs_blocks)
{
    uint64_t n = ext2_inode_blocks(in) + (uint64_t)(fs_blocks * (fs->block_size / 512));
    in->blocks_lo = (uint32_t)n;
    in->blocks_high = (uint16_t)(n >> 32);
}

uint32_t ext2_inode_file_acl(const struct ext2_inode *in)
{
    return in->file_acl_lo;
}

bool ext2_is_dir(const struct ext2_inode *in)
{
    return (in->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

bool ext2_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode *in)
{
    uint64_t acl = in->file_acl_lo ? fs->block_size / 512 : 0;
    return (in->mode & EXT2_S_IFMT) == EXT2_S_IFLNK && !(in->flags & EXT2_INLINE_DATA_FL) &&
           ext2_inode_size(in) < sizeof in->block && ext2_inode_blocks(in) <= acl;
}

enum wg_error ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *out)
{
    struct ext2_inode in;
    enum wg_error err = ext2_inode_read(fs, ino, &in);
    if (err != WG_ERR_OK)
        return err;
    if (!in.mode || !in.links_count)
        return WG_ERR_NOT_FOUND;
    out->ino = ino;
    out->mode = in.mode;
    out->links = in.links_count;
    out->uid = in.uid | (uint32_t)in.uid_high << 16;
    out->gid = in.gid | (uint32_t)in.gid_high << 16;
    out->size = ext2_inode_size(&in);
    out->blocks = ext2_inode_blocks(&in);
    out->atime = in.atime;
    out->mtime = in.mtime;
    out->ctime = in.ctime;
    return WG_ERR_OK;
}
