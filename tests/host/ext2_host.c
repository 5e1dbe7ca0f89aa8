/* Host-side helpers of the ext2 tests: file-backed device, generated tree, e2fsprogs. */
#define _GNU_SOURCE
#include "ext2_host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum wg_error file_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
    struct file_dev *d = ctx;
    size_t len = (size_t)count * 512;
    d->reads++;
    return pread(d->fd, buf, len, (off_t)(block * 512)) == (ssize_t)len ? WG_ERR_OK
                                                                        : WG_ERR_OUT_OF_RANGE;
}

static enum wg_error file_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
    struct file_dev *d = ctx;
    size_t len = (size_t)count * 512;
    if (d->fail_writes)
        return WG_ERR_BUSY;
    d->writes++;
    return pwrite(d->fd, buf, len, (off_t)(block * 512)) == (ssize_t)len ? WG_ERR_OK
                                                                         : WG_ERR_OUT_OF_RANGE;
}

static enum wg_error file_flush(void *ctx)
{
    struct file_dev *d = ctx;
    d->flushes++;
    return WG_ERR_OK;
}

/* With d->many: the pieces one after another (a file cannot lose half of them); counted. */
static enum wg_error file_write_many(void *ctx, const struct blockdev_piece *pieces, uint32_t n)
{
    struct file_dev *d = ctx;
    if (!d->many)
        return WG_ERR_NOT_SUPPORTED;
    d->many_calls++;
    for (uint32_t i = 0; i < n; i++) {
        enum wg_error err = file_write(ctx, pieces[i].block, pieces[i].count, pieces[i].buf);
        if (err != WG_ERR_OK)
            return err;
    }
    return WG_ERR_OK;
}

static const struct blockdev_ops file_ops = {file_read, file_write, file_flush, file_write_many};

bool file_dev_open(struct file_dev *d, const char *path)
{
    memset(d, 0, sizeof *d);
    d->fd = open(path, O_RDWR);
    struct stat st;
    if (d->fd < 0 || fstat(d->fd, &st) != 0)
        return false;
    d->dev = (struct blockdev){&file_ops, d, 512, (uint64_t)st.st_size / 512};
    return true;
}

void file_dev_close(struct file_dev *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

uint8_t tree_byte(uint32_t seed, uint64_t offset)
{
    uint64_t x = (offset / 8 + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 32 | seed);
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (uint8_t)(x >> (8 * (offset % 8)));
}

/* Sizes around every mapping boundary of 1 KiB and 4 KiB blocks: direct (12 blocks), single
 * indirect (+256 or +1024), double indirect. */
const struct tree_file tree_files[] = {
    {"/small.txt", 12, 1},
    {"/sizes/f0", 0, 2},
    {"/sizes/f1", 1, 3},
    {"/sizes/f1023", 1023, 4},
    {"/sizes/f1024", 1024, 5},
    {"/sizes/f1025", 1025, 6},
    {"/sizes/f4097", 4097, 7},
    {"/sizes/f12288", 12288, 8},
    {"/sizes/f12289", 12289, 9},
    {"/sizes/f49153", 49153, 10},
    {"/sizes/f274433", 274433, 11},   /* 1 KiB blocks: first double-indirect block */
    {"/sizes/f1000000", 1000000, 12}, /* 1 KiB: deep in double indirect */
    {"/sizes/f4243457", 4243457, 13}, /* 4 KiB blocks: first double-indirect block */
    {"/links/target", 3000, 14},
};
const size_t tree_file_count = sizeof tree_files / sizeof tree_files[0];
const char tree_deep_file[] = "/deep/d01/d02/d03/d04/d05/d06/d07/d08/d09/d10/d11/d12/d13/d14/"
                              "d15/d16/d17/d18/d19/d20/d21/d22/d23/d24/leaf";
const char tree_slow_link_target[] =
    "../deep/d01/d02/d03/d04/d05/d06/d07/d08/d09/d10/d11/d12/d13/d14/"
    "d15/d16/d17/d18/d19/d20/d21/d22/d23/d24/leaf";

static bool write_host_file(const char *path, uint64_t size, uint32_t seed)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    for (uint64_t i = 0; i < size; i++)
        fputc(tree_byte(seed, i), f);
    return fclose(f) == 0;
}

static bool mkdir_p(const char *base, const char *rel)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s%s'", base, rel);
    return run_cmd(cmd, NULL, 0) == 0;
}

uint8_t tree_sparse_byte(uint64_t offset)
{
    return offset % TREE_SPARSE_STRIDE < TREE_SPARSE_CHUNK ? tree_byte(77, offset) : 0;
}

/* A file with TREE_SPARSE_CHUNKS data runs between holes: many extents in ext4. */
static bool write_sparse(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sparse", dir);
    FILE *f = fopen(path, "wb");
    for (int k = 0; f && k < TREE_SPARSE_CHUNKS; k++) {
        fseek(f, (long)k * TREE_SPARSE_STRIDE, SEEK_SET);
        for (uint64_t i = 0; i < TREE_SPARSE_CHUNK; i++)
            fputc(tree_byte(77, (uint64_t)k * TREE_SPARSE_STRIDE + i), f);
    }
    return f && fclose(f) == 0;
}

