/* ext4 metadata checksums (metadata_csum): crc32c over each structure with its checksum field
 * taken as zero, seeded from the file system's UUID (or s_checksum_seed) and, for per-inode
 * structures, the inode number and generation. */
#include "crc32c.h"
#include "ext2_priv.h"

bool ext2_csum_super_ok(const struct ext2_super *sb)
{
    if (!(sb->feature_ro_compat & EXT2_RO_COMPAT_METADATA_CSUM))
        return true;
    return crc32c_update(~0u, sb, offsetof(struct ext2_super, checksum)) == sb->checksum;
}

bool ext2_csum_gd_ok(const struct ext2_fs *fs, uint32_t group)
{
    if (!fs->csum)
        return true;
    uint8_t copy[1024];
    memcpy(copy, ext2_gd(fs, group), fs->desc_size);
    uint16_t want = fs_le16(copy + offsetof(struct ext2_group_desc, checksum));
    fs_put16(copy + offsetof(struct ext2_group_desc, checksum), 0);
    uint32_t crc = crc32c_update(fs->csum_seed, &group, 4);
    crc = crc32c_update(crc, copy, fs->desc_size);
    return (uint16_t)crc == want;
}

/* The seed of everything belonging to one inode. */
static uint32_t ext2_inode_seed(const struct ext2_fs *fs, uint32_t ino, uint32_t gen)
{
    uint32_t crc = crc32c_update(fs->csum_seed, &ino, 4);
    return crc32c_update(crc, &gen, 4);
}

bool ext2_csum_inode_ok(const struct ext2_fs *fs, uint32_t ino, const uint8_t *raw)
{
    if (!fs->csum)
        return true;
    uint8_t copy[1024];
    uint32_t size = fs->inode_size > sizeof copy ? (uint32_t)sizeof copy : fs->inode_size;
    memcpy(copy, raw, size);
    uint32_t want = fs_le16(copy + offsetof(struct ext2_inode, checksum_lo));
    fs_put16(copy + offsetof(struct ext2_inode, checksum_lo), 0);
    bool has_hi = size > EXT2_GOOD_OLD_ISIZE && fs_le16(copy + EXT2_INODE_EXTRA_ISIZE) >= 4 &&
                  EXT2_GOOD_OLD_ISIZE + (uint32_t)fs_le16(copy + EXT2_INODE_EXTRA_ISIZE) <= size;
    if (has_hi) {
        want |= (uint32_t)fs_le16(copy + EXT2_INODE_CSUM_HI) << 16;
        fs_put16(copy + EXT2_INODE_CSUM_HI, 0);
    }
    uint32_t crc = crc32c_update(ext2_inode_seed(fs, ino, fs_le32(copy + 0x64)), copy, size);
    return has_hi ? crc == want : (crc & 0xFFFF) == want;
}

bool ext2_csum_extent_ok(const struct ext2_fs *fs, uint32_t ino, uint32_t gen, const uint8_t *block)
{
    if (!fs->csum)
        return true;
    uint32_t end = 12u + 12u * fs_le16(block + 4); /* header + eh_max entries */
    if (end + 4 > fs->block_size)
        return false;
    return crc32c_update(ext2_inode_seed(fs, ino, gen), block, end) == fs_le32(block + end);
}

bool ext2_csum_dirblock_ok(const struct ext2_fs *fs, uint32_t ino, uint32_t gen,
                           const uint8_t *block)
{
    if (!fs->csum)
        return true;
    const uint8_t *tail = block + fs->block_size - EXT2_DIR_TAIL_LEN;
    /* htree index blocks have no tail (their checksum sits in the index, which this
     * library does not use); only leaf blocks are verified. */
    if (fs_le32(tail) != 0 || fs_le16(tail + 4) != EXT2_DIR_TAIL_LEN || tail[6] != 0 ||
        tail[7] != EXT2_DIR_TAIL_TYPE)
        return true;
    uint32_t crc =
        crc32c_update(ext2_inode_seed(fs, ino, gen), block, fs->block_size - EXT2_DIR_TAIL_LEN);
    return crc == fs_le32(tail + 8);
}
