/* ext2 (read and write) and ext4 (read) file systems over a blockdev, with a write-back block
 * cache. Paths are absolute ("/a/b"), '/'-separated, resolved from the root inode; symbolic
 * links met on the way are followed (at most EXT2_SYMLINK_DEPTH), the last component is not.
 * Every function returns a precise error: NOT_FOUND, NOT_DIRECTORY, IS_DIRECTORY, NOT_EMPTY,
 * ALREADY_EXISTS, NAME_TOO_LONG, NO_SPACE, READ_ONLY, BAD_FORMAT (the image is corrupt; the
 * mount then turns read-only), NOT_SUPPORTED, or the device's error. See docs/ext2.md. */
#pragma once

#include "blockdev.h"
#include "ext2_disk.h" /* mode bits (EXT2_S_IF*) and entry types (EXT2_FT_*) */

#define EXT2_SYMLINK_DEPTH 8
#define EXT2_PATH_MAX      4096

struct ext2_fs;

struct ext2_options {
    bool read_only;
    uint32_t cache_blocks;              /* buffers in the block cache; 0: a default (256) */
    uint32_t (*clock)(void *clock_ctx); /* seconds since 1970 for timestamps; NULL: keep 0 */
    void *clock_ctx;
};

struct ext2_mount_result {
    enum wg_error err;
    struct ext2_fs *fs;
};

struct ext2_stat {
    uint32_t ino;
    uint16_t mode; /* type bits (EXT2_S_IF*) and permissions */
    uint16_t links;
    uint32_t uid, gid;
    uint64_t size;
    uint64_t blocks; /* 512-byte units allocated, indirect blocks included */
    uint32_t atime, mtime, ctime;
};

struct ext2_dirent {
    uint32_t ino;
    uint8_t type; /* enum ext2_ftype */
    uint8_t name_len;
    char name[256]; /* NUL-terminated */
};

struct ext2_statfs {
    uint32_t block_size;
    uint64_t blocks, free_blocks;
    uint32_t inodes, free_inodes;
    bool read_only;
};

struct ext2_ino_result {
    enum wg_error err;
    uint32_t ino;
};

struct ext2_size_result {
    enum wg_error err;
    uint64_t size;
};

/* Checks the superblock and group descriptors and mounts. A read-write mount of an image
 * with features this library cannot write fails with NOT_SUPPORTED (ext2_mount_message says
 * which); an image with inconsistent metadata mounts read-only (ext2_read_only_reason). */
struct ext2_mount_result ext2_mount(const struct blockdev *dev, const struct ext2_options *opt);
/* Flushes everything, marks the file system clean and frees it (even after an error). */
enum wg_error ext2_unmount(struct ext2_fs *fs);
/* Why the last mount failed or went read-only ("" if it did not); a static string. */
const char *ext2_mount_message(void);
bool ext2_is_read_only(const struct ext2_fs *fs);
const char *ext2_read_only_reason(const struct ext2_fs *fs);
/* Writes all dirty blocks (data, bitmaps, metadata, descriptors, superblock and backups). */
enum wg_error ext2_sync(struct ext2_fs *fs);
/* Writes every dirty block in ext2_sync's order with the primary superblock and descriptors
 * (backup copies wait for ext2_sync), then flushes: what a write-through server calls after
 * each change so that its answer means "on disk". Cheap when little is dirty. */
enum wg_error ext2_commit(struct ext2_fs *fs);
/* Writes one file's data and metadata and the allocation state. */
enum wg_error ext2_fsync(struct ext2_fs *fs, uint32_t ino);
void ext2_statfs(const struct ext2_fs *fs, struct ext2_statfs *out);

struct ext2_ino_result ext2_lookup(struct ext2_fs *fs, const char *path);
/* The same, following a symbolic link in the last component too. */
struct ext2_ino_result ext2_lookup_follow(struct ext2_fs *fs, const char *path);
/* One name in directory `dir` (no '/' in name). */
struct ext2_ino_result ext2_lookup_at(struct ext2_fs *fs, uint32_t dir, const char *name);
enum wg_error ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *out);
/* The entry at or after *pos (a byte offset, 0 to start) in directory `dir`; *pos moves
 * past it. NOT_FOUND at the end. "." and ".." are returned like other entries. */
enum wg_error ext2_readdir(struct ext2_fs *fs, uint32_t dir, uint64_t *pos,
                           struct ext2_dirent *out);
/* Bytes read (0 at or past the end). Holes read as zeros. */
struct ext2_size_result ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t offset, void *buf,
                                  size_t len);
/* Bytes written; short (with OK) when the disk fills after some bytes, NO_SPACE if none. */
struct ext2_size_result ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t offset,
                                   const void *buf, size_t len);
struct ext2_size_result ext2_append(struct ext2_fs *fs, uint32_t ino, const void *buf, size_t len);
/* Grows (with a hole) or shrinks (freeing blocks) a regular file. */
enum wg_error ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size);
/* The target of a symbolic link, NUL-terminated; size includes the NUL. */
struct ext2_size_result ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t size);

/* New regular file (mode: permission bits) or directory; ALREADY_EXISTS if the name is taken. */
struct ext2_ino_result ext2_create(struct ext2_fs *fs, const char *path, uint16_t mode);
struct ext2_ino_result ext2_mkdir(struct ext2_fs *fs, const char *path, uint16_t mode);
struct ext2_ino_result ext2_symlink(struct ext2_fs *fs, const char *target, const char *path);
/* New name `path` for the existing non-directory `existing`. */
enum wg_error ext2_link(struct ext2_fs *fs, const char *existing, const char *path);
/* Removes a non-directory name; the inode goes when its last link does. */
enum wg_error ext2_unlink(struct ext2_fs *fs, const char *path);
/* Removes an empty directory. */
enum wg_error ext2_rmdir(struct ext2_fs *fs, const char *path);
/* Moves `from` to `to`, across directories, replacing `to` if it exists (a directory only by
 * an empty directory). A directory cannot move below itself (INVALID_ARGUMENT). */
enum wg_error ext2_rename(struct ext2_fs *fs, const char *from, const char *to);
