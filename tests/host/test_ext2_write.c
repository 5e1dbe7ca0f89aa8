/* The ext2 library changing images made by mke2fs -d: a tree created, rewritten, renamed and
 * deleted, then e2fsck -fn must find nothing and debugfs must show the expected content;
 * files past 4 GiB (triple indirect), a full disk, a full inode table, the write-back cache. */
#include "ext2_host.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

struct rw {
    struct file_dev d;
    struct ext2_fs *fs;
    char image[128];
};

/* Mounts a fresh copy of `base` read-write. */
static bool rw_open(struct rw *w, const char *base, const char *name, uint32_t cache)
{
    snprintf(w->image, sizeof w->image, "build/ext2/%s.img", name);
    if (!base || !image_copy(base, w->image) || !file_dev_open(&w->d, w->image))
        return false;
    struct ext2_options opt = {.cache_blocks = cache, .clock = test_clock};
    struct ext2_mount_result m = ext2_mount(&w->d.dev, &opt);
    w->fs = m.fs;
    return m.err == WG_ERR_OK && !ext2_is_read_only(m.fs);
}

static bool rw_remount(struct rw *w)
{
    enum wg_error err = ext2_unmount(w->fs);
    struct ext2_options opt = {.clock = test_clock};
    struct ext2_mount_result m = ext2_mount(&w->d.dev, &opt);
    w->fs = m.fs;
    return err == WG_ERR_OK && m.err == WG_ERR_OK;
}

static bool rw_close(struct rw *w)
{
    enum wg_error err = ext2_unmount(w->fs);
    file_dev_close(&w->d);
    return err == WG_ERR_OK;
}

static const char *base_image(void)
{
    static const char *made;
    static char path[128];
    if (!made && (made = image_make("base_1k", "ext2", 1024, 16384, true)))
        snprintf(path, sizeof path, "%s", made), made = path;
    return made;
}

static void make_new_tree(struct ext2_fs *fs)
{
    CHECK(ext2_mkdir(fs, "/new", 0755).err == WG_ERR_OK);
    CHECK(ext2_mkdir(fs, "/new/a", 0755).err == WG_ERR_OK);
    CHECK(ext2_mkdir(fs, "/new/a/b", 0700).err == WG_ERR_OK);
    CHECK(fs_write_pattern(fs, "/new/f0", 0, 500));
    CHECK(fs_write_pattern(fs, "/new/f1", 5000, 501));
    CHECK(fs_write_pattern(fs, "/new/a/b/big", 300000, 502)); /* double indirect */
    CHECK(fs_write_pattern(fs, "/new/a/x", 70000, 503));
    CHECK(fs_write_pattern(fs, "/new/a/y", 1234, 504));
    CHECK(fs_write_pattern(fs, "/new/empty_target_dir_file", 10, 505));
    CHECK(ext2_mkdir(fs, "/new/victim_dir", 0755).err == WG_ERR_OK);
    CHECK(ext2_symlink(fs, "f1", "/new/fast").err == WG_ERR_OK);
    static char long_target[300];
    memset(long_target, 'q', 200);
    memcpy(long_target + 200, "/../f1", 7);
    CHECK(ext2_symlink(fs, long_target, "/new/slow").err == WG_ERR_OK);
    CHECK(ext2_link(fs, "/new/f1", "/new/a/hard") == WG_ERR_OK);
}

