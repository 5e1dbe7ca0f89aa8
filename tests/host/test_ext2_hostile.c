/* Corrupt and hostile images: each damage gives an error (BAD_FORMAT, NOT_SUPPORTED, ...) and
 * at worst a read-only mount; never a crash (ASan/UBSan watch), an out-of-bounds access or a
 * hang (every walk is bounded). */
#include "ext2_host.h"
#include "test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char image[128];

/* A fresh copy of a small ext2 (or ext4) image from the tree. */
static bool fresh(const char *type)
{
    static const char *made[2];
    static char paths[2][128];
    int k = !strcmp(type, "ext4");
    if (!made[k]) {
        made[k] = image_make(k ? "hostile_base4" : "hostile_base", type, 1024, 8192, false);
        if (made[k])
            snprintf(paths[k], sizeof paths[k], "%s", made[k]), made[k] = paths[k];
    }
    snprintf(image, sizeof image, "build/ext2/hostile.img");
    return made[k] && image_copy(made[k], image);
}

static void patch(uint64_t offset, const void *bytes, size_t len)
{
    int fd = open(image, O_RDWR);
    CHECK(fd >= 0 && pwrite(fd, bytes, len, (off_t)offset) == (ssize_t)len);
    close(fd);
}

static void patch32(uint64_t offset, uint32_t v)
{
    patch(offset, &v, 4);
}

/* Byte offset of inode `path` in the image (debugfs imap). */
static uint64_t inode_offset(const char *path)
{
    char cmd[256], out[1024];
    snprintf(cmd, sizeof cmd, "debugfs -R 'imap %s' %s", path, image);
    run_cmd(cmd, out, sizeof out);
    unsigned long block = 0, off = 0;
    char *at = strstr(out, "located at block");
    if (!at || sscanf(at, "located at block %lu, offset 0x%lx", &block, &off) != 2)
        return 0;
    return (uint64_t)block * 1024 + off;
}

/* Byte offset of logical block 0 of `path`. */
static uint64_t block0_offset(const char *path)
{
    char cmd[256], out[1024];
    snprintf(cmd, sizeof cmd, "debugfs -R 'bmap %s 0' %s", path, image);
    run_cmd(cmd, out, sizeof out);
    char *line = strchr(out, '\n');
    return line ? strtoull(line + 1, NULL, 10) * 1024 : 0;
}

struct mounted {
    struct file_dev d;
    struct ext2_mount_result m;
};

static void mount_it(struct mounted *t, bool ro)
{
    struct ext2_options opt = {.read_only = ro, .cache_blocks = 16};
    if (!file_dev_open(&t->d, image)) {
        t->m.err = WG_ERR_NOT_FOUND;
        return;
    }
    t->m = ext2_mount(&t->d.dev, &opt);
}

static void unmount_it(struct mounted *t)
{
    if (t->m.fs)
        ext2_unmount(t->m.fs);
    file_dev_close(&t->d);
}

/* Mount error after patching a superblock word at `field` (byte offset in it). */
static enum wg_error super_patched(uint32_t field, uint32_t value)
{
    struct mounted t;
    if (!fresh("ext2"))
        return WG_ERR_NOT_FOUND;
    patch32(1024 + field, value);
    mount_it(&t, true);
    enum wg_error err = t.m.err;
    unmount_it(&t);
    return err;
}

TEST(bad_superblocks_refused)
{
    CHECK(super_patched(0x38, 0x1234) == WG_ERR_BAD_FORMAT);     /* magic */
    CHECK(super_patched(0x18, 20) == WG_ERR_BAD_FORMAT);         /* block size 1 GiB */
    CHECK(super_patched(0x20, 0) == WG_ERR_BAD_FORMAT);          /* blocks per group */
    CHECK(super_patched(0x28, 0) == WG_ERR_BAD_FORMAT);          /* inodes per group */
    CHECK(super_patched(0x00, 12345) == WG_ERR_BAD_FORMAT);      /* inode count */
    CHECK(super_patched(0x04, 0x7FFFFFFF) == WG_ERR_BAD_FORMAT); /* beyond the device */
    CHECK(super_patched(0x14, 7) == WG_ERR_BAD_FORMAT);          /* first data block */
    CHECK(super_patched(0x58, 100) == WG_ERR_BAD_FORMAT);        /* inode size */
    CHECK(super_patched(0x60, 0x80000) == WG_ERR_NOT_SUPPORTED); /* unknown incompat */
    CHECK(super_patched(0x4C, 9) == WG_ERR_BAD_FORMAT);          /* revision */
}

