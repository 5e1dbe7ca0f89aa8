/* File contents: read, write (allocating blocks on the way), append, truncate, and symbolic
 * link targets. Bytes past the end of a file inside its last block are kept zero, so a file
 * that grows over them reads zeros there. */
#include "ext2_priv.h"

struct ext2_size_result ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t offset, void *buf,
                                  size_t len)
{
    struct ext2_inode in;
    enum wg_error err = ext2_inode_read(fs, ino, &in);
    if (err == WG_ERR_OK && ext2_is_dir(&in))
        err = WG_ERR_IS_DIRECTORY;
    if (err != WG_ERR_OK)
        return (struct ext2_size_result){err, 0};
    uint64_t size = ext2_inode_size(&in);
    if (offset >= size)
        return (struct ext2_size_result){WG_ERR_OK, 0};
    if (len > size - offset)
        len = (size_t)(size - offset);
    size_t done = 0;
    while (done < len) {
        uint64_t pos = offset + done;
        uint32_t off = (uint32_t)(pos % fs->block_size);
        size_t chunk = fs->block_size - off < len - done ? fs->block_size - off : len - done;
        struct ext2_map_result m = ext2_bmap(fs, ino, &in, pos / fs->block_size, false);
        if (m.err != WG_ERR_OK)
            return (struct ext2_size_result){m.err, 0};
        if (!m.block) {
            memset((uint8_t *)buf + done, 0, chunk);
        } else {
            struct bcache_result r = bcache_read(&fs->cache, m.block);
            if (r.err != WG_ERR_OK)
                return (struct ext2_size_result){r.err, 0};
            memcpy((uint8_t *)buf + done, r.buf->data + off, chunk);
            bcache_release(&fs->cache, r.buf);
        }
        done += chunk;
    }
    return (struct ext2_size_result){WG_ERR_OK, done};
}

/* Zeroes the bytes of the block holding `size` from `size` to the block's end. */
static enum wg_error ext2_zero_tail(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                    uint64_t size)
{
    uint32_t off = (uint32_t)(size % fs->block_size);
    if (!off)
        return WG_ERR_OK;
    struct ext2_map_result m = ext2_bmap(fs, ino, in, size / fs->block_size, false);
    if (m.err != WG_ERR_OK || !m.block)
        return m.err;
    struct bcache_result r = bcache_read(&fs->cache, m.block);
    if (r.err != WG_ERR_OK)
        return r.err;
    memset(r.buf->data + off, 0, fs->block_size - off);
    bcache_dirty(r.buf, BCACHE_DATA, ino);
    bcache_release(&fs->cache, r.buf);
    return WG_ERR_OK;
}

/* Checks that `ino` is a regular file this mount may change; reads it into `in`. */
static enum wg_error ext2_writable_file(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
    enum wg_error err = ext2_check_writable(fs);
    if (err == WG_ERR_OK)
        err = ext2_inode_read(fs, ino, in);
    if (err == WG_ERR_OK && ext2_is_dir(in))
        err = WG_ERR_IS_DIRECTORY;
    if (err == WG_ERR_OK && ((in->mode & EXT2_S_IFMT) != EXT2_S_IFREG || !in->links_count))
        err = WG_ERR_INVALID_ARGUMENT;
    return err;
}

/* Copies one block's worth of `src` into logical block `lb` at `off`. */
static enum wg_error ext2_write_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                      uint64_t lb, uint32_t off, const void *src, size_t chunk)
{
    struct ext2_map_result m = ext2_bmap(fs, ino, in, lb, true);
    if (m.err != WG_ERR_OK)
        return m.err;
    bool whole = m.fresh || chunk == fs->block_size;
    struct bcache_result r =
        whole ? bcache_zero(&fs->cache, m.block) : bcache_read(&fs->cache, m.block);
    if (r.err != WG_ERR_OK)
        return r.err;
    memcpy(r.buf->data + off, src, chunk);
    bcache_dirty(r.buf, BCACHE_DATA, ino);
    bcache_release(&fs->cache, r.buf);
    return WG_ERR_OK;
}

/* Sets the size after a change, noting large_file in the superblock when needed. */
static void ext2_set_file_size(struct ext2_fs *fs, struct ext2_inode *in, uint64_t size)
{
    ext2_inode_set_size(in, size);
    if (size > 0x7FFFFFFFull && !(fs->sb.feature_ro_compat & EXT2_RO_COMPAT_LARGE_FILE)) {
        fs->sb.feature_ro_compat |= EXT2_RO_COMPAT_LARGE_FILE;
        fs->meta_dirty = EXT2_META_ALL;
    }
    in->mtime = in->ctime = ext2_now(fs);
}