static bool tree_special(const char *dir)
{
    char path[4096], to[4096];
    bool ok = mkdir_p(dir, "/big") && mkdir_p(dir, "/empty") && mkdir_p(dir, "/links");
    for (int i = 0; ok && i < TREE_BIG_DIR_ENTRIES; i++) {
        snprintf(path, sizeof path, "%s/big/entry_%04d", dir, i);
        ok = write_host_file(path, (uint64_t)(i % 7) * 100, 1000 + (uint32_t)i);
    }
    snprintf(path, sizeof path, "%s%s", dir, tree_deep_file);
    *strrchr(path, '/') = '\0';
    ok = ok && mkdir_p(path, "") && (strcat(path, "/leaf"), write_host_file(path, 777, 99));
    snprintf(path, sizeof path, "%s/links/target", dir);
    snprintf(to, sizeof to, "%s/links/hard", dir);
    ok = ok && link(path, to) == 0;
    snprintf(to, sizeof to, "%s/links/fast", dir);
    ok = ok && symlink("target", to) == 0;
    snprintf(to, sizeof to, "%s/links/slow", dir);
    ok = ok && symlink(tree_slow_link_target, to) == 0;
    snprintf(to, sizeof to, "%s/links/dir", dir);
    return ok && symlink("../deep/d01/d02", to) == 0 && write_sparse(dir);
}

bool tree_make(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/sizes' '%s/links'", dir, dir, dir);
    if (run_cmd(cmd, NULL, 0) != 0)
        return false;
    for (size_t i = 0; i < tree_file_count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%s", dir, tree_files[i].path);
        if (!write_host_file(path, tree_files[i].size, tree_files[i].seed))
            return false;
    }
    return tree_special(dir);
}

const char *image_make(const char *name, const char *type, unsigned block_size, unsigned kib,
                       bool htree)
{
    static char image[256];
    static bool tree_ready;
    if (!tree_ready && !tree_make("build/ext2/tree"))
        return NULL;
    tree_ready = true;
    snprintf(image, sizeof image, "build/ext2/%s.img", name);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "sh tests/ext2/mkimage.sh build/ext2/tree %s %s %u %u %s", image,
             type, block_size, kib, htree ? "htree" : "");
    return run_cmd(cmd, NULL, 0) == 0 ? image : NULL;
}

bool image_copy(const char *from, const char *to)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp --sparse=always '%s' '%s'", from, to);
    return run_cmd(cmd, NULL, 0) == 0;
}

int run_cmd(const char *cmd, char *out, size_t size)
{
    char full[8192];
    snprintf(full, sizeof full, "PATH=\"$PATH:/sbin:/usr/sbin\"; %s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    size_t n = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0) {
        for (size_t i = 0; out && i < got && n + 1 < size; i++)
            out[n++] = chunk[i];
    }
    if (out && size)
        out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool image_fsck_clean(const char *image)
{
    static char out[65536];
    char cmd[512];
    snprintf(cmd, sizeof cmd, "e2fsck -fn '%s'", image);
    int rc = run_cmd(cmd, out, sizeof out);
    if (rc != 0)
        printf("  e2fsck -fn %s exited %d:\n%s\n", image, rc, out);
    return rc == 0;
}

bool fs_content_is(struct ext2_fs *fs, const char *path, uint64_t size, uint32_t seed)
{
    struct ext2_ino_result r = ext2_lookup(fs, path);
    struct ext2_stat st;
    if (r.err != WG_ERR_OK || ext2_stat(fs, r.ino, &st) != WG_ERR_OK || st.size != size) {
        printf("  %s: lookup %s or size wrong\n", path, wg_error_name(r.err));
        return false;
    }
    static uint8_t buf[65536 + 3];
    for (uint64_t off = 0; off < size;) {
        size_t want = size - off < sizeof buf ? (size_t)(size - off) : sizeof buf;
        struct ext2_size_result n = ext2_read(fs, r.ino, off, buf, want);
        if (n.err != WG_ERR_OK || n.size != want)
            return false;
        for (size_t i = 0; i < want; i++)
            if (buf[i] != tree_byte(seed, off + i)) {
                printf("  %s: byte %llu differs\n", path, (unsigned long long)(off + i));
                return false;
            }
        off += want;
    }
    struct ext2_size_result past = ext2_read(fs, r.ino, size, buf, 10);
    return past.err == WG_ERR_OK && past.size == 0;
}

bool fs_write_pattern(struct ext2_fs *fs, const char *path, uint64_t size, uint32_t seed)
{
    struct ext2_ino_result r = ext2_lookup(fs, path);
    if (r.err == WG_ERR_NOT_FOUND)
        r = ext2_create(fs, path, 0644);
    if (r.err != WG_ERR_OK || ext2_truncate(fs, r.ino, 0) != WG_ERR_OK)
        return false;
    static uint8_t buf[40000]; /* not a multiple of any block size: unaligned writes */
    for (uint64_t off = 0; off < size;) {
        size_t want = size - off < sizeof buf ? (size_t)(size - off) : sizeof buf;
        for (size_t i = 0; i < want; i++)
            buf[i] = tree_byte(seed, off + i);
        struct ext2_size_result n = ext2_write(fs, r.ino, off, buf, want);
        if (n.err != WG_ERR_OK || n.size != want)
            return false;
        off += want;
    }
    return true;
}

bool debugfs_content_is(const char *image, const char *path, uint64_t size, uint32_t seed)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "debugfs -R 'dump %s build/ext2/dump.bin' '%s' >/dev/null 2>&1", path,
             image);
    if (run_cmd(cmd, NULL, 0) != 0)
        return false;
    FILE *f = fopen("build/ext2/dump.bin", "rb");
    if (!f)
        return false;
    uint64_t n = 0;
    int c;
    bool same = true;
    while ((c = fgetc(f)) != EOF)
        same = same && n < size && (uint8_t)c == tree_byte(seed, n), n++;
    fclose(f);
    if (!same || n != size)
        printf("  debugfs: %s has %llu bytes, content %s\n", path, (unsigned long long)n,
               same ? "same" : "differs");
    return same && n == size;
}

uint32_t test_clock(void *ctx)
{
    (void)ctx;
    return 1700001234;
}
