/* Changing directories: adding an entry (in the slack of an entry or a new block), removing
 * one (merged into the entry before it), pointing one elsewhere, making '.' and '..'. A change
 * clears the htree flag: the index is not maintained, and linear directories are always valid. */
#include "ext2_priv.h"

/* The cached block holding logical block `lblock` of directory `dir`. */
static struct bcache_result ext2_dir_block(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *in,
                                           uint64_t lblock)
{
    struct ext2_map_result m = ext2_bmap(fs, dir, in, lblock, false);
    if (m.err == WG_ERR_OK && !m.block)
        m.err = ext2_corrupt(fs, "hole in a directory");
    if (m.err != WG_ERR_OK)
        return (struct bcache_result){m.err, NULL};
    return bcache_read(&fs->cache, m.block);
}

static void ext2_dirent_put(uint8_t *at, uint32_t ino, uint16_t rec_len, const char *name,
                            size_t len, uint8_t type)
{
    struct ext2_dirent_head h = {ino, rec_len, (uint8_t)len, type};
    memcpy(at, &h, sizeof h);
    memcpy(at + EXT2_DIRENT_HEAD, name, len);
}

/* Writes the directory's inode back with new times and without the htree flag. */
static enum wg_error ext2_dir_changed(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *in)
{
    in->mtime = in->ctime = ext2_now(fs);
    in->flags &= ~(uint32_t)EXT2_INDEX_FL;
    return ext2_inode_write(fs, dir, in);
}

struct ext2_space_arg {
    uint32_t need;
    struct ext2_dir_pos pos;
};

static bool ext2_space_visit(void *arg, uint8_t *data, const struct ext2_dir_pos *pos)
{
    struct ext2_space_arg *a = arg;
    struct ext2_dirent_head h;
    memcpy(&h, data + pos->offset, sizeof h);
    uint32_t used = h.inode ? EXT2_DIRENT_LEN(h.name_len) : 0;
    if (h.rec_len < used + a->need)
        return false;
    a->pos = *pos;
    return true;
}

/* Puts the entry into a new block at the end of the directory. */
static enum wg_error ext2_dir_append(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *in,
                                     const char *name, size_t len, uint32_t ino, uint8_t type)
{
    uint64_t lblock = ext2_inode_size(in) / fs->block_size;
    struct ext2_map_result m = ext2_bmap(fs, dir, in, lblock, true);
    struct bcache_result r = {m.err, NULL};
    if (m.err == WG_ERR_OK)
        r = bcache_zero(&fs->cache, m.block);
    if (r.err != WG_ERR_OK) {
        ext2_free_from(fs, dir, in, lblock); /* gives back what the map took */
        ext2_inode_write(fs, dir, in);
        return r.err;
    }
    ext2_dirent_put(r.buf->data, ino, (uint16_t)fs->block_size, name, len, type);
    bcache_dirty(r.buf, BCACHE_META, dir);
    bcache_release(&fs->cache, r.buf);
    ext2_inode_set_size(in, (lblock + 1) * fs->block_size);
    return WG_ERR_OK;
}

enum wg_error ext2_dir_add(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
                           uint32_t ino, uint8_t type)
{
    if (!(fs->sb.feature_incompat & EXT2_INCOMPAT_FILETYPE))
        type = 0;
    struct ext2_space_arg arg = {EXT2_DIRENT_LEN(len), {0, 0, 0}};
    bool found;
    enum wg_error err = ext2_dir_walk(fs, dir, 0, ext2_space_visit, &arg, &found);
    struct ext2_inode in;
    if (err == WG_ERR_OK)
        err = ext2_inode_read(fs, dir, &in);
    if (err != WG_ERR_OK)
        return err;
    if (!found) {
        err = ext2_dir_append(fs, dir, &in, name, len, ino, type);
        return err == WG_ERR_OK ? ext2_dir_changed(fs, dir, &in) : err;
    }
    struct bcache_result r = ext2_dir_block(fs, dir, &in, arg.pos.lblock);
    if (r.err != WG_ERR_OK)
        return r.err;
    uint8_t *at = r.buf->data + arg.pos.offset;
    struct ext2_dirent_head h;
    memcpy(&h, at, sizeof h);
    uint16_t used = h.inode ? (uint16_t)EXT2_DIRENT_LEN(h.name_len) : 0;
    if (used) {
        fs_put16(at + 4, used);
        at += used;
    }
    ext2_dirent_put(at, ino, (uint16_t)(h.rec_len - used), name, len, type);
    bcache_dirty(r.buf, BCACHE_META, dir);
    bcache_release(&fs->cache, r.buf);
    return ext2_dir_changed(fs, dir, &in);
}