static void change_tree(struct ext2_fs *fs)
{
    /* Rewrite shorter, append, shrink and grow. */
    CHECK(fs_write_pattern(fs, "/new/a/x", 3000, 506));
    struct ext2_ino_result y = ext2_lookup(fs, "/new/a/y");
    static uint8_t more[20000];
    for (size_t i = 0; i < sizeof more; i++)
        more[i] = tree_byte(504, 1234 + i);
    CHECK(ext2_append(fs, y.ino, more, sizeof more).size == sizeof more);
    struct ext2_ino_result f = ext2_lookup(fs, "/sizes/f274433");
    CHECK(ext2_truncate(fs, f.ino, 5000) == WG_ERR_OK);
    f = ext2_lookup(fs, "/sizes/f1");
    CHECK(ext2_truncate(fs, f.ino, 100000) == WG_ERR_OK); /* grows with a hole */
    /* Renames: across directories, over a file, a directory over an empty one. */
    CHECK(ext2_rename(fs, "/new/a/b/big", "/new/moved") == WG_ERR_OK);
    CHECK(ext2_rename(fs, "/new/a/b", "/b2") == WG_ERR_OK);
    CHECK(ext2_rename(fs, "/new/f0", "/new/a/y") == WG_ERR_OK); /* y replaced by empty f0 */
    CHECK(ext2_rename(fs, "/b2", "/new/victim_dir") == WG_ERR_OK);
    CHECK(ext2_rename(fs, "/sizes", "/new/a/sizes2") == WG_ERR_OK);
    /* Deletions: a double-indirect file, an empty directory, half of /big (an htree dir). */
    CHECK(ext2_unlink(fs, "/new/a/sizes2/f1000000") == WG_ERR_OK);
    CHECK(ext2_rmdir(fs, "/empty") == WG_ERR_OK);
    CHECK(ext2_unlink(fs, "/links/target") == WG_ERR_OK); /* /links/hard keeps it */
    char path[64];
    for (int i = 0; i < TREE_BIG_DIR_ENTRIES; i += 2) {
        snprintf(path, sizeof path, "/big/entry_%04d", i);
        CHECK(ext2_unlink(fs, path) == WG_ERR_OK);
    }
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof path, "/big/added_with_a_longer_name_%04d", i);
        CHECK(ext2_create(fs, path, 0600).err == WG_ERR_OK);
    }
}

static void check_errors(struct ext2_fs *fs)
{
    CHECK(ext2_rmdir(fs, "/new/a") == WG_ERR_NOT_EMPTY);
    CHECK(ext2_mkdir(fs, "/new/a", 0755).err == WG_ERR_ALREADY_EXISTS);
    CHECK(ext2_create(fs, "/new/f1", 0644).err == WG_ERR_ALREADY_EXISTS);
    CHECK(ext2_unlink(fs, "/new/a") == WG_ERR_IS_DIRECTORY);
    CHECK(ext2_rmdir(fs, "/new/f1") == WG_ERR_NOT_DIRECTORY);
    CHECK(ext2_create(fs, "/nothing/x", 0644).err == WG_ERR_NOT_FOUND);
    CHECK(ext2_create(fs, "/new/f1/x", 0644).err == WG_ERR_NOT_DIRECTORY);
    CHECK(ext2_rename(fs, "/new", "/new/a/inside") == WG_ERR_INVALID_ARGUMENT);
    CHECK(ext2_rename(fs, "/deep", "/new") == WG_ERR_NOT_EMPTY);
    CHECK(ext2_rename(fs, "/new/f1", "/new/a") == WG_ERR_IS_DIRECTORY);
    CHECK(ext2_rename(fs, "/new/a", "/new/f1") == WG_ERR_NOT_DIRECTORY);
    CHECK(ext2_link(fs, "/new/a", "/new/dirlink") == WG_ERR_IS_DIRECTORY);
    CHECK(ext2_rmdir(fs, "/") == WG_ERR_INVALID_ARGUMENT);
    CHECK(ext2_rmdir(fs, "/new/a/..") == WG_ERR_INVALID_ARGUMENT);
    char name[300];
    memset(name, 'n', sizeof name);
    name[0] = '/';
    name[257] = '\0'; /* 256 characters */
    CHECK(ext2_create(fs, name, 0644).err == WG_ERR_NAME_TOO_LONG);
    name[256] = '\0'; /* 255: fine */
    CHECK(ext2_create(fs, name, 0644).err == WG_ERR_OK);
    CHECK(ext2_unlink(fs, name) == WG_ERR_OK);
}