struct ext2_size_result ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t offset,
                                   const void *buf, size_t len)
{
    struct ext2_inode in;
    enum wg_error err = ext2_writable_file(fs, ino, &in);
    uint64_t max = ext2_max_lblocks(fs) * fs->block_size;
    if (err == WG_ERR_OK && (offset > max || len > max - offset))
        err = WG_ERR_OUT_OF_RANGE;
    uint64_t size = ext2_inode_size(&in);
    if (err == WG_ERR_OK && offset > size)
        err = ext2_zero_tail(fs, ino, &in, size);
    size_t done = 0;
    while (err == WG_ERR_OK && done < len) {
        uint64_t pos = offset + done;
        uint32_t off = (uint32_t)(pos % fs->block_size);
        size_t chunk = fs->block_size - off < len - done ? fs->block_size - off : len - done;
        err = ext2_write_block(fs, ino, &in, pos / fs->block_size, off, (const uint8_t *)buf + done,
                               chunk);
        if (err == WG_ERR_OK)
            done += chunk;
    }
    if (done || err == WG_ERR_NO_SPACE) {
        if (offset + done > size)
            size = offset + done;
        /* A block allocated for a write that then failed lies past the end: give it back. */
        ext2_free_from(fs, ino, &in, (size + fs->block_size - 1) / fs->block_size);
        ext2_set_file_size(fs, &in, size);
        enum wg_error werr = ext2_inode_write(fs, ino, &in);
        if (done && werr == WG_ERR_OK && err == WG_ERR_NO_SPACE)
            err = WG_ERR_OK;
        else if (werr != WG_ERR_OK)
            err = werr;
    }
    return (struct ext2_size_result){err, err == WG_ERR_OK ? done : 0};
}

struct ext2_size_result ext2_append(struct ext2_fs *fs, uint32_t ino, const void *buf, size_t len)
{
    struct ext2_stat st;
    enum wg_error err = ext2_stat(fs, ino, &st);
    if (err != WG_ERR_OK)
        return (struct ext2_size_result){err, 0};
    return ext2_write(fs, ino, st.size, buf, len);
}

enum wg_error ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size)
{
    struct ext2_inode in;
    enum wg_error err = ext2_writable_file(fs, ino, &in);
    if (err == WG_ERR_OK && size > ext2_max_lblocks(fs) * fs->block_size)
        err = WG_ERR_OUT_OF_RANGE;
    if (err != WG_ERR_OK)
        return err;
    uint64_t old = ext2_inode_size(&in);
    err = ext2_zero_tail(fs, ino, &in, size < old ? size : old);
    if (err == WG_ERR_OK && size < old)
        err = ext2_free_from(fs, ino, &in, (size + fs->block_size - 1) / fs->block_size);
    if (err != WG_ERR_OK)
        return err;
    ext2_set_file_size(fs, &in, size);
    return ext2_inode_write(fs, ino, &in);
}

struct ext2_size_result ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t size)
{
    struct ext2_inode in;
    enum wg_error err = ext2_inode_read(fs, ino, &in);
    if (err == WG_ERR_OK && (in.mode & EXT2_S_IFMT) != EXT2_S_IFLNK)
        err = WG_ERR_INVALID_ARGUMENT;
    uint64_t len = ext2_inode_size(&in);
    if (err == WG_ERR_OK && (len >= size || len >= fs->block_size || len >= EXT2_PATH_MAX))
        err = len >= fs->block_size ? ext2_corrupt(fs, "symlink too long") : WG_ERR_OUT_OF_RANGE;
    if (err != WG_ERR_OK)
        return (struct ext2_size_result){err, 0};
    if (ext2_is_fast_symlink(fs, &in)) {
        memcpy(buf, (const uint8_t *)&in + offsetof(struct ext2_inode, block), len);
    } else {
        struct ext2_size_result r = ext2_read(fs, ino, 0, buf, len);
        if (r.err != WG_ERR_OK || r.size != len)
            return (struct ext2_size_result){r.err ? r.err : WG_ERR_BAD_FORMAT, 0};
    }
    buf[len] = '\0';
    return (struct ext2_size_result){WG_ERR_OK, len + 1};
}
