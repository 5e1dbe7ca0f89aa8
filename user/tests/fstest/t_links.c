/* fstest: hard and symbolic links over the protocol, in /links, which the host then checks
 * (tests/fs/files.py check: link counts, inodes, targets and content through debugfs). */
#include "fstest.h"

#define ORIG_SIZE 3000
#define ORIG_SEED 12
/* A target past the 60 bytes an inode holds: a "slow" symlink with a data block. */
#define SLOW_TARGET \
    "./././././././././././././././././././././././././././././././././././././././orig"

static char target[VFS_PATH_MAX + 1];

/* Whether `path` reads back as the pattern /links/orig was written with. */
static void reads_as_orig(const char *path)
{
    uint64_t size = 0;
    if (!fstest_read_all(path, fstest_data, sizeof fstest_data, &size))
        return;
    CHECK(size == ORIG_SIZE, "%s: %llu bytes", path, (unsigned long long)size);
    for (uint64_t i = 0; i < size; i++)
        if (!CHECK(fstest_data[i] == fstest_pattern(i, ORIG_SEED), "%s byte %llu", path,
                   (unsigned long long)i))
            return;
}

static void hard_link_shares_the_inode(void)
{
    struct fs_stat a, b;
    CHECK_CODE(WG_ERR_OK, vfs_mkdir("/links", 0755));
    fstest_write_pattern("/links/orig", ORIG_SIZE, ORIG_SEED);
    CHECK_CODE(WG_ERR_OK, vfs_link("/links/orig", "/links/hard"));
    CHECK_CODE(WG_ERR_OK, vfs_link("/links/orig", "/links/third"));
    if (CHECK_CODE(WG_ERR_OK, vfs_stat("/links/orig", false, &a)) &&
        CHECK_CODE(WG_ERR_OK, vfs_stat("/links/hard", false, &b)))
        CHECK(a.inode == b.inode && a.links == 3 && b.links == 3, "inodes %llu %llu, links %u",
              (unsigned long long)a.inode, (unsigned long long)b.inode, a.links);
    CHECK_CODE(WG_ERR_OK, vfs_unlink("/links/third"));
    if (CHECK_CODE(WG_ERR_OK, vfs_stat("/links/hard", false, &b)))
        CHECK(b.links == 2, "links %u after an unlink", b.links);
    reads_as_orig("/links/hard");
}

static void symbolic_links_are_followed(void)
{
    struct fs_stat st;
    CHECK_CODE(WG_ERR_OK, vfs_symlink("orig", "/links/soft"));
    CHECK_CODE(WG_ERR_OK, vfs_symlink(SLOW_TARGET, "/links/slow"));
    CHECK_CODE(WG_ERR_OK, vfs_symlink("nowhere", "/links/dangling"));
    if (CHECK_CODE(WG_ERR_OK, vfs_stat("/links/soft", false, &st)))
        CHECK(st.type == FS_NODE_TYPE_SYMLINK && st.size == 4, "type %u size %llu", st.type,
              (unsigned long long)st.size);
    if (CHECK_CODE(WG_ERR_OK, vfs_stat("/links/slow", true, &st)))
        CHECK(st.type == FS_NODE_TYPE_FILE && st.size == ORIG_SIZE, "followed: type %u", st.type);
    struct wg_result got = vfs_readlink("/links/soft", target, sizeof target);
    CHECK(wg_ok(got) && got.value == 4 && strcmp(target, "orig") == 0, "readlink soft: %s",
          wg_error_name(got.err));
    got = vfs_readlink("/links/slow", target, sizeof target);
    CHECK(wg_ok(got) && strcmp(target, SLOW_TARGET) == 0, "readlink slow: %s",
          wg_error_name(got.err));
    reads_as_orig("/links/soft");
    reads_as_orig("/links/slow");
    CHECK_ERR(WG_ERR_NOT_FOUND, vfs_open("/links/dangling", FS_OPEN_FLAGS_READ, 0));
    got = vfs_readlink("/links/dangling", target, sizeof target);
    CHECK(wg_ok(got) && strcmp(target, "nowhere") == 0, "readlink dangling");
}

static void link_errors(void)
{
    char small[4];
    CHECK_CODE(WG_ERR_ALREADY_EXISTS, vfs_link("/links/orig", "/links/hard"));
    CHECK_CODE(WG_ERR_ALREADY_EXISTS, vfs_symlink("x", "/links/soft"));
    CHECK_CODE(WG_ERR_ALREADY_EXISTS, vfs_link("/links/orig", "/small"));
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_link("/links/missing", "/links/new"));
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_link("/links/orig", "/links/no/new"));
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_symlink("orig", "/links/no/new"));
    CHECK_CODE(WG_ERR_IS_DIRECTORY, vfs_link("/links", "/links/dir"));
    CHECK_CODE(WG_ERR_IS_DIRECTORY, vfs_link("/small", "/small/root"));
    CHECK_CODE(WG_ERR_NOT_SUPPORTED, vfs_link("/links/orig", "/small/orig"));
    CHECK_CODE(WG_ERR_NOT_SUPPORTED, vfs_link("/boot/hello", "/links/hello"));
    CHECK_CODE(WG_ERR_READ_ONLY, vfs_link("/links/orig", "/boot/orig"));
    CHECK_CODE(WG_ERR_READ_ONLY, vfs_symlink("hello", "/boot/s"));
    CHECK_CODE(WG_ERR_INVALID_ARGUMENT, vfs_symlink("", "/links/empty"));
    CHECK_CODE(WG_ERR_INVALID_ARGUMENT, vfs_link("relative", "/links/new"));
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, vfs_readlink("/links/orig", target, sizeof target));
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, vfs_readlink("/links", target, sizeof target));
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, vfs_readlink("/boot/hello", target, sizeof target));
    CHECK_ERR(WG_ERR_NOT_FOUND, vfs_readlink("/boot/nothing", target, sizeof target));
    CHECK_ERR(WG_ERR_NOT_FOUND, vfs_readlink("/links/missing", target, sizeof target));
    CHECK_ERR(WG_ERR_OUT_OF_RANGE, vfs_readlink("/links/soft", small, sizeof small));
    struct fs_stat st;
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_stat("/links/new", false, &st));
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_stat("/small/orig", false, &st));
}

static void symlink_on_the_small_disk(void)
{
    /* A symbolic link may hold any path; the small disk's server resolves it in its own
     * file system, which has no /links. */
    CHECK_CODE(WG_ERR_OK, vfs_symlink("/links/orig", "/small/away"));
    struct wg_result got = vfs_readlink("/small/away", target, sizeof target);
    CHECK(wg_ok(got) && strcmp(target, "/links/orig") == 0, "readlink /small/away");
    CHECK_ERR(WG_ERR_NOT_FOUND, vfs_open("/small/away", FS_OPEN_FLAGS_READ, 0));
    CHECK_CODE(WG_ERR_OK, vfs_unlink("/small/away"));
}

const struct test link_tests[] = {
    {"fs_hard_link_shares_the_inode", hard_link_shares_the_inode, false},
    {"fs_symbolic_links_are_followed", symbolic_links_are_followed, false},
    {"fs_link_errors", link_errors, false},
    {"fs_symlink_on_the_small_disk", symlink_on_the_small_disk, false},
    {NULL, NULL, false},
};
