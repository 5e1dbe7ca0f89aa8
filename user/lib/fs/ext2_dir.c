/* Reading directories: a bounded walk over every entry of every block, each entry checked
 * before use; lookups and readdir on top. htree (indexed) directories are read linearly: their
 * index blocks look like blocks holding one empty entry. */
#include "ext2_priv.h"

uint8_t ext2_ftype_of_mode(uint16_t mode)
{
    switch (mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:
        return EXT2_FT_REG;
    case EXT2_S_IFDIR:
        return EXT2_FT_DIR;
    case EXT2_S_IFCHR:
        return EXT2_FT_CHR;
    case EXT2_S_IFBLK:
        return EXT2_FT_BLK;
    case EXT2_S_IFIFO:
        return EXT2_FT_FIFO;
    case EXT2_S_IFSOCK:
        return EXT2_FT_SOCK;
    case EXT2_S_IFLNK:
        return EXT2_FT_SYMLINK;
    default:
        return EXT2_FT_UNKNOWN;
    }
}

/* Is the entry at `off` well-formed within the block? */
static bool ext2_dirent_ok(const struct ext2_fs *fs, const uint8_t *data, uint32_t off)
{
    if (off + EXT2_DIRENT_HEAD > fs->block_size)
        return false;
    struct ext2_dirent_head h;
    memcpy(&h, data + off, sizeof h);
    return h.rec_len >= EXT2_DIRENT_HEAD && h.rec_len % 4 == 0 &&
           off + h.rec_len <= fs->block_size && EXT2_DIRENT_HEAD + h.name_len <= h.rec_len &&
           h.inode <= fs->sb.inodes_count;
}

/* Visits the entries of one block from byte `from`. */
static enum wg_error ext2_walk_block(struct ext2_fs *fs, uint8_t *data, uint64_t lblock,
                                     uint32_t from, ext2_dir_visit visit, void *arg, bool *stopped)
{
    struct ext2_dir_pos pos = {lblock, 0, 0};
    while (pos.offset < fs->block_size) {
        if (!ext2_dirent_ok(fs, data, pos.offset))
            return ext2_corrupt(fs, "malformed directory entry");
        if (pos.offset >= from && visit(arg, data, &pos)) {
            *stopped = true;
            return WG_ERR_OK;
        }
        pos.prev = pos.offset;
        pos.offset += fs_le16(data + pos.offset + 4);
    }
    return WG_ERR_OK;
}

enum wg_error ext2_dir_walk(struct ext2_fs *fs, uint32_t dir, uint64_t start, ext2_dir_visit visit,
                            void *arg, bool *stopped)
{
    struct ext2_inode in;
    enum wg_error err = ext2_inode_read(fs, dir, &in);
    *stopped = false;
    if (err != WG_ERR_OK)
        return err;
    if (!ext2_is_dir(&in) || !in.links_count)
        return WG_ERR_NOT_DIRECTORY;
    uint64_t nblocks = ext2_inode_size(&in) / fs->block_size;
    /* A directory cannot hold more blocks than the file system has (a hostile one might map
     * one block many times: this bounds the walk by the size of the disk). */
    if (nblocks > fs->blocks_count || ext2_inode_size(&in) % fs->block_size)
        return ext2_corrupt(fs, "bad directory size");
    for (uint64_t lb = start / fs->block_size; lb < nblocks && !*stopped; lb++) {
        struct ext2_map_result m = ext2_bmap(fs, dir, &in, lb, false);
        if (m.err == WG_ERR_OK && !m.block)
            m.err = ext2_corrupt(fs, "hole in a directory");
        if (m.err != WG_ERR_OK)
            return m.err;
        struct bcache_result r = bcache_read(&fs->cache, m.block);
        if (r.err != WG_ERR_OK)
            return r.err;
        if (ext2_csum_dirblock_ok(fs, dir, in.generation, r.buf->data)) {
            uint32_t from = lb == start / fs->block_size ? (uint32_t)(start % fs->block_size) : 0;
            err = ext2_walk_block(fs, r.buf->data, lb, from, visit, arg, stopped);
        } else {
            err = ext2_corrupt(fs, "directory block checksum mismatch");
        }
        bcache_release(&fs->cache, r.buf);
        if (err != WG_ERR_OK)
            return err;
    }
    return WG_ERR_OK;
}

