/* Names: creating files, directories and symbolic links, hard links, unlink and rmdir.
 * Every check (names, existence, types, link counts) comes before the first change. */
#include "ext2_priv.h"

enum wg_error ext2_touch_dir(struct ext2_fs *fs, uint32_t dir, int link_delta)
{
    struct ext2_inode in;
    enum wg_error err = ext2_inode_read(fs, dir, &in);
    if (err != WG_ERR_OK)
        return err;
    in.links_count = (uint16_t)(in.links_count + link_delta);
    in.mtime = in.ctime = ext2_now(fs);
    return ext2_inode_write(fs, dir, &in);
}

/* The parent of a new name, checked: writable, the name free. */
static struct ext2_parent_result ext2_new_name(struct ext2_fs *fs, const char *path)
{
    struct ext2_parent_result p = {ext2_check_writable(fs), 0, NULL, 0};
    if (p.err == WG_ERR_OK)
        p = ext2_resolve_parent(fs, path);
    if (p.err != WG_ERR_OK)
        return p;
    struct ext2_find_result f = ext2_dir_find(fs, p.dir, p.name, p.len);
    p.err = f.err == WG_ERR_OK ? WG_ERR_ALREADY_EXISTS
                               : (f.err == WG_ERR_NOT_FOUND ? WG_ERR_OK : f.err);
    return p;
}

/* Fills the contents of a new inode: '.'/'..' for a directory, the target of a symlink. */
static enum wg_error ext2_fill_new(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                   uint32_t parent, const char *target, size_t tlen)
{
    if (ext2_is_dir(in))
        return ext2_dir_init(fs, ino, in, parent);
    if (!target)
        return WG_ERR_OK;
    ext2_inode_set_size(in, tlen);
    if (tlen < sizeof in->block) {
        memcpy((uint8_t *)in + offsetof(struct ext2_inode, block), target, tlen);
        return WG_ERR_OK;
    }
    struct ext2_map_result m = ext2_bmap(fs, ino, in, 0, true);
    struct bcache_result r = {m.err, NULL};
    if (m.err == WG_ERR_OK)
        r = bcache_zero(&fs->cache, m.block);
    if (r.err != WG_ERR_OK) {
        ext2_free_from(fs, ino, in, 0);
        return r.err;
    }
    memcpy(r.buf->data, target, tlen);
    bcache_dirty(r.buf, BCACHE_DATA, ino);
    bcache_release(&fs->cache, r.buf);
    return WG_ERR_OK;
}