TEST(tiny_and_empty_devices)
{
    struct mounted t;
    REQUIRE(fresh("ext2"));
    CHECK(truncate(image, 4096) == 0); /* superblock says 8 MiB */
    mount_it(&t, true);
    CHECK(t.m.err == WG_ERR_BAD_FORMAT);
    unmount_it(&t);
    CHECK(truncate(image, 1024) == 0);
    mount_it(&t, true);
    CHECK(t.m.err == WG_ERR_INVALID_ARGUMENT);
    unmount_it(&t);
    CHECK(truncate(image, 0) == 0 && truncate(image, 65536) == 0); /* all zeros */
    mount_it(&t, true);
    CHECK(t.m.err == WG_ERR_BAD_FORMAT);
    unmount_it(&t);
}

/* Descriptor damage: the mount works but only read-only, saying why. */
static void check_ro_after_gd_patch(uint32_t field, uint32_t value, const char *why)
{
    struct mounted t;
    REQUIRE(fresh("ext2"));
    patch32(2048 + field, value); /* group 0's descriptor, block 2 */
    mount_it(&t, false);
    REQUIRE(t.m.err == WG_ERR_OK);
    CHECK(ext2_is_read_only(t.m.fs));
    CHECK(strstr(ext2_read_only_reason(t.m.fs), why) != NULL);
    if (!strstr(ext2_read_only_reason(t.m.fs), why))
        printf("  reason: %s\n", ext2_read_only_reason(t.m.fs));
    CHECK(ext2_create(t.m.fs, "/x", 0644).err == WG_ERR_READ_ONLY);
    unmount_it(&t);
}

TEST(damaged_descriptors_mount_read_only)
{
    check_ro_after_gd_patch(0x08, 2, "overlap");          /* inode table on the GDT */
    check_ro_after_gd_patch(0x00, 0x7FFFFFF0, "range");   /* block bitmap out of range */
    check_ro_after_gd_patch(0x04, 300, "overlap");        /* inode bitmap in the table */
    check_ro_after_gd_patch(0x0C, 0xFFFF, "free counts"); /* more free than exist */
}

TEST(block_pointer_out_of_range)
{
    struct mounted t;
    REQUIRE(fresh("ext2"));
    uint64_t at = inode_offset("/sizes/f49153");
    REQUIRE(at);
    patch32(at + 0x28 + 4 * 3, 0xFFFFFFF0); /* i_block[3] */
    patch32(at + 0x28 + 4 * 12, 1);         /* the indirect block is the superblock */
    mount_it(&t, false);
    REQUIRE(t.m.err == WG_ERR_OK && !ext2_is_read_only(t.m.fs));
    struct ext2_ino_result f = ext2_lookup(t.m.fs, "/sizes/f49153");
    static uint8_t buf[49153];
    CHECK(ext2_read(t.m.fs, f.ino, 0, buf, 1024).err == WG_ERR_OK);
    CHECK(ext2_read(t.m.fs, f.ino, 3 * 1024, buf, 10).err == WG_ERR_BAD_FORMAT);
    CHECK(ext2_is_read_only(t.m.fs)); /* the damage seen, no more writing */
    CHECK(ext2_read(t.m.fs, f.ino, 20 * 1024, buf, 10).err == WG_ERR_BAD_FORMAT);
    CHECK(ext2_unlink(t.m.fs, "/sizes/f49153") == WG_ERR_READ_ONLY);
    unmount_it(&t);
}

TEST(huge_size_and_bad_directory_entries)
{
    struct mounted t;
    REQUIRE(fresh("ext2"));
    uint64_t at = inode_offset("/small.txt");
    patch32(at + 0x6C, 0xFFFFFFFF); /* i_size_high: 16 EiB */
    uint64_t dir = block0_offset("/deep/d01");
    REQUIRE(at && dir);
    uint16_t zero = 0;
    patch(dir + 12 + 4, &zero, 2); /* rec_len of '..' = 0 */
    mount_it(&t, false);
    REQUIRE(t.m.err == WG_ERR_OK);
    struct ext2_ino_result f = ext2_lookup(t.m.fs, "/small.txt");
    uint8_t buf[64];
    CHECK(ext2_read(t.m.fs, f.ino, 0, buf, sizeof buf).err == WG_ERR_OK);
    CHECK(ext2_read(t.m.fs, f.ino, 1ull << 60, buf, sizeof buf).err == WG_ERR_OUT_OF_RANGE);
    CHECK(ext2_write(t.m.fs, f.ino, ~0ull - 10, buf, 20).err == WG_ERR_OUT_OF_RANGE);
    CHECK(ext2_lookup(t.m.fs, "/deep/d01/d02").err == WG_ERR_BAD_FORMAT);
    struct ext2_dirent e;
    uint64_t pos = 0;
    uint32_t d01 = ext2_lookup(t.m.fs, "/deep/d01").ino;
    enum wg_error err;
    int entries = 0;
    while ((err = ext2_readdir(t.m.fs, d01, &pos, &e)) == WG_ERR_OK && entries < 100)
        entries++;
    CHECK(err == WG_ERR_BAD_FORMAT && entries == 1); /* '.' and then the bad '..' */
    CHECK(ext2_is_read_only(t.m.fs));
    unmount_it(&t);
}

