/* Internal state and helpers shared by the ext2 library's files (not for users). */
#pragma once

#include "bcache.h"
#include "ext2.h"
#include "ext2_disk.h"

struct ext2_fs {
    struct blockdev dev;
    struct bcache cache;
    struct ext2_super sb; /* the primary superblock as last read or changed */
    uint8_t *gdt;         /* every group descriptor, desc_size bytes each */
    uint32_t block_size, inode_size, desc_size, ngroups, gdt_blocks;
    uint32_t blocks_per_group, inodes_per_group, first_data_block, first_ino;
    uint32_t inodes_per_block, ptrs_per_block, itable_blocks;
    uint64_t blocks_count;
    bool read_only, mounted_rw, csum;
    uint8_t meta_dirty; /* EXT2_META_*: superblock/descriptor copies not written since a change */
    uint32_t csum_seed;
    const char *ro_reason;
    uint32_t (*clock)(void *);
    void *clock_ctx;
};

#define EXT2_META_PRIMARY 1u /* the copies of group 0 (ext2_commit, ext2_fsync write them) */
#define EXT2_META_BACKUPS 2u /* every other group's (ext2_sync) */
#define EXT2_META_ALL     (EXT2_META_PRIMARY | EXT2_META_BACKUPS)

/* Marks the file system read-only because of corruption; returns BAD_FORMAT. */
enum wg_error ext2_corrupt(struct ext2_fs *fs, const char *why);
/* READ_ONLY if the mount does not allow changes. */
enum wg_error ext2_check_writable(const struct ext2_fs *fs);
uint32_t ext2_now(const struct ext2_fs *fs);

/* Writes superblock, descriptors (primary and backups) and every dirty block, even after
 * the mount turned read-only because of corruption (what was done before stays coherent). */
enum wg_error ext2_write_all(struct ext2_fs *fs);

/* Group descriptors (ext2_group.c). */
struct ext2_group_desc *ext2_gd(const struct ext2_fs *fs, uint32_t group);
uint64_t ext2_gd_block_bitmap(const struct ext2_fs *fs, uint32_t group);
uint64_t ext2_gd_inode_bitmap(const struct ext2_fs *fs, uint32_t group);
uint64_t ext2_gd_inode_table(const struct ext2_fs *fs, uint32_t group);
uint32_t ext2_gd_free_blocks(const struct ext2_fs *fs, uint32_t group);
uint32_t ext2_gd_free_inodes(const struct ext2_fs *fs, uint32_t group);
uint64_t ext2_group_first_block(const struct ext2_fs *fs, uint32_t group);
uint32_t ext2_group_block_count(const struct ext2_fs *fs, uint32_t group);
bool ext2_group_has_super(const struct ext2_fs *fs, uint32_t group);
/* True if block lies in the fixed metadata of its group (superblock copy, descriptors,
 * reserved descriptors, bitmaps, inode table) of an ext2 layout. */
bool ext2_block_is_meta(const struct ext2_fs *fs, uint64_t block);
uint64_t ext2_sb_free_blocks(const struct ext2_fs *fs);
void ext2_sb_set_free_blocks(struct ext2_fs *fs, uint64_t n);
/* Checks every descriptor against the layout; the reason text or NULL if sound. */
const char *ext2_groups_check(const struct ext2_fs *fs);

/* Checksums (ext2_csum.c); each true when the feature is off or the sum matches. */
bool ext2_csum_super_ok(const struct ext2_super *sb);
bool ext2_csum_gd_ok(const struct ext2_fs *fs, uint32_t group);
bool ext2_csum_inode_ok(const struct ext2_fs *fs, uint32_t ino, const uint8_t *raw);
bool ext2_csum_extent_ok(const struct ext2_fs *fs, uint32_t ino, uint32_t gen,
                         const uint8_t *block);
bool ext2_csum_dirblock_ok(const struct ext2_fs *fs, uint32_t ino, uint32_t gen,
                           const uint8_t *block);

/* Inodes (ext2_inode.c). */
enum wg_error ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out);
enum wg_error ext2_inode_write(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);
/* Writes a fresh inode: the whole on-disk slot zeroed, then `in`. */
enum wg_error ext2_inode_write_new(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);
uint64_t ext2_inode_block_of(const struct ext2_fs *fs, uint32_t ino);
uint64_t ext2_inode_size(const struct ext2_inode *in);
void ext2_inode_set_size(struct ext2_inode *in, uint64_t size);
uint64_t ext2_inode_blocks(const struct ext2_inode *in); /* 512-byte units */
void ext2_inode_add_blocks(struct ext2_fs *fs, struct ext2_inode *in, int64_t fs_blocks);
uint32_t ext2_inode_file_acl(const struct ext2_inode *in);
bool ext2_is_dir(const struct ext2_inode *in);
bool ext2_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode *in);

