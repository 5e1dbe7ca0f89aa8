/* fstest: errors over the protocol (missing paths, not a directory, exists, not empty, name
 * too long, read-only, rights of a file number, buffer ranges), a full disk and a full inode
 * table on the small second disk mounted at /small, and unmounting both disks cleanly. */
#include "fstest.h"

static void path_errors(void)
{
    struct fs_stat st;
    char name[300] = "/t/";
    memset(name + 3, 'n', 256);
    name[259] = '\0';
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_stat("/no/such/thing", true, &st));
    CHECK_CODE(WG_ERR_NOT_DIRECTORY, vfs_stat("/MANIFEST/x", true, &st));
    CHECK_CODE(WG_ERR_ALREADY_EXISTS, vfs_mkdir("/t", 0755));
    CHECK_CODE(WG_ERR_NOT_EMPTY, vfs_rmdir("/t"));
    CHECK_CODE(WG_ERR_IS_DIRECTORY, vfs_unlink("/t"));
    CHECK_CODE(WG_ERR_NAME_TOO_LONG, vfs_mkdir(name, 0755));
    CHECK_ERR(WG_ERR_NAME_TOO_LONG, vfs_open(name, FS_OPEN_FLAGS_CREATE, 0644));
    CHECK_CODE(WG_ERR_INVALID_ARGUMENT, vfs_stat("relative", true, &st));
    CHECK_ERR(WG_ERR_ALREADY_EXISTS,
              vfs_open("/MANIFEST", FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_EXCLUSIVE, 0));
    CHECK_ERR(WG_ERR_NOT_DIRECTORY, vfs_open("/MANIFEST", FS_OPEN_FLAGS_DIRECTORY, 0));
    CHECK_ERR(WG_ERR_IS_DIRECTORY, vfs_open("/t", FS_OPEN_FLAGS_WRITE, 0));
    CHECK_CODE(WG_ERR_READ_ONLY, vfs_rename("/t/renamed", "/boot/x"));
}

static void read_only_boot_archive(void)
{
    CHECK_ERR(WG_ERR_READ_ONLY, vfs_open("/boot/hello", FS_OPEN_FLAGS_WRITE, 0));
    CHECK_ERR(WG_ERR_READ_ONLY, vfs_open("/boot/new", FS_OPEN_FLAGS_CREATE, 0));
    CHECK_CODE(WG_ERR_READ_ONLY, vfs_unlink("/boot/hello"));
    CHECK_CODE(WG_ERR_READ_ONLY, vfs_mkdir("/boot/dir", 0755));
    CHECK_CODE(WG_ERR_ACCESS_DENIED, vfs_unmount("/boot"));
}

static void file_numbers_carry_rights(void)
{
    struct vfs_open_result f = vfs_open("/MANIFEST", FS_OPEN_FLAGS_READ, 0);
    if (!CHECK_CODE(WG_ERR_OK, f.err))
        return;
    CHECK_ERR(WG_ERR_ACCESS_DENIED, vfs_write(f.file, "x", 1));
    CHECK_CODE(WG_ERR_ACCESS_DENIED, vfs_truncate(f.file, 0));
    struct fs_read_request beyond = {vfs_file_remote(f.file), VFS_BUFFER_SIZE - 10, 20, 0};
    struct fs_read_response response;
    CHECK_CODE(WG_ERR_BAD_ADDRESS,
               fs_read_call(vfs_connection(), &beyond, &response, VFS_TIMEOUT_NS));
    CHECK_CODE(WG_ERR_OK, vfs_close(f.file));
    CHECK_CODE(WG_ERR_BAD_HANDLE, vfs_close(f.file));
    uint8_t byte;
    CHECK_ERR(WG_ERR_BAD_HANDLE, vfs_read(f.file, &byte, 1));
    CHECK_ERR(WG_ERR_BAD_HANDLE, vfs_read(9999, &byte, 1));
    struct vfs_open_result w = vfs_open("/t/renamed/b", FS_OPEN_FLAGS_WRITE, 0);
    if (CHECK_CODE(WG_ERR_OK, w.err)) {
        CHECK_ERR(WG_ERR_ACCESS_DENIED, vfs_read(w.file, &byte, 1));
        vfs_close(w.file);
    }
}

