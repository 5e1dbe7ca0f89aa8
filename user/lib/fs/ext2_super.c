/* Mounting: read and check the superblock, decide read-only or read-write from the features
 * and the state of the metadata, load the group descriptors. */
#include "crc32c.h"
#include "ext2_priv.h"

static const char *ext2_last_message = "";

const char *ext2_mount_message(void)
{
    return ext2_last_message;
}

/* Reads the 1024 bytes at byte offset 1024 straight from the device. */
static enum wg_error ext2_read_super(const struct blockdev *dev, struct ext2_super *sb)
{
    uint32_t ss = dev->sector_size;
    if (ss < 512 || ss > 4096 || (ss & (ss - 1)) || dev->sector_count * ss < 2048)
        return WG_ERR_INVALID_ARGUMENT;
    uint8_t *buf = malloc(2 * 4096);
    if (!buf)
        return WG_ERR_NO_MEMORY;
    uint64_t first = EXT2_SUPER_OFFSET / ss;
    uint32_t count = (EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE + ss - 1) / ss - (uint32_t)first;
    enum wg_error err = dev->ops->read_blocks(dev->ctx, first, count, buf);
    if (err == WG_ERR_OK)
        memcpy(sb, buf + (EXT2_SUPER_OFFSET - first * ss), EXT2_SUPER_SIZE);
    free(buf);
    return err;
}

/* Checks the superblock's geometry and fills the derived fields; NULL or the reason. */
static const char *ext2_geometry(struct ext2_fs *fs, const struct ext2_super *sb)
{
    if (sb->magic != EXT2_MAGIC)
        return "no ext2 magic";
    if (sb->log_block_size > 5 || sb->rev_level > 1) /* 64 KiB blocks need rec_len tricks */
        return "bad block size or revision";
    fs->block_size = 1024u << sb->log_block_size;
    fs->inode_size = sb->rev_level ? sb->inode_size : EXT2_GOOD_OLD_ISIZE;
    fs->first_ino = sb->rev_level ? sb->first_ino : 11;
    bool wide = sb->feature_incompat & EXT2_INCOMPAT_64BIT;
    fs->desc_size = wide ? sb->desc_size : 32;
    fs->blocks_count = sb->blocks_count_lo | (wide ? (uint64_t)sb->blocks_count_hi << 32 : 0);
    fs->blocks_per_group = sb->blocks_per_group;
    fs->inodes_per_group = sb->inodes_per_group;
    fs->first_data_block = sb->first_data_block;
    if (fs->inode_size < EXT2_GOOD_OLD_ISIZE || fs->inode_size > fs->block_size ||
        (fs->inode_size & (fs->inode_size - 1)))
        return "bad inode size";
    if (fs->desc_size < 32 || fs->desc_size > 1024 || (fs->desc_size & (fs->desc_size - 1)))
        return "bad group descriptor size";
    if (fs->block_size % fs->dev.sector_size)
        return "block size smaller than the device's sectors";
    if (fs->first_data_block != (fs->block_size == 1024 ? 1u : 0u))
        return "bad first data block";
    if (!fs->blocks_per_group || fs->blocks_per_group > 8 * fs->block_size ||
        !fs->inodes_per_group || fs->inodes_per_group > 8 * fs->block_size ||
        (fs->inodes_per_group * fs->inode_size) % fs->block_size)
        return "bad blocks or inodes per group";
    if (fs->blocks_count <= fs->first_data_block ||
        fs->blocks_count > fs->dev.sector_count / (fs->block_size / fs->dev.sector_size))
        return "block count larger than the device";
    uint64_t groups =
        (fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) / fs->blocks_per_group;
    if ((uint64_t)groups * fs->inodes_per_group != sb->inodes_count)
        return "inode count does not match the groups";
    if (fs->first_ino < EXT2_ROOT_INO + 1 || fs->first_ino > sb->inodes_count)
        return "bad first inode";
    fs->ngroups = (uint32_t)groups;
    fs->gdt_blocks =
        (uint32_t)(((uint64_t)groups * fs->desc_size + fs->block_size - 1) / fs->block_size);
    fs->inodes_per_block = fs->block_size / fs->inode_size;
    fs->ptrs_per_block = fs->block_size / 4;
    fs->itable_blocks = fs->inodes_per_group / fs->inodes_per_block;
    if (fs->first_data_block + 1 + fs->gdt_blocks + (uint64_t)sb->reserved_gdt_blocks +
            fs->itable_blocks >=
        fs->blocks_count)
        return "descriptors do not fit";
    return NULL;
}

/* What stops a read-write mount, or NULL. */
static const char *ext2_write_blocker(const struct ext2_super *sb)
{
    if (sb->feature_incompat & ~(uint32_t)EXT2_INCOMPAT_WRITE)
        return "incompatible features this library cannot write (ext4?)";
    if (sb->feature_ro_compat & ~(uint32_t)EXT2_RO_COMPAT_WRITE)
        return "read-only-compatible features this library cannot write";
    return NULL;
}

static enum wg_error ext2_load_gdt(struct ext2_fs *fs)
{
    fs->gdt = malloc((size_t)fs->gdt_blocks * fs->block_size);
    if (!fs->gdt)
        return WG_ERR_NO_MEMORY;
    for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
        struct bcache_result r = bcache_read(&fs->cache, fs->first_data_block + 1 + i);
        if (r.err != WG_ERR_OK)
            return r.err;
        memcpy(fs->gdt + (size_t)i * fs->block_size, r.buf->data, fs->block_size);
        bcache_release(&fs->cache, r.buf);
    }
    return WG_ERR_OK;
}

static void ext2_free_fs(struct ext2_fs *fs)
{
    bcache_destroy(&fs->cache);
    free(fs->gdt);
    free(fs);
}