TEST(directory_loops_end)
{
    struct mounted t;
    REQUIRE(fresh("ext2"));
    uint64_t d02 = block0_offset("/deep/d01/d02");
    char out[512], cmd[256];
    snprintf(cmd, sizeof cmd, "debugfs -R 'stat /deep/d01/d02' %s 2>/dev/null | head -1", image);
    run_cmd(cmd, out, sizeof out);
    unsigned ino = 0;
    sscanf(strstr(out, "Inode:") ? strstr(out, "Inode:") : "", "Inode: %u", &ino);
    REQUIRE(d02 && ino);
    patch32(d02 + 12, ino); /* '..' of d02 is d02 itself: walking up never reaches / */
    mount_it(&t, false);
    REQUIRE(t.m.err == WG_ERR_OK);
    CHECK(ext2_mkdir(t.m.fs, "/mover", 0755).err == WG_ERR_OK);
    /* Moving a directory checks it does not go below itself by walking up: a loop. */
    CHECK(ext2_rename(t.m.fs, "/mover", "/deep/d01/d02/d03/mover") == WG_ERR_BAD_FORMAT);
    CHECK(ext2_is_read_only(t.m.fs));
    /* A long path through the loop resolves or fails, and ends. */
    static char path[EXT2_PATH_MAX + 100];
    strcpy(path, "/deep/d01/d02");
    while (strlen(path) < EXT2_PATH_MAX - 10)
        strcat(path, "/..");
    CHECK(ext2_lookup(t.m.fs, path).ino == ino);
    strcat(path, "/../../../../../../../../../..");
    CHECK(ext2_lookup(t.m.fs, path).err == WG_ERR_NAME_TOO_LONG);
    unmount_it(&t);
}

TEST(symlink_loops_end)
{
    struct mounted t;
    REQUIRE(fresh("ext2"));
    mount_it(&t, false);
    REQUIRE(t.m.err == WG_ERR_OK);
    CHECK(ext2_symlink(t.m.fs, "/b", "/a").err == WG_ERR_OK);
    CHECK(ext2_symlink(t.m.fs, "/a", "/b").err == WG_ERR_OK);
    CHECK(ext2_lookup_follow(t.m.fs, "/a").err == WG_ERR_OUT_OF_RANGE);
    CHECK(ext2_lookup(t.m.fs, "/a/x").err == WG_ERR_OUT_OF_RANGE);
    CHECK(ext2_lookup(t.m.fs, "/a").err == WG_ERR_OK);
    unmount_it(&t);
    CHECK(image_fsck_clean(image));
}

TEST(ext4_checksums_catch_damage)
{
    struct mounted t;
    REQUIRE(fresh("ext4"));
    uint64_t at = inode_offset("/small.txt");
    REQUIRE(at);
    uint8_t x = 0x5A;
    patch(at + 0x10, &x, 1); /* one byte of i_mtime */
    mount_it(&t, true);
    REQUIRE(t.m.err == WG_ERR_OK);
    struct ext2_ino_result f = ext2_lookup(t.m.fs, "/small.txt");
    struct ext2_stat st;
    CHECK(f.err == WG_ERR_OK && ext2_stat(t.m.fs, f.ino, &st) == WG_ERR_BAD_FORMAT);
    CHECK(ext2_lookup(t.m.fs, "/sizes/f1").err == WG_ERR_OK); /* the rest still reads */
    unmount_it(&t);
    REQUIRE(fresh("ext4"));
    uint64_t dir = block0_offset("/deep/d01");
    REQUIRE(dir);
    patch(dir + 30, &x, 1); /* inside a name of a directory leaf block */
    mount_it(&t, true);
    CHECK(ext2_lookup(t.m.fs, "/deep/d01/d02").err == WG_ERR_BAD_FORMAT);
    unmount_it(&t);
    REQUIRE(fresh("ext4"));
    patch(1024 + 0x78, &x, 1); /* the volume name: superblock checksum */
    mount_it(&t, true);
    CHECK(t.m.err == WG_ERR_BAD_FORMAT && strstr(ext2_mount_message(), "checksum"));
    unmount_it(&t);
    REQUIRE(fresh("ext4"));
    patch(2048 + 0x0C, &x, 1); /* a group descriptor's free count: its checksum */
    mount_it(&t, true);
    CHECK(t.m.err == WG_ERR_OK && ext2_is_read_only(t.m.fs) &&
          strstr(ext2_read_only_reason(t.m.fs), "checksum"));
    unmount_it(&t);
}
