/* Block and inode allocation. Each allocation or free changes the bitmap bit, the group
 * descriptor's count and the superblock's count together, here and nowhere else. Searches
 * start in the group of the goal (a file's previous block, or the parent directory's group). */
#include "ext2_priv.h"

/* Sets a count split into a low and (64-byte descriptors) a high 16-bit half. */
static void ext2_gd_set16(struct ext2_fs *fs, uint32_t g, size_t lo, size_t hi, uint32_t v)
{
    uint8_t *d = (uint8_t *)ext2_gd(fs, g);
    fs_put16(d + lo, (uint16_t)v);
    if (fs->desc_size >= 64)
        fs_put16(d + hi, (uint16_t)(v >> 16));
}

#define GD_FIELD(name) \
    offsetof(struct ext2_group_desc, name##_lo), offsetof(struct ext2_group_desc, name##_hi)

static void ext2_count_blocks(struct ext2_fs *fs, uint32_t g, int delta)
{
    ext2_gd_set16(fs, g, GD_FIELD(free_blocks_count), ext2_gd_free_blocks(fs, g) + (uint32_t)delta);
    ext2_sb_set_free_blocks(fs, ext2_sb_free_blocks(fs) + (uint64_t)(int64_t)delta);
    fs->meta_dirty = EXT2_META_ALL;
}

static void ext2_count_inodes(struct ext2_fs *fs, uint32_t g, int delta, bool dir)
{
    ext2_gd_set16(fs, g, GD_FIELD(free_inodes_count), ext2_gd_free_inodes(fs, g) + (uint32_t)delta);
    if (dir) {
        const struct ext2_group_desc *d = ext2_gd(fs, g);
        uint32_t dirs = d->used_dirs_count_lo |
                        (fs->desc_size >= 64 ? (uint32_t)d->used_dirs_count_hi << 16 : 0);
        ext2_gd_set16(fs, g, GD_FIELD(used_dirs_count), dirs - (uint32_t)delta);
    }
    fs->sb.free_inodes_count += (uint32_t)delta;
    fs->meta_dirty = EXT2_META_ALL;
}

/* First clear bit in [from, limit) of a bitmap, or limit. */
static uint32_t ext2_find_clear(const uint8_t *map, uint32_t from, uint32_t limit)
{
    for (uint32_t bit = from; bit < limit; bit++) {
        if (bit % 8 == 0 && map[bit / 8] == 0xFF && bit + 8 <= limit) {
            bit += 7;
            continue;
        }
        if (!(map[bit / 8] & (1u << (bit % 8))))
            return bit;
    }
    return limit;
}

/* A clear bit at or after `start` (wrapping), or `limit` if there is none. */
static uint32_t ext2_find_clear_wrap(const uint8_t *map, uint32_t start, uint32_t limit)
{
    uint32_t bit = ext2_find_clear(map, start, limit);
    return bit < limit ? bit : ext2_find_clear(map, 0, start);
}

/* Takes one clear bit of the bitmap in block `bitmap`; *bit in, found bit out. */
static enum wg_error ext2_take_bit(struct ext2_fs *fs, uint64_t bitmap, uint32_t *bit,
                                   uint32_t limit)
{
    struct bcache_result r = bcache_read(&fs->cache, bitmap);
    if (r.err != WG_ERR_OK)
        return r.err;
    uint32_t found = ext2_find_clear_wrap(r.buf->data, *bit < limit ? *bit : 0, limit);
    if (found >= limit) {
        bcache_release(&fs->cache, r.buf);
        return ext2_corrupt(fs, "group free count says free but the bitmap is full");
    }
    r.buf->data[found / 8] |= (uint8_t)(1u << (found % 8));
    bcache_dirty(r.buf, BCACHE_BITMAP, 0);
    bcache_release(&fs->cache, r.buf);
    *bit = found;
    return WG_ERR_OK;
}

struct ext2_block_result ext2_block_alloc(struct ext2_fs *fs, uint64_t goal)
{
    if (goal < fs->first_data_block || goal >= fs->blocks_count)
        goal = fs->first_data_block;
    uint32_t g0 = (uint32_t)((goal - fs->first_data_block) / fs->blocks_per_group);
    for (uint32_t i = 0; i < fs->ngroups; i++) {
        uint32_t g = (g0 + i) % fs->ngroups;
        if (!ext2_gd_free_blocks(fs, g))
            continue;
        uint32_t bit = i ? 0 : (uint32_t)(goal - ext2_group_first_block(fs, g));
        enum wg_error err =
            ext2_take_bit(fs, ext2_gd_block_bitmap(fs, g), &bit, ext2_group_block_count(fs, g));
        if (err != WG_ERR_OK)
            return (struct ext2_block_result){err, 0};
        uint64_t block = ext2_group_first_block(fs, g) + bit;
        if (ext2_block_is_meta(fs, block))
            return (struct ext2_block_result){
                ext2_corrupt(fs, "block bitmap marks metadata as free"), 0};
        ext2_count_blocks(fs, g, -1);
        return (struct ext2_block_result){WG_ERR_OK, block};
    }
    return (struct ext2_block_result){WG_ERR_NO_SPACE, 0};
}

/* Clears one set bit; BAD_FORMAT (and read-only) if it was already clear. */
static enum wg_error ext2_clear_bit(struct ext2_fs *fs, uint64_t bitmap, uint32_t bit)
{
    struct bcache_result r = bcache_read(&fs->cache, bitmap);
    if (r.err != WG_ERR_OK)
        return r.err;
    uint8_t mask = (uint8_t)(1u << (bit % 8));
    bool was_set = r.buf->data[bit / 8] & mask;
    if (was_set) {
        r.buf->data[bit / 8] &= (uint8_t)~mask;
        bcache_dirty(r.buf, BCACHE_BITMAP, 0);
    }
    bcache_release(&fs->cache, r.buf);
    return was_set ? WG_ERR_OK : ext2_corrupt(fs, "freeing a block or inode already free");
}

enum wg_error ext2_block_free(struct ext2_fs *fs, uint64_t block)
{
    if (ext2_block_is_meta(fs, block))
        return ext2_corrupt(fs, "a file points at metadata or outside the file system");
    uint32_t g = (uint32_t)((block - fs->first_data_block) / fs->blocks_per_group);
    enum wg_error err = ext2_clear_bit(fs, ext2_gd_block_bitmap(fs, g),
                                       (uint32_t)(block - ext2_group_first_block(fs, g)));
    if (err != WG_ERR_OK)
        return err;
    bcache_forget(&fs->cache, block);
    ext2_count_blocks(fs, g, 1);
    return WG_ERR_OK;
}

struct ext2_ino_result ext2_ialloc(struct ext2_fs *fs, uint32_t parent, bool dir)
{
    uint32_t g0 =
        parent >= 1 && parent <= fs->sb.inodes_count ? (parent - 1) / fs->inodes_per_group : 0;
    for (uint32_t i = 0; i < fs->ngroups; i++) {
        uint32_t g = (g0 + i) % fs->ngroups;
        if (!ext2_gd_free_inodes(fs, g))
            continue;
        uint32_t bit = 0;
        enum wg_error err =
            ext2_take_bit(fs, ext2_gd_inode_bitmap(fs, g), &bit, fs->inodes_per_group);
        if (err != WG_ERR_OK)
            return (struct ext2_ino_result){err, 0};
        uint32_t ino = g * fs->inodes_per_group + bit + 1;
        if (ino < fs->first_ino)
            return (struct ext2_ino_result){
                ext2_corrupt(fs, "inode bitmap marks a reserved inode as free"), 0};
        ext2_count_inodes(fs, g, -1, dir);
        return (struct ext2_ino_result){WG_ERR_OK, ino};
    }
    return (struct ext2_ino_result){WG_ERR_NO_SPACE, 0};
}

enum wg_error ext2_ifree(struct ext2_fs *fs, uint32_t ino, bool dir)
{
    if (ino < fs->first_ino || ino > fs->sb.inodes_count)
        return ext2_corrupt(fs, "freeing a reserved or out-of-range inode");
    uint32_t g = (ino - 1) / fs->inodes_per_group;
    enum wg_error err =
        ext2_clear_bit(fs, ext2_gd_inode_bitmap(fs, g), (ino - 1) % fs->inodes_per_group);
    if (err == WG_ERR_OK)
        ext2_count_inodes(fs, g, 1, dir);
    return err;
}