struct ext2_find_arg {
    const char *name;
    size_t len;
    struct ext2_find_result *out;
};

static bool ext2_find_visit(void *arg, uint8_t *data, const struct ext2_dir_pos *pos)
{
    struct ext2_find_arg *a = arg;
    struct ext2_dirent_head h;
    memcpy(&h, data + pos->offset, sizeof h);
    if (!h.inode || h.name_len != a->len ||
        memcmp(data + pos->offset + EXT2_DIRENT_HEAD, a->name, a->len))
        return false;
    *a->out = (struct ext2_find_result){WG_ERR_OK, h.inode, h.file_type, *pos};
    return true;
}

struct ext2_find_result ext2_dir_find(struct ext2_fs *fs, uint32_t dir, const char *name,
                                      size_t len)
{
    struct ext2_find_result out = {WG_ERR_NOT_FOUND, 0, 0, {0, 0, 0}};
    struct ext2_find_arg arg = {name, len, &out};
    bool stopped;
    enum wg_error err = ext2_dir_walk(fs, dir, 0, ext2_find_visit, &arg, &stopped);
    if (err != WG_ERR_OK)
        out.err = err;
    if (out.err == WG_ERR_OK && out.ino < 1)
        out.err = ext2_corrupt(fs, "directory entry with a bad inode");
    return out;
}

static bool ext2_nonempty_visit(void *arg, uint8_t *data, const struct ext2_dir_pos *pos)
{
    (void)arg;
    struct ext2_dirent_head h;
    memcpy(&h, data + pos->offset, sizeof h);
    const char *name = (const char *)data + pos->offset + EXT2_DIRENT_HEAD;
    bool dot = (h.name_len == 1 && name[0] == '.') ||
               (h.name_len == 2 && name[0] == '.' && name[1] == '.');
    return h.inode && !dot;
}

enum wg_error ext2_dir_check_empty(struct ext2_fs *fs, uint32_t dir)
{
    bool stopped;
    enum wg_error err = ext2_dir_walk(fs, dir, 0, ext2_nonempty_visit, NULL, &stopped);
    return err != WG_ERR_OK ? err : stopped ? WG_ERR_NOT_EMPTY : WG_ERR_OK;
}

struct ext2_readdir_arg {
    struct ext2_dirent *out;
    uint64_t next;
    uint32_t block_size;
};

static bool ext2_readdir_visit(void *arg, uint8_t *data, const struct ext2_dir_pos *pos)
{
    struct ext2_readdir_arg *a = arg;
    struct ext2_dirent_head h;
    memcpy(&h, data + pos->offset, sizeof h);
    if (!h.inode)
        return false;
    a->out->ino = h.inode;
    a->out->type = h.file_type;
    a->out->name_len = h.name_len;
    memcpy(a->out->name, data + pos->offset + EXT2_DIRENT_HEAD, h.name_len);
    a->out->name[h.name_len] = '\0';
    a->next = pos->lblock * a->block_size + pos->offset + h.rec_len;
    return true;
}

enum wg_error ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos, struct ext2_dirent *out)
{
    struct ext2_readdir_arg arg = {out, 0, fs->block_size};
    bool stopped;
    enum wg_error err = ext2_dir_walk(fs, dir, *pos, ext2_readdir_visit, &arg, &stopped);
    if (err != WG_ERR_OK)
        return err;
    if (!stopped)
        return WG_ERR_NOT_FOUND;
    *pos = arg.next;
    if (!(fs->sb.feature_incompat & EXT2_INCOMPAT_FILETYPE)) {
        struct ext2_inode in;
        err = ext2_inode_read(fs, out->ino, &in);
        out->type = err == WG_ERR_OK ? ext2_ftype_of_mode(in.mode) : EXT2_FT_UNKNOWN;
    }
    return WG_ERR_OK;
}
