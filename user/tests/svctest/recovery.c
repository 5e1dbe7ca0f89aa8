/* The file-system path's recovery, case by case (svctest.h; docs/services.md#transparent-
 * recovery): an open file keeps its offset across the VFS's restart; an APPEND file gets no
 * data twice; calls that are not idempotent sent twice with one sequence number are done
 * once (the ext2 server's cache), and after the ext2 server's restart the client's reading
 * of the answer holds; a killed ext2 server is restarted and reattached under a call; a
 * client gives up with an error once the VFS stays away past the bound, and works again
 * when it is back; a failed mount leaves its server stopped. Runs under /rec. */
#include <fs_dedup.h>
#include <vfs.h>
#include "svctest.h"

/* Kills `name` and waits until it runs again (a new start). */
static bool kill_and_wait(const char *name)
{
    struct svc_info before, now;
    if (!svctest_info(name, &before) || svctest_control(name, SVC_ACTION_KILL) != WG_ERR_OK)
        return false;
    uint64_t deadline = wg_clock().value + 10 * SECOND_NS;
    while (wg_clock().value < deadline) {
        if (svctest_info(name, &now) && now.restarts > before.restarts &&
            now.state == SVC_STATE_RUNNING)
            return true;
        wg_sleep(10 * MS_NS);
    }
    return false;
}

static bool content_is(uint32_t file, const char *want)
{
    char got[64] = {0};
    size_t length = strlen(want);
    struct wg_result at = vfs_seek(file, 0, FS_WHENCE_SET);
    struct wg_result read = vfs_read(file, got, sizeof got - 1);
    return wg_ok(at) && wg_ok(read) && read.value == length && memcmp(got, want, length) == 0;
}

/* Written before and after the VFS's restart through one open file: one piece. */
static void test_offset_kept(void)
{
    uint32_t flags =
        FS_OPEN_FLAGS_READ | FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_TRUNCATE;
    struct vfs_open_result f = vfs_open("/rec/offset", flags, 0644);
    uint32_t reconnects = vfs_reconnects();
    bool ok = f.err == WG_ERR_OK && wg_ok(vfs_write(f.file, "first-", 6)) && kill_and_wait("vfs");
    struct wg_result second = vfs_write(f.file, "second", 6);
    ok &= wg_ok(second) && vfs_reconnects() > reconnects && content_is(f.file, "first-second");
    struct fs_stat st = {0};
    ok &= vfs_fstat(f.file, &st) == WG_ERR_OK && st.size == 12;
    ok &= vfs_close(f.file) == WG_ERR_OK;
    char why[96];
    snprintf(why, sizeof why, "write after the restart: %s, %u reconnects, size %llu",
             wg_error_name(second.err), vfs_reconnects() - reconnects, (unsigned long long)st.size);
    svctest_report("fs_recover_reopen_keeps_offset", ok, why);
}

/* APPEND across a restart, and a positioned write sent twice (as a resend is): no data
 * twice. */
static void test_append(void)
{
    uint32_t flags = FS_OPEN_FLAGS_READ | FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE |
                     FS_OPEN_FLAGS_TRUNCATE | FS_OPEN_FLAGS_APPEND;
    struct vfs_open_result f = vfs_open("/rec/append", flags, 0644);
    bool ok = f.err == WG_ERR_OK && wg_ok(vfs_write(f.file, "one", 3)) && kill_and_wait("vfs") &&
              wg_ok(vfs_write(f.file, "two", 3));
    struct fs_write_request again = {vfs_file_remote(f.file), 0, 3, 6};
    struct fs_write_response answer;
    memcpy(vfs_buffer(), "two", 3);
    ok &= fs_write_call(vfs_connection(), &again, &answer, VFS_TIMEOUT_NS) == WG_ERR_OK &&
          fs_write_call(vfs_connection(), &again, &answer, VFS_TIMEOUT_NS) == WG_ERR_OK;
    ok &= wg_ok(vfs_write(f.file, "3", 1)) && content_is(f.file, "onetwotwo3");
    ok &= vfs_close(f.file) == WG_ERR_OK;
    svctest_report("fs_recover_append_no_duplicate", ok, "an APPEND file got data twice");
}

/* mkdir, rename, unlink each sent twice with one (client, seq): the second answer is the
 * first one's, from the ext2 server's cache. */
static void test_duplicates(void)
{
    static struct fs_mkdir_request mkdir = {.path = "/rec/made", .mode = 0755};
    static struct fs_rename_request rename = {.from = "/rec/made", .to = "/rec/moved"};
    static struct fs_rmdir_request rmdir = {.path = "/rec/moved"};
    struct fs_mkdir_response made;
    struct fs_rename_response moved;
    struct fs_rmdir_response removed;
    wg_handle c = vfs_connection();
    mkdir.client = rename.client = rmdir.client = vfs_client_id();
    mkdir.seq = vfs_next_seq(), rename.seq = vfs_next_seq(), rmdir.seq = vfs_next_seq();
    bool ok = true;
    for (int i = 0; i < 2; i++)
        ok &= fs_mkdir_call(c, &mkdir, &made, VFS_TIMEOUT_NS) == WG_ERR_OK;
    for (int i = 0; i < 2; i++)
        ok &= fs_rename_call(c, &rename, &moved, VFS_TIMEOUT_NS) == WG_ERR_OK;
    for (int i = 0; i < 2; i++)
        ok &= fs_rmdir_call(c, &rmdir, &removed, VFS_TIMEOUT_NS) == WG_ERR_OK;
    struct fs_stat st;
    ok &= vfs_stat("/rec/moved", true, &st) == WG_ERR_NOT_FOUND;
    mkdir.seq = vfs_next_seq(); /* a new call: the real answer */
    ok &= fs_mkdir_call(c, &mkdir, &made, VFS_TIMEOUT_NS) == WG_ERR_OK &&
          fs_mkdir_call(c, &mkdir, &made, VFS_TIMEOUT_NS) == WG_ERR_OK;
    mkdir.seq = vfs_next_seq();
    ok &= fs_mkdir_call(c, &mkdir, &made, VFS_TIMEOUT_NS) == WG_ERR_ALREADY_EXISTS;
    svctest_report("fs_recover_duplicates_done_once", ok, "a call sent twice was done twice");
}