static void check_result(struct ext2_fs *fs)
{
    CHECK(fs_content_is(fs, "/new/f1", 5000, 501));
    CHECK(fs_content_is(fs, "/new/a/hard", 5000, 501));
    CHECK(fs_content_is(fs, "/new/moved", 300000, 502));
    CHECK(fs_content_is(fs, "/new/a/x", 3000, 506));
    CHECK(fs_content_is(fs, "/new/a/y", 0, 500));
    CHECK(fs_content_is(fs, "/links/hard", 3000, 14));
    CHECK(ext2_lookup(fs, "/new/victim_dir").err == WG_ERR_OK);
    CHECK_EQ(ext2_lookup(fs, "/new/victim_dir/..").ino, ext2_lookup(fs, "/new").ino);
    CHECK(ext2_lookup(fs, "/b2").err == WG_ERR_NOT_FOUND);
    CHECK(ext2_lookup(fs, "/empty").err == WG_ERR_NOT_FOUND);
    CHECK(ext2_lookup(fs, "/big/entry_0000").err == WG_ERR_NOT_FOUND);
    CHECK(fs_content_is(fs, "/big/entry_0001", 100, 1001));
    CHECK(ext2_lookup(fs, "/big/added_with_a_longer_name_0299").err == WG_ERR_OK);
    CHECK(ext2_lookup_follow(fs, "/new/fast").ino == ext2_lookup(fs, "/new/f1").ino);
    struct ext2_stat st;
    CHECK(ext2_stat(fs, ext2_lookup(fs, "/new/f1").ino, &st) == WG_ERR_OK && st.links == 2);
    CHECK(ext2_stat(fs, ext2_lookup(fs, "/new").ino, &st) == WG_ERR_OK && st.links == 4);
    CHECK(st.mtime == 1700001234);
    CHECK(ext2_stat(fs, ext2_lookup(fs, "/").ino, &st) == WG_ERR_OK);
    static uint8_t buf[100000];
    struct ext2_ino_result g = ext2_lookup(fs, "/new/a/sizes2/f1");
    CHECK(ext2_read(fs, g.ino, 0, buf, sizeof buf).size == 100000);
    bool zeros = buf[0] == tree_byte(3, 0);
    for (size_t i = 1; i < sizeof buf; i++)
        zeros &= buf[i] == 0;
    CHECK(zeros);
    CHECK(fs_content_is(fs, "/new/a/sizes2/f274433", 5000, 11));
}

TEST(create_rename_delete_then_fsck_and_debugfs)
{
    struct rw w;
    REQUIRE(rw_open(&w, base_image(), "write_tree", 0));
    make_new_tree(w.fs);
    change_tree(w.fs);
    check_errors(w.fs);
    check_result(w.fs);
    REQUIRE(rw_remount(&w));
    check_result(w.fs);
    CHECK(rw_close(&w));
    CHECK(image_fsck_clean(w.image));
    CHECK(debugfs_content_is(w.image, "/new/moved", 300000, 502));
    CHECK(debugfs_content_is(w.image, "/new/a/hard", 5000, 501));
    CHECK(debugfs_content_is(w.image, "/new/a/x", 3000, 506));
    CHECK(debugfs_content_is(w.image, "/links/hard", 3000, 14));
    char out[65536], cmd[256];
    snprintf(cmd, sizeof cmd, "debugfs -R 'ls -l /new' %s", w.image);
    run_cmd(cmd, out, sizeof out);
    CHECK(strstr(out, "victim_dir") && strstr(out, "moved") && !strstr(out, " f0 "));
    snprintf(cmd, sizeof cmd, "debugfs -R 'stat /new/slow' %s", w.image);
    run_cmd(cmd, out, sizeof out);
    CHECK(strstr(out, "Size: 206") != NULL);
}

