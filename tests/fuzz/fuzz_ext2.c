/* libFuzzer target for the ext2 library: mounts a mutated image (seeded from tiny real ext2
 * and ext4 images, tests/ext2/mkseeds.sh) held in memory, walks its tree with lookups, readdir,
 * stat, read and readlink, then mounts it read-write (when allowed) and changes it. Any crash,
 * out-of-bounds access or hang is a bug; errors are expected. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/fs/ext2.h"

struct mem_dev {
    uint8_t *data;
    size_t size;
};

static enum wg_error mem_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
    struct mem_dev *d = ctx;
    if (block * 512 + (uint64_t)count * 512 > d->size)
        return WG_ERR_OUT_OF_RANGE;
    memcpy(buf, d->data + block * 512, (size_t)count * 512);
    return WG_ERR_OK;
}

static enum wg_error mem_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
    struct mem_dev *d = ctx;
    if (block * 512 + (uint64_t)count * 512 > d->size)
        return WG_ERR_OUT_OF_RANGE;
    memcpy(d->data + block * 512, buf, (size_t)count * 512);
    return WG_ERR_OK;
}

static enum wg_error mem_flush(void *ctx)
{
    (void)ctx;
    return WG_ERR_OK;
}

static const struct blockdev_ops mem_ops = {mem_read, mem_write, mem_flush, NULL};

/* Visits a directory and what it holds, at most `depth` levels and a few entries each. */
static void walk(struct ext2_fs *fs, uint32_t dir, int depth)
{
    struct ext2_dirent e;
    uint64_t pos = 0;
    static uint8_t buf[8192];
    for (int n = 0; n < 64 && ext2_readdir(fs, dir, &pos, &e) == WG_ERR_OK; n++) {
        struct ext2_stat st;
        if (!strcmp(e.name, ".") || !strcmp(e.name, "..") || ext2_stat(fs, e.ino, &st) != WG_ERR_OK)
            continue;
        ext2_lookup_at(fs, dir, e.name);
        if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR && depth > 0)
            walk(fs, e.ino, depth - 1);
        else if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFLNK)
            ext2_readlink(fs, e.ino, (char *)buf, sizeof buf);
        else
            ext2_read(fs, e.ino, st.size > sizeof buf ? st.size - sizeof buf / 2 : 0, buf,
                      sizeof buf);
    }
}

static void change(struct ext2_fs *fs)
{
    static const char data[3000] = "fuzz";
    struct ext2_ino_result f = ext2_create(fs, "/dir/new", 0644);
    if (f.err == WG_ERR_OK) {
        ext2_write(fs, f.ino, 0, data, sizeof data);
        ext2_write(fs, f.ino, 70000, data, sizeof data);
        ext2_truncate(fs, f.ino, 100);
    }
    ext2_mkdir(fs, "/newdir", 0755);
    ext2_rename(fs, "/dir/sub", "/newdir/sub");
    ext2_rename(fs, "/hard", "/newdir/hard");
    ext2_symlink(fs, "/a/long/enough/target/to/need/a/block/of/its/own/xxxxxxxxxxxxxxxx", "/s");
    ext2_link(fs, "/fast", "/fast2");
    ext2_unlink(fs, "/dir/hello");
    ext2_unlink(fs, "/newdir/hard");
    ext2_rmdir(fs, "/newdir/sub");
    ext2_sync(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mem_dev mem = {malloc(size / 512 * 512 + 1), size / 512 * 512};
    memcpy(mem.data, data, mem.size);
    struct blockdev dev = {&mem_ops, &mem, 512, mem.size / 512};
    for (int rw = 0; rw < 2; rw++) {
        struct ext2_options opt = {.read_only = !rw, .cache_blocks = 16};
        struct ext2_mount_result m = ext2_mount(&dev, &opt);
        if (m.err != WG_ERR_OK)
            continue;
        walk(m.fs, 2, 3);
        ext2_lookup_follow(m.fs, "/slow");
        ext2_lookup(m.fs, "/dir/sub/twenty_k/../..");
        if (rw)
            change(m.fs);
        ext2_unmount(m.fs);
    }
    free(mem.data);
    return 0;
}
