/* The on-disk structures of ext2/ext4 the library reads and writes (little-endian, from the
 * ext4 disk-layout documentation), with the feature bits and flags it knows. */
#pragma once

#include "fs_port.h"

#define EXT2_MAGIC          0xEF53
#define EXT2_SUPER_OFFSET   1024
#define EXT2_SUPER_SIZE     1024
#define EXT2_ROOT_INO       2
#define EXT2_RESIZE_INO     7
#define EXT2_GOOD_OLD_ISIZE 128
#define EXT2_NDIR_BLOCKS    12
#define EXT2_IND_BLOCK      12
#define EXT2_DIND_BLOCK     13
#define EXT2_TIND_BLOCK     14
#define EXT2_N_BLOCKS       15
#define EXT2_NAME_MAX       255
#define EXT2_LINK_MAX       65000

/* s_state */
#define EXT2_STATE_VALID  0x1
#define EXT2_STATE_ERRORS 0x2

/* Feature bits. */
#define EXT2_COMPAT_HAS_JOURNAL 0x0004
#define EXT2_COMPAT_DIR_INDEX   0x0020

#define EXT2_INCOMPAT_FILETYPE  0x0002
#define EXT2_INCOMPAT_RECOVER   0x0004
#define EXT2_INCOMPAT_META_BG   0x0010
#define EXT2_INCOMPAT_EXTENTS   0x0040
#define EXT2_INCOMPAT_64BIT     0x0080
#define EXT2_INCOMPAT_MMP       0x0100
#define EXT2_INCOMPAT_FLEX_BG   0x0200
#define EXT2_INCOMPAT_CSUM_SEED 0x2000
#define EXT2_INCOMPAT_LARGEDIR  0x4000

#define EXT2_RO_COMPAT_SPARSE_SUPER  0x0001
#define EXT2_RO_COMPAT_LARGE_FILE    0x0002
#define EXT2_RO_COMPAT_HUGE_FILE     0x0008
#define EXT2_RO_COMPAT_GDT_CSUM      0x0010
#define EXT2_RO_COMPAT_METADATA_CSUM 0x0400

/* What this library reads, and what it may also write. */
#define EXT2_INCOMPAT_READ                                                                       \
    (EXT2_INCOMPAT_FILETYPE | EXT2_INCOMPAT_RECOVER | EXT2_INCOMPAT_EXTENTS |                    \
     EXT2_INCOMPAT_64BIT | EXT2_INCOMPAT_MMP | EXT2_INCOMPAT_FLEX_BG | EXT2_INCOMPAT_CSUM_SEED | \
     EXT2_INCOMPAT_LARGEDIR)
#define EXT2_INCOMPAT_WRITE  EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_WRITE (EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE)

/* i_mode */
#define EXT2_S_IFMT   0xF000
#define EXT2_S_IFSOCK 0xC000
#define EXT2_S_IFLNK  0xA000
#define EXT2_S_IFREG  0x8000
#define EXT2_S_IFBLK  0x6000
#define EXT2_S_IFDIR  0x4000
#define EXT2_S_IFCHR  0x2000
#define EXT2_S_IFIFO  0x1000

/* i_flags */
#define EXT2_INDEX_FL       0x00001000
#define EXT2_HUGE_FILE_FL   0x00040000
#define EXT2_EXTENTS_FL     0x00080000
#define EXT2_INLINE_DATA_FL 0x10000000

/* Directory entry file types. */
enum ext2_ftype {
    EXT2_FT_UNKNOWN,
    EXT2_FT_REG,
    EXT2_FT_DIR,
    EXT2_FT_CHR,
    EXT2_FT_BLK,
    EXT2_FT_FIFO,
    EXT2_FT_SOCK,
    EXT2_FT_SYMLINK,
};