TEST(past_4gib_triple_indirect)
{
    struct rw w;
    REQUIRE(rw_open(&w, base_image(), "write_huge", 0));
    struct ext2_statfs before, after;
    ext2_statfs(w.fs, &before);
    struct ext2_ino_result f = ext2_create(w.fs, "/huge", 0644);
    REQUIRE(f.err == WG_ERR_OK);
    uint64_t at = 5ull << 30; /* 5 GiB: triple indirect with 1 KiB blocks */
    static uint8_t buf[4096], back[4096];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = tree_byte(42, i);
    CHECK(ext2_write(w.fs, f.ino, at + 123, buf, sizeof buf).size == sizeof buf);
    REQUIRE(rw_remount(&w));
    struct ext2_stat st;
    CHECK(ext2_stat(w.fs, f.ino, &st) == WG_ERR_OK && st.size == at + 123 + sizeof buf);
    CHECK(ext2_read(w.fs, f.ino, at + 123, back, sizeof back).size == sizeof back);
    CHECK(!memcmp(buf, back, sizeof buf));
    CHECK(ext2_read(w.fs, f.ino, 4ull << 30, back, 16).size == 16 && back[0] == 0);
    CHECK(ext2_unmount(w.fs) == WG_ERR_OK);
    CHECK(image_fsck_clean(w.image));
    char out[8192], cmd[256];
    snprintf(cmd, sizeof cmd, "debugfs -R 'stat /huge' %s", w.image);
    run_cmd(cmd, out, sizeof out);
    CHECK(strstr(out, "Size: 5368713339") && strstr(out, "TIND"));
    struct ext2_options opt = {.clock = test_clock};
    w.fs = ext2_mount(&w.d.dev, &opt).fs;
    REQUIRE(w.fs);
    CHECK(ext2_truncate(w.fs, f.ino, 0) == WG_ERR_OK);
    CHECK(ext2_stat(w.fs, f.ino, &st) == WG_ERR_OK && st.blocks == 0);
    ext2_statfs(w.fs, &after);
    CHECK_EQ(after.free_blocks, before.free_blocks);
    CHECK(rw_close(&w));
    CHECK(image_fsck_clean(w.image));
}

/* A small empty ext2 image with `inodes` inodes. */
static const char *small_image(const char *name, unsigned inodes)
{
    static char path[128];
    char cmd[400];
    snprintf(path, sizeof path, "build/ext2/%s_base.img", name);
    snprintf(cmd, sizeof cmd, "rm -f %s && mke2fs -q -F -t ext2 -b 1024 -N %u %s 1024k", path,
             inodes, path);
    return run_cmd(cmd, NULL, 0) == 0 ? path : NULL;
}

TEST(disk_full)
{
    struct rw w;
    REQUIRE(rw_open(&w, small_image("full", 64), "full", 32));
    struct ext2_statfs before, after;
    ext2_statfs(w.fs, &before);
    struct ext2_ino_result f = ext2_create(w.fs, "/filler", 0644);
    REQUIRE(f.err == WG_ERR_OK);
    static uint8_t buf[65536];
    memset(buf, 0xAB, sizeof buf);
    uint64_t total = 0;
    struct ext2_size_result n;
    for (int i = 0; i < 100 && (n = ext2_write(w.fs, f.ino, total, buf, sizeof buf)).err == 0; i++)
        total += n.size;
    CHECK(n.err == WG_ERR_NO_SPACE);
    CHECK(total > 500 * 1024 && total < 1024 * 1024);
    CHECK(ext2_mkdir(w.fs, "/d", 0755).err == WG_ERR_NO_SPACE);
    ext2_statfs(w.fs, &after);
    CHECK_EQ(after.free_blocks, 0u);
    CHECK(rw_remount(&w));
    CHECK(image_fsck_clean(w.image));
    CHECK(ext2_unlink(w.fs, "/filler") == WG_ERR_OK);
    ext2_statfs(w.fs, &after);
    CHECK_EQ(after.free_blocks, before.free_blocks);
    CHECK_EQ(after.free_inodes, before.free_inodes);
    CHECK(rw_close(&w));
    CHECK(image_fsck_clean(w.image));
}

TEST(inode_table_full)
{
    struct rw w;
    REQUIRE(rw_open(&w, small_image("inodes", 32), "inodes", 32));
    struct ext2_statfs st;
    ext2_statfs(w.fs, &st);
    uint32_t made = 0;
    char path[64];
    struct ext2_ino_result r;
    do {
        snprintf(path, sizeof path, "/f%u", made);
        r = ext2_create(w.fs, path, 0644);
        made += r.err == WG_ERR_OK;
    } while (r.err == WG_ERR_OK && made < 1000);
    CHECK(r.err == WG_ERR_NO_SPACE);
    CHECK_EQ(made, st.free_inodes);
    CHECK(rw_close(&w));
    CHECK(image_fsck_clean(w.image));
}

