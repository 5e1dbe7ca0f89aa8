/* Helpers for the ext2 library's host tests: a block device over an image file, the known
 * tree the images are built from (mke2fs -d), and running e2fsprogs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "user/lib/fs/ext2.h"

struct file_dev {
    struct blockdev dev;
    int fd;
    uint64_t reads, writes, flushes;
    bool fail_writes; /* every write fails with WG_ERR_BUSY (a dying disk) */
    bool many;        /* write_many supported (else NOT_SUPPORTED) */
    uint64_t many_calls;
};

/* Opens an image file as a device of 512-byte sectors; false on failure. */
bool file_dev_open(struct file_dev *d, const char *path);
void file_dev_close(struct file_dev *d);

/* Byte `offset` of the generated file with `seed`. */
uint8_t tree_byte(uint32_t seed, uint64_t offset);

/* A file of the generated tree: its path in the image and its content. */
struct tree_file {
    const char *path;
    uint64_t size;
    uint32_t seed;
};
extern const struct tree_file tree_files[];
extern const size_t tree_file_count;
#define TREE_BIG_DIR_ENTRIES 1000
#define TREE_DEPTH           24
extern const char tree_deep_file[]; /* path of the file at the end of the deep chain */
extern const char tree_slow_link_target[];

#define TREE_SPARSE_CHUNKS 12
#define TREE_SPARSE_STRIDE 65536u
#define TREE_SPARSE_CHUNK  5000u
#define TREE_SPARSE_SIZE   ((TREE_SPARSE_CHUNKS - 1) * TREE_SPARSE_STRIDE + TREE_SPARSE_CHUNK)
/* Byte `offset` of /sparse (zero in its holes). */
uint8_t tree_sparse_byte(uint64_t offset);

/* Writes the tree under `dir` (made fresh): files of many sizes, /big with 1,000 entries, a
 * deep path, a hard link, fast and slow symlinks and an empty directory. */
bool tree_make(const char *dir);

/* Builds build/ext2/NAME.img from the generated tree (tests/ext2/mkimage.sh); returns the
 * path (static storage) or NULL. */
const char *image_make(const char *name, const char *type, unsigned block_size, unsigned kib,
                       bool htree);
/* Copies an image file; false on failure. */
bool image_copy(const char *from, const char *to);
/* Runs a shell command; its exit status. Output goes to `out` (up to size-1 bytes, NUL-ended)
 * when out is non-NULL, else is discarded. */
int run_cmd(const char *cmd, char *out, size_t size);
/* e2fsck -fn on the image: true when it reports no problem (and prints its output if not). */
bool image_fsck_clean(const char *image);

/* Checks that `path` on the mounted fs holds exactly `size` bytes of tree_byte(seed, .). */
bool fs_content_is(struct ext2_fs *fs, const char *path, uint64_t size, uint32_t seed);
/* Writes size bytes of tree_byte(seed, .) at offset 0 of a new or existing file. */
bool fs_write_pattern(struct ext2_fs *fs, const char *path, uint64_t size, uint32_t seed);
/* Checks with debugfs that the image's `path` holds that content. */
bool debugfs_content_is(const char *image, const char *path, uint64_t size, uint32_t seed);
uint32_t test_clock(void *ctx);