static struct ext2_ino_result ext2_make(struct ext2_fs *fs, const char *path, uint16_t mode,
                                        const char *target, size_t tlen)
{
    bool dir = (mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
    struct ext2_parent_result p = ext2_new_name(fs, path);
    struct ext2_inode in;
    if (p.err == WG_ERR_OK && dir && (p.err = ext2_inode_read(fs, p.dir, &in)) == WG_ERR_OK &&
        in.links_count >= EXT2_LINK_MAX)
        p.err = WG_ERR_OUT_OF_RANGE;
    struct ext2_ino_result n = {p.err, 0};
    if (n.err == WG_ERR_OK)
        n = ext2_ialloc(fs, p.dir, dir);
    if (n.err != WG_ERR_OK)
        return n;
    memset(&in, 0, sizeof in);
    in.mode = mode;
    in.links_count = dir ? 2 : 1;
    in.atime = in.ctime = in.mtime = ext2_now(fs);
    enum wg_error err = ext2_fill_new(fs, n.ino, &in, p.dir, target, tlen);
    if (err == WG_ERR_OK)
        err = ext2_inode_write_new(fs, n.ino, &in);
    if (err == WG_ERR_OK)
        err = ext2_dir_add(fs, p.dir, p.name, p.len, n.ino, ext2_ftype_of_mode(mode));
    if (err == WG_ERR_OK && dir)
        err = ext2_touch_dir(fs, p.dir, 1);
    if (err != WG_ERR_OK) {
        ext2_inode_write_new(fs, n.ino, &in);
        ext2_inode_release(fs, n.ino, &in);
        return (struct ext2_ino_result){err, 0};
    }
    return n;
}

struct ext2_ino_result ext2_create(struct ext2_fs *fs, const char *path, uint16_t mode)
{
    return ext2_make(fs, path, EXT2_S_IFREG | (mode & 07777), NULL, 0);
}

struct ext2_ino_result ext2_mkdir(struct ext2_fs *fs, const char *path, uint16_t mode)
{
    return ext2_make(fs, path, EXT2_S_IFDIR | (mode & 07777), NULL, 0);
}

struct ext2_ino_result ext2_symlink(struct ext2_fs *fs, const char *target, const char *path)
{
    size_t len = strnlen(target, EXT2_PATH_MAX);
    if (!len)
        return (struct ext2_ino_result){WG_ERR_INVALID_ARGUMENT, 0};
    if (len >= EXT2_PATH_MAX || len >= fs->block_size)
        return (struct ext2_ino_result){WG_ERR_NAME_TOO_LONG, 0};
    return ext2_make(fs, path, EXT2_S_IFLNK | 0777, target, len);
}

enum wg_error ext2_link(struct ext2_fs *fs, const char *existing, const char *path)
{
    struct ext2_ino_result old = ext2_lookup(fs, existing);
    struct ext2_inode in;
    enum wg_error err = old.err;
    if (err == WG_ERR_OK)
        err = ext2_inode_read(fs, old.ino, &in);
    if (err == WG_ERR_OK && ext2_is_dir(&in))
        err = WG_ERR_IS_DIRECTORY;
    if (err == WG_ERR_OK && in.links_count >= EXT2_LINK_MAX)
        err = WG_ERR_OUT_OF_RANGE;
    struct ext2_parent_result p = {err, 0, NULL, 0};
    if (err == WG_ERR_OK)
        p = ext2_new_name(fs, path);
    if (p.err != WG_ERR_OK)
        return p.err;
    err = ext2_dir_add(fs, p.dir, p.name, p.len, old.ino, ext2_ftype_of_mode(in.mode));
    if (err != WG_ERR_OK)
        return err;
    in.links_count++;
    in.ctime = ext2_now(fs);
    return ext2_inode_write(fs, old.ino, &in);
}

/* Drops one link of `ino` (already out of its directory); frees it with the last one. */
enum wg_error ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
    in->links_count = in->links_count ? (uint16_t)(in->links_count - 1) : 0;
    in->ctime = ext2_now(fs);
    if (ext2_is_dir(in) && in->links_count < 2)
        in->links_count = 0; /* a directory's own '.' goes with its name */
    if (!in->links_count)
        return ext2_inode_release(fs, ino, in);
    return ext2_inode_write(fs, ino, in);
}

/* The existing entry for `path`, its inode and its parent, for removal. */
struct ext2_victim {
    enum wg_error err;
    struct ext2_parent_result parent;
    struct ext2_find_result entry;
    struct ext2_inode in;
};

static void ext2_find_victim(struct ext2_fs *fs, const char *path, struct ext2_victim *v)
{
    v->err = ext2_check_writable(fs);
    if (v->err == WG_ERR_OK)
        v->parent = ext2_resolve_parent(fs, path);
    if (v->err == WG_ERR_OK)
        v->err = v->parent.err;
    if (v->err == WG_ERR_OK)
        v->entry = ext2_dir_find(fs, v->parent.dir, v->parent.name, v->parent.len);
    if (v->err == WG_ERR_OK)
        v->err = v->entry.err;
    if (v->err == WG_ERR_OK)
        v->err = ext2_inode_read(fs, v->entry.ino, &v->in);
    if (v->err == WG_ERR_OK && !v->in.links_count)
        v->err = ext2_corrupt(fs, "directory entry names a free inode");
}

enum wg_error ext2_unlink(struct ext2_fs *fs, const char *path)
{
    struct ext2_victim v;
    ext2_find_victim(fs, path, &v);
    if (v.err == WG_ERR_OK && ext2_is_dir(&v.in))
        v.err = WG_ERR_IS_DIRECTORY;
    if (v.err == WG_ERR_OK)
        v.err = ext2_dir_remove(fs, v.parent.dir, &v.entry.pos);
    return v.err == WG_ERR_OK ? ext2_drop_link(fs, v.entry.ino, &v.in) : v.err;
}

enum wg_error ext2_rmdir(struct ext2_fs *fs, const char *path)
{
    struct ext2_victim v;
    ext2_find_victim(fs, path, &v);
    if (v.err == WG_ERR_OK && !ext2_is_dir(&v.in))
        v.err = WG_ERR_NOT_DIRECTORY;
    if (v.err == WG_ERR_OK)
        v.err = ext2_dir_check_empty(fs, v.entry.ino);
    if (v.err == WG_ERR_OK)
        v.err = ext2_dir_remove(fs, v.parent.dir, &v.entry.pos);
    if (v.err == WG_ERR_OK)
        v.err = ext2_drop_link(fs, v.entry.ino, &v.in);
    return v.err == WG_ERR_OK ? ext2_touch_dir(fs, v.parent.dir, -1) : v.err;
}