TEST(write_back_cache_and_fsync)
{
    struct rw w;
    REQUIRE(rw_open(&w, base_image(), "cache", 256));
    uint64_t writes = w.d.writes;
    CHECK(fs_write_pattern(w.fs, "/cached", 20000, 600));
    CHECK_EQ(w.d.writes, writes); /* write-back: nothing reached the disk yet */
    struct ext2_ino_result f = ext2_lookup(w.fs, "/cached");
    CHECK(ext2_fsync(w.fs, f.ino) == WG_ERR_OK);
    CHECK(w.d.writes > writes && w.d.flushes > 0);
    char cmd[256], out[65536];
    snprintf(cmd, sizeof cmd, "debugfs -R 'cat <%u>' %s", f.ino, w.image);
    run_cmd(cmd, out, sizeof out);
    bool same = true;
    for (int i = 0; i < 1000; i++) /* the start of the content, after debugfs's banner line */
        same &= (uint8_t)strchr(out, '\n')[1 + i] == tree_byte(600, (uint64_t)i);
    CHECK(same);
    /* A tiny cache: eviction writes dirty blocks early; the result is the same. */
    CHECK(rw_close(&w));
    REQUIRE(rw_open(&w, base_image(), "tiny_cache", 8));
    CHECK(fs_write_pattern(w.fs, "/evicted", 300000, 601));
    CHECK(fs_content_is(w.fs, "/evicted", 300000, 601));
    CHECK(rw_close(&w));
    CHECK(image_fsck_clean(w.image));
    CHECK(debugfs_content_is(w.image, "/evicted", 300000, 601));
}

/* ext2_commit (the ext2 server's write-through): after it nothing is dirty and the image is
 * consistent on disk as it is, without an unmount (a crash right after loses nothing). */
TEST(commit_writes_through)
{
    struct rw w;
    REQUIRE(rw_open(&w, base_image(), "commit", 256));
    make_new_tree(w.fs);
    CHECK(ext2_rename(w.fs, "/new/f0", "/new/a/moved") == WG_ERR_OK);
    CHECK(ext2_commit(w.fs) == WG_ERR_OK);
    CHECK_EQ(w.d.many_calls, 0u); /* the device has no write_many: class by class */
    w.d.many = true;
    CHECK(ext2_mkdir(w.fs, "/new/at-once", 0755).err == WG_ERR_OK);
    CHECK(ext2_commit(w.fs) == WG_ERR_OK);
    CHECK_EQ(w.d.many_calls, 1u); /* the new directory's metadata in one piece */
    CHECK(w.d.flushes > 0);
    uint64_t writes = w.d.writes, flushes = w.d.flushes;
    CHECK(ext2_commit(w.fs) == WG_ERR_OK); /* nothing left to write, nothing to flush */
    CHECK_EQ(w.d.writes, writes);
    CHECK_EQ(w.d.flushes, flushes);
    CHECK(image_fsck_clean(w.image));
    CHECK(debugfs_content_is(w.image, "/new/a/b/big", 300000, 502));
    CHECK(debugfs_content_is(w.image, "/new/a/moved", 0, 500));
    CHECK(rw_close(&w));
}

TEST(failing_disk_reports_errors)
{
    struct rw w;
    REQUIRE(rw_open(&w, base_image(), "failing", 16));
    w.d.fail_writes = true;
    /* Eviction needs writes: errors come back instead of a crash or silent loss. */
    bool failed = !fs_write_pattern(w.fs, "/doomed", 300000, 602);
    CHECK(failed);
    CHECK(ext2_sync(w.fs) == WG_ERR_BUSY);
    CHECK(ext2_unmount(w.fs) == WG_ERR_BUSY);
    file_dev_close(&w.d);
}