static void small_disk_fills_up(void)
{
    struct fs_stat_fs info;
    if (!CHECK_CODE(WG_ERR_OK, vfs_statfs("/small", &info)))
        return; /* main mounted it */
    CHECK(info.inodes == 16 && !info.read_only, "%llu inodes", (unsigned long long)info.inodes);
    CHECK_CODE(WG_ERR_BUSY, vfs_mount("blk1", "/t"));
    CHECK_CODE(WG_ERR_ALREADY_EXISTS, vfs_mount("blk7", "/small"));
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_mount("blk7", "/t"));
    CHECK_CODE(WG_ERR_NOT_DIRECTORY, vfs_mount("blk7", "/MANIFEST"));
    CHECK_CODE(WG_ERR_NOT_SUPPORTED, vfs_rename("/t/renamed/b", "/small/b"));
    struct vfs_open_result f =
        vfs_open("/small/fill", FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE, 0644);
    static uint8_t chunk[64 * 1024];
    struct wg_result put = {WG_ERR_OK, sizeof chunk};
    uint64_t total = 0;
    for (int i = 0; f.err == WG_ERR_OK && i < 64 && wg_ok(put) && put.value == sizeof chunk; i++) {
        put = vfs_write(f.file, chunk, sizeof chunk);
        total += wg_ok(put) ? put.value : 0;
    }
    CHECK(total > 0 && total < 64 * sizeof chunk, "wrote %llu bytes", (unsigned long long)total);
    CHECK_ERR(WG_ERR_NO_SPACE, vfs_write(f.file, chunk, sizeof chunk));
    vfs_close(f.file);
    CHECK_CODE(WG_ERR_OK, vfs_unlink("/small/fill"));
    char name[32];
    int made = 0;
    for (; made < 200; made++) {
        snprintf(name, sizeof name, "/small/i%d", made);
        struct vfs_open_result n = vfs_open(name, FS_OPEN_FLAGS_CREATE, 0644);
        if (n.err != WG_ERR_OK) {
            CHECK_CODE(WG_ERR_NO_SPACE, n.err);
            break;
        }
        vfs_close(n.file);
    }
    CHECK(made > 0 && made < 200, "%d files before the inode table filled", made);
    for (int i = 0; i < made; i++) {
        snprintf(name, sizeof name, "/small/i%d", i);
        CHECK_CODE(WG_ERR_OK, vfs_unlink(name));
    }
    fstest_write_pattern("/small/kept", 1000, 11);
}

static void disks_unmount_cleanly(void)
{
    struct vfs_open_result f = vfs_open("/small/kept", FS_OPEN_FLAGS_READ, 0);
    CHECK_CODE(WG_ERR_BUSY, vfs_unmount("/small"));
    if (f.err == WG_ERR_OK)
        vfs_close(f.file);
    CHECK_CODE(WG_ERR_BUSY, vfs_unmount("/"));
    CHECK_CODE(WG_ERR_OK, vfs_sync());
    CHECK_CODE(WG_ERR_OK, vfs_unmount("/small"));
    CHECK_CODE(WG_ERR_OK, vfs_unmount("/"));
    struct fs_stat st;
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_stat("/t", true, &st));
    CHECK_CODE(WG_ERR_OK, vfs_stat("/boot/hello", true, &st));
}

const struct test error_tests[] = {
    {"fs_path_errors", path_errors, false},
    {"fs_read_only_boot_archive", read_only_boot_archive, false},
    {"fs_file_numbers_carry_rights", file_numbers_carry_rights, false},
    {"fs_small_disk_fills_up", small_disk_fills_up, false},
    {"fs_disks_unmount_cleanly", disks_unmount_cleanly, false},
    {NULL, NULL, false},
};