/* Allocation (ext2_alloc.c): bitmap, descriptor and superblock counts change together. */
struct ext2_block_result {
    enum wg_error err;
    uint64_t block;
};
struct ext2_block_result ext2_block_alloc(struct ext2_fs *fs, uint64_t goal);
enum wg_error ext2_block_free(struct ext2_fs *fs, uint64_t block);
struct ext2_ino_result ext2_ialloc(struct ext2_fs *fs, uint32_t parent, bool dir);
enum wg_error ext2_ifree(struct ext2_fs *fs, uint32_t ino, bool dir);

/* Logical to physical block mapping (ext2_bmap.c, ext2_extent.c); block 0 means a hole. */
struct ext2_map_result {
    enum wg_error err;
    uint64_t block;
    bool fresh; /* just allocated: its old contents are garbage */
};
/* With alloc, missing blocks are allocated and `in` changed (the caller writes it). */
struct ext2_map_result ext2_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                                 uint64_t lblock, bool alloc);
struct ext2_block_result ext2_extent_map(struct ext2_fs *fs, uint32_t ino,
                                         const struct ext2_inode *in, uint64_t lblock);
uint64_t ext2_max_lblocks(const struct ext2_fs *fs);
/* Frees every block at or after logical block `first` (ext2_trunc.c). */
enum wg_error ext2_free_from(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in,
                             uint64_t first);
/* Drops one link; frees the inode and its blocks when none is left (links already 0). */
enum wg_error ext2_inode_release(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);

/* Directories (ext2_dir.c). */
struct ext2_dir_pos {
    uint64_t lblock;
    uint32_t offset, prev; /* prev: offset of the entry before (== offset for the first) */
};
struct ext2_find_result {
    enum wg_error err;
    uint32_t ino;
    uint8_t type;
    struct ext2_dir_pos pos;
};
/* Walks every entry (live or empty) of a directory from byte position `start`, calling
 * visit(arg, block data, position) until it returns true. OK with *stopped telling whether
 * it did; BAD_FORMAT for a malformed block; NOT_DIRECTORY. `in` receives the directory. */
typedef bool (*ext2_dir_visit)(void *arg, uint8_t *data, const struct ext2_dir_pos *pos);
enum wg_error ext2_dir_walk(struct ext2_fs *fs, uint32_t dir, uint64_t start, ext2_dir_visit visit,
                            void *arg, bool *stopped);
struct ext2_find_result ext2_dir_find(struct ext2_fs *fs, uint32_t dir, const char *name,
                                      size_t len);
enum wg_error ext2_dir_add(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
                           uint32_t ino, uint8_t type);
enum wg_error ext2_dir_remove(struct ext2_fs *fs, uint32_t dir, const struct ext2_dir_pos *pos);
/* Points an existing entry at another inode (rename over a target, '..' of a moved dir). */
enum wg_error ext2_dir_retarget(struct ext2_fs *fs, uint32_t dir, const struct ext2_dir_pos *pos,
                                uint32_t ino, uint8_t type);
/* NOT_EMPTY unless only '.' and '..' are left. */
enum wg_error ext2_dir_check_empty(struct ext2_fs *fs, uint32_t dir);
/* Makes a first block with '.' and '..' for a new directory. */
enum wg_error ext2_dir_init(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *in,
                            uint32_t parent);
uint8_t ext2_ftype_of_mode(uint16_t mode);

/* Paths (ext2_path.c): the directory holding the last component, and that component. */
struct ext2_parent_result {
    enum wg_error err;
    uint32_t dir;
    const char *name;
    size_t len;
};
struct ext2_parent_result ext2_resolve_parent(struct ext2_fs *fs, const char *path);
/* Drops one link of `ino` (already out of its directory); frees it with the last one (a
 * directory goes with its only name). */
enum wg_error ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
/* Touches mtime and ctime of `ino` and writes it. */
enum wg_error ext2_touch_dir(struct ext2_fs *fs, uint32_t dir, int link_delta);