/* Applies `edit` to the block of the entry at `pos`, then marks the directory changed. */
typedef void (*ext2_dir_editor)(struct ext2_fs *fs, uint8_t *data, const struct ext2_dir_pos *pos,
                                uint32_t ino, uint8_t type);
static enum wg_error ext2_dir_edit(struct ext2_fs *fs, uint32_t dir, const struct ext2_dir_pos *pos,
                                   ext2_dir_editor edit, uint32_t ino, uint8_t type)
{
    struct ext2_inode in;
    enum wg_error err = ext2_inode_read(fs, dir, &in);
    if (err != WG_ERR_OK)
        return err;
    struct bcache_result r = ext2_dir_block(fs, dir, &in, pos->lblock);
    if (r.err != WG_ERR_OK)
        return r.err;
    edit(fs, r.buf->data, pos, ino, type);
    bcache_dirty(r.buf, BCACHE_META, dir);
    bcache_release(&fs->cache, r.buf);
    return ext2_dir_changed(fs, dir, &in);
}

/* Merges the entry into the one before it, or empties it when it is first in its block. */
static void ext2_unlink_entry(struct ext2_fs *fs, uint8_t *data, const struct ext2_dir_pos *pos,
                              uint32_t ino, uint8_t type)
{
    (void)fs, (void)ino, (void)type;
    if (pos->prev != pos->offset)
        fs_put16(data + pos->prev + 4,
                 (uint16_t)(fs_le16(data + pos->prev + 4) + fs_le16(data + pos->offset + 4)));
    else
        fs_put32(data + pos->offset, 0);
}

static void ext2_retarget_entry(struct ext2_fs *fs, uint8_t *data, const struct ext2_dir_pos *pos,
                                uint32_t ino, uint8_t type)
{
    fs_put32(data + pos->offset, ino);
    if (fs->sb.feature_incompat & EXT2_INCOMPAT_FILETYPE)
        data[pos->offset + 7] = type;
}

enum wg_error ext2_dir_remove(struct ext2_fs *fs, uint32_t dir, const struct ext2_dir_pos *pos)
{
    return ext2_dir_edit(fs, dir, pos, ext2_unlink_entry, 0, 0);
}

enum wg_error ext2_dir_retarget(struct ext2_fs *fs, uint32_t dir, const struct ext2_dir_pos *pos,
                                uint32_t ino, uint8_t type)
{
    return ext2_dir_edit(fs, dir, pos, ext2_retarget_entry, ino, type);
}

enum wg_error ext2_dir_init(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *in,
                            uint32_t parent)
{
    struct ext2_map_result m = ext2_bmap(fs, dir, in, 0, true);
    if (m.err != WG_ERR_OK)
        return m.err;
    struct bcache_result r = bcache_zero(&fs->cache, m.block);
    if (r.err != WG_ERR_OK) {
        ext2_free_from(fs, dir, in, 0);
        return r.err;
    }
    uint8_t type = (fs->sb.feature_incompat & EXT2_INCOMPAT_FILETYPE) ? EXT2_FT_DIR : 0;
    ext2_dirent_put(r.buf->data, dir, 12, ".", 1, type);
    ext2_dirent_put(r.buf->data + 12, parent, (uint16_t)(fs->block_size - 12), "..", 2, type);
    bcache_dirty(r.buf, BCACHE_META, dir);
    bcache_release(&fs->cache, r.buf);
    ext2_inode_set_size(in, fs->block_size);
    return WG_ERR_OK;
}