struct ext2_super {
    uint32_t inodes_count, blocks_count_lo, r_blocks_count_lo, free_blocks_count_lo;
    uint32_t free_inodes_count, first_data_block, log_block_size, log_cluster_size;
    uint32_t blocks_per_group, clusters_per_group, inodes_per_group, mtime, wtime;
    uint16_t mnt_count, max_mnt_count, magic, state, errors, minor_rev_level;
    uint32_t lastcheck, checkinterval, creator_os, rev_level;
    uint16_t def_resuid, def_resgid;
    uint32_t first_ino;
    uint16_t inode_size, block_group_nr;
    uint32_t feature_compat, feature_incompat, feature_ro_compat;
    uint8_t uuid[16];
    char volume_name[16];
    char last_mounted[64];
    uint32_t algorithm_usage_bitmap;
    uint8_t prealloc_blocks, prealloc_dir_blocks;
    uint16_t reserved_gdt_blocks;
    uint8_t journal_uuid[16];
    uint32_t journal_inum, journal_dev, last_orphan, hash_seed[4];
    uint8_t def_hash_version, jnl_backup_type;
    uint16_t desc_size;
    uint32_t default_mount_opts, first_meta_bg, mkfs_time, jnl_blocks[17];
    uint32_t blocks_count_hi, r_blocks_count_hi, free_blocks_count_hi;
    uint8_t pad[0x270 - 0x15C];
    uint32_t checksum_seed;
    uint8_t pad2[0x3FC - 0x274];
    uint32_t checksum;
} __attribute__((packed));
_Static_assert(sizeof(struct ext2_super) == EXT2_SUPER_SIZE, "superblock layout");

struct ext2_group_desc {
    uint32_t block_bitmap_lo, inode_bitmap_lo, inode_table_lo;
    uint16_t free_blocks_count_lo, free_inodes_count_lo, used_dirs_count_lo, flags;
    uint32_t exclude_bitmap_lo;
    uint16_t block_bitmap_csum_lo, inode_bitmap_csum_lo, itable_unused_lo, checksum;
    /* 64bit only */
    uint32_t block_bitmap_hi, inode_bitmap_hi, inode_table_hi;
    uint16_t free_blocks_count_hi, free_inodes_count_hi, used_dirs_count_hi, itable_unused_hi;
    uint32_t exclude_bitmap_hi;
    uint16_t block_bitmap_csum_hi, inode_bitmap_csum_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct ext2_group_desc) == 64, "group descriptor layout");

/* The first 128 bytes of an inode (plus the two fields after them we look at). */
struct ext2_inode {
    uint16_t mode, uid;
    uint32_t size_lo, atime, ctime, mtime, dtime;
    uint16_t gid, links_count;
    uint32_t blocks_lo, flags, osd1;
    uint32_t block[EXT2_N_BLOCKS];
    uint32_t generation, file_acl_lo, size_high, faddr;
    uint16_t blocks_high, file_acl_high, uid_high, gid_high, checksum_lo, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct ext2_inode) == EXT2_GOOD_OLD_ISIZE, "inode layout");
#define EXT2_INODE_EXTRA_ISIZE 0x80 /* u16 in a large inode */
#define EXT2_INODE_CSUM_HI     0x82 /* u16 */

struct ext2_dirent_head {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len;
    uint8_t file_type;
} __attribute__((packed));
#define EXT2_DIRENT_HEAD 8u
/* Space a directory entry with a name of n bytes needs. */
#define EXT2_DIRENT_LEN(n) ((EXT2_DIRENT_HEAD + (n) + 3u) & ~3u)
/* The checksum tail of an ext4 directory leaf block: a fake entry of 12 bytes. */
#define EXT2_DIR_TAIL_LEN  12u
#define EXT2_DIR_TAIL_TYPE 0xDE

#define EXT4_EXT_MAGIC 0xF30A
struct ext4_extent_header {
    uint16_t magic, entries, max, depth;
    uint32_t generation;
} __attribute__((packed));
struct ext4_extent {
    uint32_t block;
    uint16_t len, start_hi;
    uint32_t start_lo;
} __attribute__((packed));
struct ext4_extent_idx {
    uint32_t block, leaf_lo;
    uint16_t leaf_hi, unused;
} __attribute__((packed));
_Static_assert(sizeof(struct ext4_extent) == 12 && sizeof(struct ext4_extent_idx) == 12,
               "extent layout");

#define EXT2_XATTR_MAGIC 0xEA020000u
