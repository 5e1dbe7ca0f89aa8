/* The ext2 library reading images made by mke2fs -d from the generated tree: ext2 with 1 KiB
 * and 4 KiB blocks, ext2 with htree directories, ext4 (extents, flex_bg, 64bit,
 * metadata_csum). Every file is compared byte for byte. */
#include "ext2_host.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

static struct ext2_fs *mount_image(struct file_dev *d, const char *image, bool ro)
{
    if (!image || !file_dev_open(d, image))
        return NULL;
    struct ext2_options opt = {.read_only = ro, .cache_blocks = 64};
    struct ext2_mount_result m = ext2_mount(&d->dev, &opt);
    if (m.err != WG_ERR_OK)
        printf("  mount %s: %s (%s)\n", image, wg_error_name(m.err), ext2_mount_message());
    return m.fs;
}

static bool check_files(struct ext2_fs *fs)
{
    bool ok = true;
    for (size_t i = 0; i < tree_file_count; i++)
        ok &= fs_content_is(fs, tree_files[i].path, tree_files[i].size, tree_files[i].seed);
    ok &= fs_content_is(fs, tree_deep_file, 777, 99);
    static uint8_t buf[TREE_SPARSE_SIZE];
    struct ext2_ino_result r = ext2_lookup(fs, "/sparse");
    struct ext2_size_result n = ext2_read(fs, r.ino, 0, buf, sizeof buf + 100);
    ok &= r.err == WG_ERR_OK && n.err == WG_ERR_OK && n.size == TREE_SPARSE_SIZE;
    for (uint64_t i = 0; ok && i < TREE_SPARSE_SIZE; i++)
        ok &= buf[i] == tree_sparse_byte(i);
    return ok;
}

static void check_big_dir(struct ext2_fs *fs)
{
    struct ext2_ino_result dir = ext2_lookup(fs, "/big");
    REQUIRE(dir.err == WG_ERR_OK);
    static bool seen[TREE_BIG_DIR_ENTRIES];
    memset(seen, 0, sizeof seen);
    struct ext2_dirent e;
    uint64_t pos = 0;
    int count = 0, dots = 0;
    while (ext2_readdir(fs, dir.ino, &pos, &e) == WG_ERR_OK) {
        int n;
        if (!strcmp(e.name, ".") || !strcmp(e.name, ".."))
            dots++;
        else if (sscanf(e.name, "entry_%d", &n) == 1 && n >= 0 && n < TREE_BIG_DIR_ENTRIES &&
                 !seen[n] && e.type == EXT2_FT_REG)
            seen[n] = true, count++;
        else
            CHECK(!"unexpected entry");
    }
    CHECK_EQ(count, TREE_BIG_DIR_ENTRIES);
    CHECK_EQ(dots, 2);
    /* Lookups of entries spread over the directory, each with its content. */
    for (int i = 0; i < TREE_BIG_DIR_ENTRIES; i += 37) {
        char path[64];
        snprintf(path, sizeof path, "/big/entry_%04d", i);
        CHECK(fs_content_is(fs, path, (uint64_t)(i % 7) * 100, 1000 + (uint32_t)i));
    }
    CHECK(ext2_lookup(fs, "/big/entry_1000").err == WG_ERR_NOT_FOUND);
}

static void check_links(struct ext2_fs *fs)
{
    struct ext2_ino_result a = ext2_lookup(fs, "/links/target");
    struct ext2_ino_result b = ext2_lookup(fs, "/links/hard");
    struct ext2_stat st;
    REQUIRE(a.err == WG_ERR_OK && b.err == WG_ERR_OK);
    CHECK_EQ(a.ino, b.ino);
    CHECK(ext2_stat(fs, a.ino, &st) == WG_ERR_OK && st.links == 2);
    char target[EXT2_PATH_MAX];
    struct ext2_ino_result fast = ext2_lookup(fs, "/links/fast");
    REQUIRE(fast.err == WG_ERR_OK);
    struct ext2_size_result n = ext2_readlink(fs, fast.ino, target, sizeof target);
    CHECK(n.err == WG_ERR_OK && !strcmp(target, "target"));
    struct ext2_ino_result slow = ext2_lookup(fs, "/links/slow");
    REQUIRE(slow.err == WG_ERR_OK);
    n = ext2_readlink(fs, slow.ino, target, sizeof target);
    CHECK(n.err == WG_ERR_OK && !strcmp(target, tree_slow_link_target));
    /* Followed: in the middle of a path always, at the end on request. */
    CHECK_EQ(ext2_lookup_follow(fs, "/links/fast").ino, a.ino);
    CHECK_EQ(ext2_lookup_follow(fs, "/links/slow").ino, ext2_lookup(fs, tree_deep_file).ino);
    CHECK_EQ(ext2_lookup(fs, "/links/dir/d03").ino, ext2_lookup(fs, "/deep/d01/d02/d03").ino);
    CHECK(ext2_lookup(fs, "/links/dir/d03").err == WG_ERR_OK);
    CHECK(ext2_lookup(fs, "/small.txt/x").err == WG_ERR_NOT_DIRECTORY);
    CHECK(ext2_lookup(fs, "/nothing").err == WG_ERR_NOT_FOUND);
    CHECK(ext2_lookup(fs, "//deep/./d01/../d01/d02/").ino == ext2_lookup(fs, "/deep/d01/d02").ino);
}