static struct ext2_mount_result ext2_mount_fail(struct ext2_fs *fs, enum wg_error err,
                                                const char *why)
{
    ext2_last_message = why;
    ext2_free_fs(fs);
    return (struct ext2_mount_result){err, NULL};
}

/* Decides read-only from the options, features and state; NOT_SUPPORTED when a read-write
 * mount was asked for an image this library cannot write. */
static enum wg_error ext2_choose_mode(struct ext2_fs *fs, const struct ext2_options *opt)
{
    const char *blocker = ext2_write_blocker(&fs->sb);
    fs->read_only = opt->read_only;
    if (blocker && !opt->read_only) {
        ext2_last_message = blocker;
        return WG_ERR_NOT_SUPPORTED;
    }
    if (fs->sb.feature_incompat & EXT2_INCOMPAT_RECOVER)
        ext2_last_message = "journal needs recovery: contents may be stale";
    if (!fs->read_only && (fs->sb.state & EXT2_STATE_ERRORS))
        ext2_corrupt(fs, "the file system is marked as having errors");
    const char *why = ext2_groups_check(fs);
    if (why)
        ext2_corrupt(fs, why);
    return WG_ERR_OK;
}

static struct ext2_mount_result ext2_mount_checked(struct ext2_fs *fs,
                                                   const struct ext2_options *opt)
{
    const char *why = ext2_geometry(fs, &fs->sb);
    if (why)
        return ext2_mount_fail(fs, WG_ERR_BAD_FORMAT, why);
    if (fs->sb.feature_incompat & ~(uint32_t)EXT2_INCOMPAT_READ)
        return ext2_mount_fail(fs, WG_ERR_NOT_SUPPORTED, "unsupported incompatible features");
    if (!ext2_csum_super_ok(&fs->sb))
        return ext2_mount_fail(fs, WG_ERR_BAD_FORMAT, "superblock checksum mismatch");
    fs->csum = fs->sb.feature_ro_compat & EXT2_RO_COMPAT_METADATA_CSUM;
    fs->csum_seed = (fs->sb.feature_incompat & EXT2_INCOMPAT_CSUM_SEED)
                        ? fs->sb.checksum_seed
                        : crc32c_update(~0u, fs->sb.uuid, sizeof fs->sb.uuid);
    enum wg_error err = bcache_init(&fs->cache, &fs->dev, fs->block_size,
                                    opt->cache_blocks ? opt->cache_blocks : 256);
    if (err == WG_ERR_OK)
        err = ext2_load_gdt(fs);
    if (err != WG_ERR_OK)
        return ext2_mount_fail(fs, err, "cannot read the group descriptors");
    err = ext2_choose_mode(fs, opt);
    if (err != WG_ERR_OK)
        return ext2_mount_fail(fs, err, ext2_last_message);
    if (!fs->read_only) {
        fs->sb.state &= (uint16_t)~EXT2_STATE_VALID;
        fs->sb.mnt_count++;
        fs->sb.mtime = ext2_now(fs);
        fs->meta_dirty = EXT2_META_ALL;
        fs->mounted_rw = true;
    }
    return (struct ext2_mount_result){WG_ERR_OK, fs};
}

struct ext2_mount_result ext2_mount(const struct blockdev *dev, const struct ext2_options *opt)
{
    static const struct ext2_options defaults;
    struct ext2_fs *fs = calloc(1, sizeof *fs);
    if (!fs)
        return (struct ext2_mount_result){WG_ERR_NO_MEMORY, NULL};
    opt = opt ? opt : &defaults;
    ext2_last_message = "";
    fs->dev = *dev;
    fs->clock = opt->clock;
    fs->clock_ctx = opt->clock_ctx;
    enum wg_error err = ext2_read_super(dev, &fs->sb);
    if (err != WG_ERR_OK)
        return ext2_mount_fail(fs, err, "cannot read the superblock");
    return ext2_mount_checked(fs, opt);
}

enum wg_error ext2_unmount(struct ext2_fs *fs)
{
    enum wg_error err = WG_ERR_OK;
    if (fs->mounted_rw) {
        /* A session that found corruption leaves the errors flag for fsck to see. */
        fs->sb.state |= fs->ro_reason ? EXT2_STATE_ERRORS : EXT2_STATE_VALID;
        fs->meta_dirty = EXT2_META_ALL;
        err = ext2_write_all(fs);
    }
    ext2_free_fs(fs);
    return err;
}

bool ext2_is_read_only(const struct ext2_fs *fs)
{
    return fs->read_only;
}

const char *ext2_read_only_reason(const struct ext2_fs *fs)
{
    return fs->ro_reason ? fs->ro_reason : (fs->read_only ? "mounted read-only" : "");
}

enum wg_error ext2_corrupt(struct ext2_fs *fs, const char *why)
{
    if (!fs->ro_reason)
        fs->ro_reason = why;
    ext2_last_message = why;
    fs->read_only = true;
    return WG_ERR_BAD_FORMAT;
}

enum wg_error ext2_check_writable(const struct ext2_fs *fs)
{
    return fs->read_only ? WG_ERR_READ_ONLY : WG_ERR_OK;
}

uint32_t ext2_now(const struct ext2_fs *fs)
{
    return fs->clock ? fs->clock(fs->clock_ctx) : 0;
}

void ext2_statfs(const struct ext2_fs *fs, struct ext2_statfs *out)
{
    out->block_size = fs->block_size;
    out->blocks = fs->blocks_count;
    out->free_blocks = ext2_sb_free_blocks(fs);
    out->inodes = fs->sb.inodes_count;
    out->free_inodes = fs->sb.free_inodes_count;
    out->read_only = fs->read_only;
}