/* The ext2 server killed: its cache is gone, so a resent mkdir finds the directory and the
 * client reads ALREADY_EXISTS as done; a call under the kill reattaches the new server. */
static void test_fs_server_restart(void)
{
    static struct fs_unlink_request unlink = {.path = "/rec/gone"};
    struct fs_unlink_response unlinked;
    struct vfs_open_result f = vfs_open("/rec/gone", FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE, 0);
    bool ok = f.err == WG_ERR_OK && vfs_close(f.file) == WG_ERR_OK;
    static struct fs_mkdir_request mkdir = {.path = "/rec/made2", .mode = 0755};
    struct fs_mkdir_response made;
    mkdir.client = unlink.client = vfs_client_id();
    mkdir.seq = vfs_next_seq(), unlink.seq = vfs_next_seq();
    wg_handle c = vfs_connection();
    ok &= fs_mkdir_call(c, &mkdir, &made, VFS_TIMEOUT_NS) == WG_ERR_OK &&
          fs_unlink_call(c, &unlink, &unlinked, VFS_TIMEOUT_NS) == WG_ERR_OK;
    struct fs_stat st;
    ok &= kill_and_wait("fs-blk0") && vfs_stat("/rec", true, &st) == WG_ERR_OK; /* reattached */
    enum wg_error again = fs_mkdir_call(c, &mkdir, &made, VFS_TIMEOUT_NS);
    ok &= again == WG_ERR_ALREADY_EXISTS && fs_dedup_resent(FS_DEDUP_MAKE, again) == WG_ERR_OK;
    again = fs_unlink_call(c, &unlink, &unlinked, VFS_TIMEOUT_NS);
    ok &= again == WG_ERR_NOT_FOUND && fs_dedup_resent(FS_DEDUP_REMOVE, again) == WG_ERR_OK;
    ok &= svctest_control("fs-blk0", SVC_ACTION_KILL) == WG_ERR_OK &&
          vfs_mkdir("/rec/after-kill", 0755) == WG_ERR_OK;
    ok &= vfs_stat("/rec/after-kill", true, &st) == WG_ERR_OK && st.type == FS_NODE_TYPE_DIRECTORY;
    svctest_report("fs_recover_resent_after_server_restart", ok,
                   "a resend after the ext2 server's restart, or its reattachment");
}

/* The VFS stopped: a call gives up after the bound with an error; started again, the same
 * client works. */
static void test_give_up(void)
{
    struct fs_stat st;
    bool ok = svctest_control("vfs", SVC_ACTION_STOP) == WG_ERR_OK;
    uint64_t began = wg_clock().value;
    enum wg_error err = ok ? vfs_stat("/rec", true, &st) : WG_ERR_OK;
    uint64_t waited = wg_clock().value - began;
    ok &= err == WG_ERR_PEER_CLOSED && waited >= VFS_RECONNECT_NS;
    ok &= svctest_control("vfs", SVC_ACTION_START) == WG_ERR_OK &&
          svctest_wait_state("vfs", SVC_STATE_RUNNING, 10 * SECOND_NS);
    enum wg_error back = vfs_stat("/rec", true, &st);
    ok &= back == WG_ERR_OK;
    char why[96];
    snprintf(why, sizeof why, "%s after %llu ms; after the start: %s", wg_error_name(err),
             (unsigned long long)(waited / MS_NS), wg_error_name(back));
    svctest_report("fs_recover_gives_up_after_bound", ok, why);
}

/* A mount of a disk without a file system (blk1): svcman's fs-blk1 ends with the mount's
 * error, the VFS reports it and leaves the instance stopped (not restarted forever). */
static void test_mount_error(void)
{
    struct svc_info info = {0};
    enum wg_error made = vfs_mkdir("/rec/mnt", 0755);
    enum wg_error err = vfs_mount("blk1", "/rec/mnt");
    bool ok = made == WG_ERR_OK && err == WG_ERR_BAD_FORMAT &&
              svctest_wait_state("fs-blk1", SVC_STATE_STOPPED, SECOND_NS) &&
              svctest_info("fs-blk1", &info) && info.last_status == -(int64_t)WG_ERR_BAD_FORMAT;
    char why[96];
    snprintf(why, sizeof why, "mount: %s, fs-blk1 state %u status %lld", wg_error_name(err),
             info.state, (long long)info.last_status);
    svctest_report("fs_recover_mount_error_stops_server", ok, why);
}

void svctest_recovery(void)
{
    enum wg_error err = vfs_mkdir("/rec", 0755);
    if (err != WG_ERR_OK && err != WG_ERR_ALREADY_EXISTS) {
        svctest_report("fs_recover_setup", false, wg_error_name(err));
        return;
    }
    test_offset_kept();
    test_append();
    test_duplicates();
    test_fs_server_restart();
    test_give_up();
    test_mount_error();
}
