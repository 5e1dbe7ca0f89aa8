/* Block groups: descriptor fields (32- or 64-byte descriptors), where each group starts and
 * which of its blocks are fixed metadata, and the mount-time check of every descriptor. */
#include "ext2_priv.h"

struct ext2_group_desc *ext2_gd(const struct ext2_fs *fs, uint32_t group)
{
    return (struct ext2_group_desc *)(fs->gdt + (size_t)group * fs->desc_size);
}

static bool ext2_wide(const struct ext2_fs *fs)
{
    return fs->desc_size >= 64;
}

uint64_t ext2_gd_block_bitmap(const struct ext2_fs *fs, uint32_t g)
{
    const struct ext2_group_desc *d = ext2_gd(fs, g);
    return d->block_bitmap_lo | (ext2_wide(fs) ? (uint64_t)d->block_bitmap_hi << 32 : 0);
}

uint64_t ext2_gd_inode_bitmap(const struct ext2_fs *fs, uint32_t g)
{
    const struct ext2_group_desc *d = ext2_gd(fs, g);
    return d->inode_bitmap_lo | (ext2_wide(fs) ? (uint64_t)d->inode_bitmap_hi << 32 : 0);
}

uint64_t ext2_gd_inode_table(const struct ext2_fs *fs, uint32_t g)
{
    const struct ext2_group_desc *d = ext2_gd(fs, g);
    return d->inode_table_lo | (ext2_wide(fs) ? (uint64_t)d->inode_table_hi << 32 : 0);
}

uint32_t ext2_gd_free_blocks(const struct ext2_fs *fs, uint32_t g)
{
    const struct ext2_group_desc *d = ext2_gd(fs, g);
    return d->free_blocks_count_lo | (ext2_wide(fs) ? (uint32_t)d->free_blocks_count_hi << 16 : 0);
}

uint32_t ext2_gd_free_inodes(const struct ext2_fs *fs, uint32_t g)
{
    const struct ext2_group_desc *d = ext2_gd(fs, g);
    return d->free_inodes_count_lo | (ext2_wide(fs) ? (uint32_t)d->free_inodes_count_hi << 16 : 0);
}

uint64_t ext2_group_first_block(const struct ext2_fs *fs, uint32_t g)
{
    return fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
}

uint32_t ext2_group_block_count(const struct ext2_fs *fs, uint32_t g)
{
    uint64_t left = fs->blocks_count - ext2_group_first_block(fs, g);
    return left < fs->blocks_per_group ? (uint32_t)left : fs->blocks_per_group;
}

static bool ext2_is_power_of(uint32_t n, uint32_t base)
{
    while (n > 1 && n % base == 0)
        n /= base;
    return n == 1;
}

bool ext2_group_has_super(const struct ext2_fs *fs, uint32_t g)
{
    if (g <= 1 || !(fs->sb.feature_ro_compat & EXT2_RO_COMPAT_SPARSE_SUPER))
        return true;
    return ext2_is_power_of(g, 3) || ext2_is_power_of(g, 5) || ext2_is_power_of(g, 7);
}

bool ext2_block_is_meta(const struct ext2_fs *fs, uint64_t block)
{
    if (block < fs->first_data_block || block >= fs->blocks_count)
        return true;
    uint32_t g = (uint32_t)((block - fs->first_data_block) / fs->blocks_per_group);
    uint64_t first = ext2_group_first_block(fs, g);
    if (ext2_group_has_super(fs, g) &&
        block < first + 1 + fs->gdt_blocks + fs->sb.reserved_gdt_blocks)
        return true;
    uint64_t table = ext2_gd_inode_table(fs, g);
    return block == ext2_gd_block_bitmap(fs, g) || block == ext2_gd_inode_bitmap(fs, g) ||
           (block >= table && block < table + fs->itable_blocks);
}

uint64_t ext2_sb_free_blocks(const struct ext2_fs *fs)
{
    uint64_t hi = ext2_wide(fs) ? (uint64_t)fs->sb.free_blocks_count_hi << 32 : 0;
    return fs->sb.free_blocks_count_lo | hi;
}

void ext2_sb_set_free_blocks(struct ext2_fs *fs, uint64_t n)
{
    fs->sb.free_blocks_count_lo = (uint32_t)n;
    if (ext2_wide(fs))
        fs->sb.free_blocks_count_hi = (uint32_t)(n >> 32);
}

/* Does [a, a+alen) overlap [b, b+blen)? */
static bool ext2_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

static const char *ext2_group_check(const struct ext2_fs *fs, uint32_t g)
{
    uint64_t bb = ext2_gd_block_bitmap(fs, g), ib = ext2_gd_inode_bitmap(fs, g);
    uint64_t it = ext2_gd_inode_table(fs, g);
    uint64_t lo = fs->first_data_block, hi = fs->blocks_count;
    uint64_t fixed = fs->first_data_block + 1 + fs->gdt_blocks + fs->sb.reserved_gdt_blocks;
    if (bb < lo || bb >= hi || ib < lo || ib >= hi || it < lo || it > hi - fs->itable_blocks)
        return "group metadata block out of range";
    if (bb == ib || ext2_overlap(it, fs->itable_blocks, bb, 1) ||
        ext2_overlap(it, fs->itable_blocks, ib, 1))
        return "bitmaps and inode table overlap";
    if (ext2_overlap(it, fs->itable_blocks, 0, fixed) || bb < fixed || ib < fixed)
        return "group metadata overlaps the superblock or descriptors";
    if (ext2_gd_free_blocks(fs, g) > ext2_group_block_count(fs, g) ||
        ext2_gd_free_inodes(fs, g) > fs->inodes_per_group)
        return "group free counts larger than the group";
    if (!ext2_csum_gd_ok(fs, g))
        return "group descriptor checksum mismatch";
    return NULL;
}

const char *ext2_groups_check(const struct ext2_fs *fs)
{
    for (uint32_t g = 0; g < fs->ngroups; g++) {
        const char *why = ext2_group_check(fs, g);
        if (why)
            return why;
    }
    if (ext2_sb_free_blocks(fs) > fs->blocks_count ||
        fs->sb.free_inodes_count > fs->sb.inodes_count)
        return "superblock free counts larger than the file system";
    return NULL;
}
