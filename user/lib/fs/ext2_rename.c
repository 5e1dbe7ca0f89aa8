/* rename: across directories, over an existing target, moving directories (their '..' and
 * both parents' link counts follow). All checks come first; then the new name is made before
 * the old one goes, so a failure (no space for the entry) changes nothing. */
#include "ext2_priv.h"

#define EXT2_MAX_DEPTH 65536u /* '..' steps before a walk up is declared a loop */

struct ext2_rename_plan {
    struct ext2_parent_result sp, dp;
    struct ext2_find_result src, dst;
    struct ext2_inode src_in, dst_in;
    bool src_dir, replace;
};

/* INVALID_ARGUMENT if `dir` is `moved` or below it. */
static enum wg_error ext2_check_not_below(struct ext2_fs *fs, uint32_t dir, uint32_t moved)
{
    for (uint32_t steps = 0; steps < EXT2_MAX_DEPTH; steps++) {
        if (dir == moved)
            return WG_ERR_INVALID_ARGUMENT;
        if (dir == EXT2_ROOT_INO)
            return WG_ERR_OK;
        struct ext2_find_result up = ext2_dir_find(fs, dir, "..", 2);
        if (up.err != WG_ERR_OK)
            return up.err;
        dir = up.ino;
    }
    return ext2_corrupt(fs, "loop in the directory tree");
}

static enum wg_error ext2_plan_target(struct ext2_fs *fs, struct ext2_rename_plan *p)
{
    p->dst = ext2_dir_find(fs, p->dp.dir, p->dp.name, p->dp.len);
    p->replace = p->dst.err == WG_ERR_OK;
    if (p->dst.err != WG_ERR_OK)
        return p->dst.err == WG_ERR_NOT_FOUND ? WG_ERR_OK : p->dst.err;
    enum wg_error err = ext2_inode_read(fs, p->dst.ino, &p->dst_in);
    if (err != WG_ERR_OK || p->dst.ino == p->src.ino)
        return err;
    if (p->src_dir && !ext2_is_dir(&p->dst_in))
        return WG_ERR_NOT_DIRECTORY;
    if (!p->src_dir && ext2_is_dir(&p->dst_in))
        return WG_ERR_IS_DIRECTORY;
    return p->src_dir ? ext2_dir_check_empty(fs, p->dst.ino) : WG_ERR_OK;
}

static enum wg_error ext2_plan(struct ext2_fs *fs, const char *from, const char *to,
                               struct ext2_rename_plan *p)
{
    enum wg_error err = ext2_check_writable(fs);
    if (err == WG_ERR_OK && (p->sp = ext2_resolve_parent(fs, from)).err != WG_ERR_OK)
        err = p->sp.err;
    if (err == WG_ERR_OK && (p->dp = ext2_resolve_parent(fs, to)).err != WG_ERR_OK)
        err = p->dp.err;
    if (err == WG_ERR_OK && (p->src = ext2_dir_find(fs, p->sp.dir, p->sp.name, p->sp.len)).err)
        err = p->src.err;
    if (err == WG_ERR_OK)
        err = ext2_inode_read(fs, p->src.ino, &p->src_in);
    p->src_dir = err == WG_ERR_OK && ext2_is_dir(&p->src_in);
    if (err == WG_ERR_OK)
        err = ext2_plan_target(fs, p);
    if (err == WG_ERR_OK && p->src_dir && p->sp.dir != p->dp.dir)
        err = ext2_check_not_below(fs, p->dp.dir, p->src.ino);
    struct ext2_inode parent;
    if (err == WG_ERR_OK && p->src_dir && !p->replace &&
        (err = ext2_inode_read(fs, p->dp.dir, &parent)) == WG_ERR_OK &&
        parent.links_count >= EXT2_LINK_MAX)
        err = WG_ERR_OUT_OF_RANGE;
    return err;
}

/* Points the moved directory's '..' at its new parent and moves the parent link. */
static enum wg_error ext2_move_dotdot(struct ext2_fs *fs, const struct ext2_rename_plan *p)
{
    struct ext2_find_result dd = ext2_dir_find(fs, p->src.ino, "..", 2);
    enum wg_error err = dd.err;
    if (err == WG_ERR_OK)
        err = ext2_dir_retarget(fs, p->src.ino, &dd.pos, p->dp.dir, EXT2_FT_DIR);
    if (err == WG_ERR_OK)
        err = ext2_touch_dir(fs, p->sp.dir, -1);
    if (err == WG_ERR_OK)
        err = ext2_touch_dir(fs, p->dp.dir, 1);
    return err;
}

enum wg_error ext2_rename(struct ext2_fs *fs, const char *from, const char *to)
{
    struct ext2_rename_plan p;
    memset(&p, 0, sizeof p);
    enum wg_error err = ext2_plan(fs, from, to, &p);
    if (err != WG_ERR_OK || (p.replace && p.dst.ino == p.src.ino))
        return err;
    uint8_t type = ext2_ftype_of_mode(p.src_in.mode);
    err = p.replace ? ext2_dir_retarget(fs, p.dp.dir, &p.dst.pos, p.src.ino, type)
                    : ext2_dir_add(fs, p.dp.dir, p.dp.name, p.dp.len, p.src.ino, type);
    if (err != WG_ERR_OK)
        return err;
    /* The add may have split the entry before the source: find the source again. */
    struct ext2_find_result again = ext2_dir_find(fs, p.sp.dir, p.sp.name, p.sp.len);
    err = again.err;
    if (err == WG_ERR_OK)
        err = ext2_dir_remove(fs, p.sp.dir, &again.pos);
    if (err == WG_ERR_OK && p.src_dir && p.sp.dir != p.dp.dir)
        err = ext2_move_dotdot(fs, &p);
    if (err == WG_ERR_OK && p.replace) {
        err = ext2_drop_link(fs, p.dst.ino, &p.dst_in);
        if (err == WG_ERR_OK && p.src_dir)
            err = ext2_touch_dir(fs, p.dp.dir, -1);
    }
    if (err == WG_ERR_OK && (err = ext2_inode_read(fs, p.src.ino, &p.src_in)) == WG_ERR_OK) {
        p.src_in.ctime = ext2_now(fs);
        err = ext2_inode_write(fs, p.src.ino, &p.src_in);
    }
    return err;
}