static void check_tree(const char *image, bool ro)
{
    struct file_dev d;
    struct ext2_fs *fs = mount_image(&d, image, ro);
    REQUIRE(fs);
    CHECK(check_files(fs));
    check_big_dir(fs);
    check_links(fs);
    struct ext2_stat st;
    struct ext2_ino_result e = ext2_lookup(fs, "/empty");
    CHECK(e.err == WG_ERR_OK && ext2_stat(fs, e.ino, &st) == WG_ERR_OK &&
          (st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR && st.links == 2);
    CHECK(!ext2_is_read_only(fs) || ro);
    CHECK(ext2_unmount(fs) == WG_ERR_OK);
    file_dev_close(&d);
}

TEST(ext2_1k_blocks)
{
    check_tree(image_make("read_1k", "ext2", 1024, 16384, false), true);
}

TEST(ext2_4k_blocks)
{
    check_tree(image_make("read_4k", "ext2", 4096, 32768, false), true);
}

TEST(ext2_htree_read_write_mount)
{
    /* A read-write mount that only reads changes nothing e2fsck minds. */
    const char *image = image_make("read_htree", "ext2", 1024, 16384, true);
    check_tree(image, false);
    CHECK(image && image_fsck_clean(image));
}

TEST(ext4_extents_csum)
{
    const char *image = image_make("read_ext4", "ext4", 4096, 32768, true);
    check_tree(image, true);
    char out[4096];
    REQUIRE(image);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "dumpe2fs -h %s", image);
    run_cmd(cmd, out, sizeof out);
    CHECK(strstr(out, "metadata_csum") && strstr(out, "extent") && strstr(out, "64bit") &&
          strstr(out, "flex_bg"));
}

TEST(ext4_1k_blocks_deep_extents)
{
    /* /sparse has 12 runs of data: 12 extents, more than the 4 the inode holds, so its
     * extent tree has depth 1. */
    const char *image = image_make("read_ext4_1k", "ext4", 1024, 16384, false);
    check_tree(image, true);
    char out[4096], cmd[256];
    REQUIRE(image);
    snprintf(cmd, sizeof cmd, "debugfs -R 'ex /sparse' %s", image);
    run_cmd(cmd, out, sizeof out);
    CHECK(strstr(out, " 0/ 1 ") != NULL); /* a level-0 index node above the leaves */
}

TEST(ext4_read_write_refused)
{
    struct file_dev d;
    const char *image = image_make("refuse_ext4", "ext4", 4096, 32768, false);
    REQUIRE(image && file_dev_open(&d, image));
    struct ext2_options opt = {.read_only = false};
    struct ext2_mount_result m = ext2_mount(&d.dev, &opt);
    CHECK(m.err == WG_ERR_NOT_SUPPORTED && !m.fs);
    CHECK(strstr(ext2_mount_message(), "features") != NULL);
    file_dev_close(&d);
}

TEST(readonly_mount_refuses_changes)
{
    struct file_dev d;
    struct ext2_fs *fs = mount_image(&d, image_make("ro", "ext2", 1024, 16384, false), true);
    REQUIRE(fs);
    CHECK(ext2_create(fs, "/new", 0644).err == WG_ERR_READ_ONLY);
    CHECK(ext2_mkdir(fs, "/newdir", 0755).err == WG_ERR_READ_ONLY);
    CHECK(ext2_unlink(fs, "/small.txt") == WG_ERR_READ_ONLY);
    CHECK(ext2_rename(fs, "/small.txt", "/x") == WG_ERR_READ_ONLY);
    struct ext2_ino_result f = ext2_lookup(fs, "/small.txt");
    CHECK(ext2_write(fs, f.ino, 0, "x", 1).err == WG_ERR_READ_ONLY);
    CHECK(ext2_truncate(fs, f.ino, 0) == WG_ERR_READ_ONLY);
    CHECK(ext2_unmount(fs) == WG_ERR_OK);
    CHECK_EQ(d.writes, 0u);
    file_dev_close(&d);
}
