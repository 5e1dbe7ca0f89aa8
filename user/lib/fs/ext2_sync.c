/* Flushing: the in-memory superblock and group descriptors go to their primary places and to
 * every backup group (s_block_group_nr set in each copy), then the cache writes all dirty
 * blocks in its safe order and flushes the device. */
#include "ext2_priv.h"

/* Copies len bytes at byte offset `at` of the file system into the cache. */
static enum wg_error ext2_put_bytes(struct ext2_fs *fs, uint64_t at, const void *src, size_t len)
{
    while (len) {
        uint64_t block = at / fs->block_size;
        uint32_t off = (uint32_t)(at % fs->block_size);
        size_t chunk = fs->block_size - off < len ? fs->block_size - off : len;
        struct bcache_result r = bcache_read(&fs->cache, block);
        if (r.err != WG_ERR_OK)
            return r.err;
        memcpy(r.buf->data + off, src, chunk);
        bcache_dirty(r.buf, BCACHE_SUPER, 0);
        bcache_release(&fs->cache, r.buf);
        at += chunk;
        src = (const uint8_t *)src + chunk;
        len -= chunk;
    }
    return WG_ERR_OK;
}

/* The superblock and descriptor copies of group g (g == 0: the primary ones). */
static enum wg_error ext2_write_group_copy(struct ext2_fs *fs, uint32_t g)
{
    uint64_t first = ext2_group_first_block(fs, g);
    uint64_t sb_at = g ? first * fs->block_size : EXT2_SUPER_OFFSET;
    struct ext2_super copy = fs->sb;
    copy.block_group_nr = (uint16_t)g;
    enum wg_error err = ext2_put_bytes(fs, sb_at, &copy, sizeof copy);
    if (err == WG_ERR_OK)
        err = ext2_put_bytes(fs, (first + 1) * fs->block_size, fs->gdt,
                             (size_t)fs->ngroups * fs->desc_size);
    return err;
}

enum wg_error ext2_write_all(struct ext2_fs *fs)
{
    if (fs->meta_dirty) {
        fs->sb.wtime = ext2_now(fs);
        for (uint32_t g = 0; g < fs->ngroups; g++) {
            if (!ext2_group_has_super(fs, g))
                continue;
            enum wg_error err = ext2_write_group_copy(fs, g);
            if (err != WG_ERR_OK)
                return err;
        }
        fs->meta_dirty = 0;
    }
    return bcache_sync(&fs->cache);
}

enum wg_error ext2_sync(struct ext2_fs *fs)
{
    if (!fs->mounted_rw)
        return WG_ERR_OK;
    return ext2_write_all(fs);
}

/* The primary superblock and descriptors into the cache if they changed since last time;
 * the backup copies wait for ext2_sync. */
static enum wg_error ext2_put_primary(struct ext2_fs *fs)
{
    if (!(fs->meta_dirty & EXT2_META_PRIMARY))
        return WG_ERR_OK;
    enum wg_error err = ext2_write_group_copy(fs, 0);
    if (err == WG_ERR_OK)
        fs->meta_dirty &= (uint8_t)~EXT2_META_PRIMARY;
    return err;
}

enum wg_error ext2_commit(struct ext2_fs *fs)
{
    if (!fs->mounted_rw)
        return WG_ERR_OK;
    enum wg_error err = ext2_put_primary(fs);
    return err == WG_ERR_OK ? bcache_sync(&fs->cache) : err;
}

enum wg_error ext2_fsync(struct ext2_fs *fs, uint32_t ino)
{
    if (!fs->mounted_rw)
        return WG_ERR_OK;
    if (ino < 1 || ino > fs->sb.inodes_count)
        return WG_ERR_NOT_FOUND;
    enum wg_error err = ext2_put_primary(fs);
    if (err != WG_ERR_OK)
        return err;
    return bcache_sync_owner(&fs->cache, ino, ext2_inode_block_of(fs, ino));
}
