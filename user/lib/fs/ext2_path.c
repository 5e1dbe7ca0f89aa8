/* Path resolution: components looked up one by one from the root, symbolic links followed
 * with a bounded depth (so a loop of links ends with an error, never a hang). */
#include "ext2_priv.h"

struct ext2_walker {
    struct ext2_fs *fs;
    uint32_t links_left;
};

static struct ext2_ino_result ext2_resolve(struct ext2_walker *w, uint32_t dir, const char *path,
                                           size_t len, bool follow_last);

/* Resolves the target of symlink `ino` seen in directory `dir`. */
static struct ext2_ino_result ext2_follow(struct ext2_walker *w, uint32_t dir, uint32_t ino)
{
    if (!w->links_left--)
        return (struct ext2_ino_result){WG_ERR_OUT_OF_RANGE, 0}; /* too many links */
    char *target = malloc(EXT2_PATH_MAX);
    if (!target)
        return (struct ext2_ino_result){WG_ERR_NO_MEMORY, 0};
    struct ext2_size_result n = ext2_readlink(w->fs, ino, target, EXT2_PATH_MAX);
    struct ext2_ino_result r = {n.err, 0};
    if (n.err == WG_ERR_OK)
        r = ext2_resolve(w, target[0] == '/' ? EXT2_ROOT_INO : dir, target, n.size - 1, true);
    free(target);
    return r;
}

/* One component `name` in `dir`; follows it if it is a symlink and `follow`. */
static struct ext2_ino_result ext2_step(struct ext2_walker *w, uint32_t dir, const char *name,
                                        size_t len, bool follow)
{
    if (len > EXT2_NAME_MAX)
        return (struct ext2_ino_result){WG_ERR_NAME_TOO_LONG, 0};
    struct ext2_find_result f = ext2_dir_find(w->fs, dir, name, len);
    if (f.err != WG_ERR_OK || !follow)
        return (struct ext2_ino_result){f.err, f.ino};
    bool maybe_link =
        f.type == EXT2_FT_SYMLINK || !(w->fs->sb.feature_incompat & EXT2_INCOMPAT_FILETYPE);
    struct ext2_inode in;
    if (maybe_link) {
        enum wg_error err = ext2_inode_read(w->fs, f.ino, &in);
        if (err != WG_ERR_OK)
            return (struct ext2_ino_result){err, 0};
        if ((in.mode & EXT2_S_IFMT) == EXT2_S_IFLNK)
            return ext2_follow(w, dir, f.ino);
    }
    return (struct ext2_ino_result){WG_ERR_OK, f.ino};
}

static struct ext2_ino_result ext2_resolve(struct ext2_walker *w, uint32_t dir, const char *path,
                                           size_t len, bool follow_last)
{
    struct ext2_ino_result cur = {WG_ERR_OK, dir};
    size_t i = 0;
    while (cur.err == WG_ERR_OK) {
        while (i < len && path[i] == '/')
            i++;
        if (i >= len)
            break;
        size_t start = i;
        while (i < len && path[i] != '/')
            i++;
        size_t next = i;
        while (next < len && path[next] == '/')
            next++;
        bool last = next >= len;
        cur = ext2_step(w, cur.ino, path + start, i - start, !last || follow_last);
    }
    return cur;
}

static struct ext2_ino_result ext2_lookup_path(struct ext2_fs *fs, const char *path, bool follow)
{
    size_t len = strnlen(path, EXT2_PATH_MAX + 1);
    if (len > EXT2_PATH_MAX)
        return (struct ext2_ino_result){WG_ERR_NAME_TOO_LONG, 0};
    struct ext2_walker w = {fs, EXT2_SYMLINK_DEPTH};
    return ext2_resolve(&w, EXT2_ROOT_INO, path, len, follow);
}

struct ext2_ino_result ext2_lookup(struct ext2_fs *fs, const char *path)
{
    return ext2_lookup_path(fs, path, false);
}

struct ext2_ino_result ext2_lookup_follow(struct ext2_fs *fs, const char *path)
{
    return ext2_lookup_path(fs, path, true);
}

struct ext2_ino_result ext2_lookup_at(struct ext2_fs *fs, uint32_t dir, const char *name)
{
    size_t len = strnlen(name, EXT2_NAME_MAX + 1);
    if (len > EXT2_NAME_MAX)
        return (struct ext2_ino_result){WG_ERR_NAME_TOO_LONG, 0};
    if (!len || strchr(name, '/'))
        return (struct ext2_ino_result){WG_ERR_INVALID_ARGUMENT, 0};
    struct ext2_find_result f = ext2_dir_find(fs, dir, name, len);
    return (struct ext2_ino_result){f.err, f.ino};
}

struct ext2_parent_result ext2_resolve_parent(struct ext2_fs *fs, const char *path)
{
    struct ext2_parent_result out = {WG_ERR_INVALID_ARGUMENT, 0, NULL, 0};
    size_t len = strnlen(path, EXT2_PATH_MAX + 1);
    if (len > EXT2_PATH_MAX)
        return (struct ext2_parent_result){WG_ERR_NAME_TOO_LONG, 0, NULL, 0};
    while (len && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start && path[start - 1] != '/')
        start--;
    out.name = path + start;
    out.len = len - start;
    bool dots = (out.len == 1 && out.name[0] == '.') ||
                (out.len == 2 && out.name[0] == '.' && out.name[1] == '.');
    if (!out.len || dots)
        return out;
    if (out.len > EXT2_NAME_MAX) {
        out.err = WG_ERR_NAME_TOO_LONG;
        return out;
    }
    struct ext2_walker w = {fs, EXT2_SYMLINK_DEPTH};
    struct ext2_ino_result dir = ext2_resolve(&w, EXT2_ROOT_INO, path, start, true);
    out.err = dir.err;
    out.dir = dir.ino;
    return out;
}
