/* fstest: creating, rewriting, appending, truncating, renaming and deleting a tree, which the
 * host then checks (tests/fs/files.py check: e2fsck -fn and debugfs). */
#include "fstest.h"

/* Writes `size` bytes of pattern `seed` at `offset` of open file `file`. */
static void write_at(uint32_t file, uint64_t offset, uint64_t size, unsigned seed)
{
    uint8_t data[128];
    CHECK(wg_ok(vfs_seek(file, (int64_t)offset, FS_WHENCE_SET)), "seek");
    for (uint64_t i = 0; i < size && i < sizeof data; i++)
        data[i] = fstest_pattern(i, seed);
    struct wg_result put = vfs_write(file, data, size);
    CHECK(wg_ok(put) && put.value == size, "write at %llu", (unsigned long long)offset);
}

static void tree_is_created(void)
{
    CHECK_CODE(WG_ERR_OK, vfs_mkdir("/t", 0755));
    CHECK_CODE(WG_ERR_OK, vfs_mkdir("/t/d1", 0755));
    CHECK_CODE(WG_ERR_OK, vfs_mkdir("/t/d2", 0755));
    fstest_write_pattern("/t/d1/a", 300000, 1);
    fstest_write_pattern("/t/d1/b", 5000, 2);
    fstest_write_pattern("/t/d1/c", 4096, 4);
    fstest_write_pattern("/t/d2/gone", 20000, 5);
    fstest_write_pattern("/t/d1/trunc", 70000, 6);
    fstest_write_pattern("/t/d2/replace", 100, 7);
    fstest_write_pattern("/t/d2/src", 200, 8);
    uint64_t size = 0;
    fstest_read_all("/t/d1/a", fstest_data, sizeof fstest_data, &size);
    for (uint64_t i = 0; i < size; i++)
        if (!CHECK(fstest_data[i] == fstest_pattern(i, 1), "/t/d1/a byte %llu",
                   (unsigned long long)i))
            break;
}

static void files_are_rewritten(void)
{
    struct vfs_open_result b = vfs_open("/t/d1/b", FS_OPEN_FLAGS_READ | FS_OPEN_FLAGS_WRITE, 0);
    if (CHECK_CODE(WG_ERR_OK, b.err)) {
        write_at(b.file, 1000, 100, 3);
        struct fs_stat st;
        CHECK_CODE(WG_ERR_OK, vfs_fstat(b.file, &st));
        CHECK(st.size == 5000, "size %llu after a rewrite inside", (unsigned long long)st.size);
        CHECK_CODE(WG_ERR_OK, vfs_fsync(b.file));
        vfs_close(b.file);
    }
    struct vfs_open_result c = vfs_open("/t/d1/c", FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_APPEND, 0);
    if (CHECK_CODE(WG_ERR_OK, c.err)) {
        struct wg_result put = vfs_write(c.file, "appended\n", 9);
        CHECK(wg_ok(put) && put.value == 9, "append");
        vfs_close(c.file);
    }
    struct vfs_open_result t = vfs_open("/t/d1/trunc", FS_OPEN_FLAGS_WRITE, 0);
    if (CHECK_CODE(WG_ERR_OK, t.err)) {
        CHECK_CODE(WG_ERR_OK, vfs_truncate(t.file, 1500));
        vfs_close(t.file);
    }
}

static void names_move_and_go(void)
{
    CHECK_CODE(WG_ERR_OK, vfs_unlink("/t/d2/gone"));
    CHECK_CODE(WG_ERR_OK, vfs_rename("/t/d1/a", "/t/d2/moved"));
    CHECK_CODE(WG_ERR_OK, vfs_rename("/t/d1", "/t/renamed"));
    CHECK_CODE(WG_ERR_OK, vfs_rename("/t/d2/src", "/t/d2/replace"));
    struct fs_stat st;
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_stat("/t/d1/b", true, &st));
    CHECK_CODE(WG_ERR_OK, vfs_stat("/t/renamed/b", true, &st));
    CHECK_CODE(WG_ERR_OK, vfs_stat("/t/d2/replace", true, &st));
    CHECK(st.size == 200, "replaced size %llu", (unsigned long long)st.size);
    char name[16];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "/big/e%d", i);
        if (!CHECK_CODE(WG_ERR_OK, vfs_unlink(name)))
            break;
    }
}

static void open_file_of_removed_name_is_stale(void)
{
    fstest_write_pattern("/t/doomed", 3000, 9);
    struct vfs_open_result f = vfs_open("/t/doomed", FS_OPEN_FLAGS_READ, 0);
    if (!CHECK_CODE(WG_ERR_OK, f.err))
        return;
    CHECK_CODE(WG_ERR_OK, vfs_unlink("/t/doomed"));
    uint8_t byte;
    CHECK_ERR(WG_ERR_STALE_HANDLE, vfs_read(f.file, &byte, 1));
    CHECK_CODE(WG_ERR_OK, vfs_close(f.file));
}

const struct test write_tests[] = {
    {"fs_tree_is_created", tree_is_created, false},
    {"fs_files_are_rewritten", files_are_rewritten, false},
    {"fs_names_move_and_go", names_move_and_go, false},
    {"fs_open_file_of_removed_name_is_stale", open_file_of_removed_name_is_stale, false},
    {NULL, NULL, false},
};
