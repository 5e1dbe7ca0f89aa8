/* vfs: the virtual file system service, registered as "vfs". `vfs DISKS` waits for the
 * block devices blk0..blk(DISKS-1), mounts the first one holding an ext2/ext4 file system at
 * "/" (through an ext2fs server it starts), and the boot archive read-only at "/boot".
 * Clients speak idl/fs.idl: the Fs protocol (files, paths) and the Vfs protocol (mounts) on
 * one connection, told apart by the message's ordinal. One task serves every call in turn;
 * a second accepts connections. */
#include <acceptor.h>
#include <wingos.h>
#include <vfs.h>
#include "vfsd.h"

#define ACCEPTOR_STACK 4096
#define MS_NS          1000000ull
#define DISK_WAIT_NS   (5000ull * MS_NS)

static _Alignas(16) uint8_t acceptor_stack[ACCEPTOR_STACK];

/* Waits until block device `name` is registered; false if it never is. */
static bool wait_for_disk(const char *name)
{
    uint64_t deadline = wg_clock().value + DISK_WAIT_NS;
    uint64_t address;
    while (wg_name_lookup(name, &address) != WG_ERR_OK) {
        if (wg_clock().value > deadline)
            return false;
        wg_sleep(5 * MS_NS);
    }
    return true;
}

/* "/" on the first disk that mounts, then the boot archive at /boot. */
static void mount_at_boot(int disks)
{
    bool root = false;
    for (int i = 0; i < disks && !root; i++) {
        char name[8];
        snprintf(name, sizeof name, "blk%d", i);
        root = wait_for_disk(name) && mounts_add_disk(name, "/") == WG_ERR_OK;
    }
    if (!root)
        printf("vfs: no disk holds an ext2/ext4 file system: only /boot is available\n");
    enum wg_error err = mounts_add_boot("/boot");
    if (err != WG_ERR_OK)
        printf("vfs: cannot mount the boot archive at /boot: %s\n", wg_error_name(err));
}

static const struct fs_handlers fs_handlers = {
    .attach = vfs_on_attach,
    .open = vfs_on_open,
    .close = vfs_on_close,
    .read = vfs_on_read,
    .write = vfs_on_write,
    .fstat = vfs_on_fstat,
    .stat = vfs_on_stat,
    .readdir = vfs_on_readdir,
    .mkdir = vfs_on_mkdir,
    .unlink = vfs_on_unlink,
    .rmdir = vfs_on_rmdir,
    .rename = vfs_on_rename,
    .link = vfs_on_link,
    .symlink = vfs_on_symlink,
    .readlink = vfs_on_readlink,
    .truncate = vfs_on_truncate,
    .fsync = vfs_on_fsync,
    .sync = vfs_on_sync,
    .statfs = vfs_on_statfs,
};

static bool is_vfs_ordinal(uint32_t ordinal)
{
    return ordinal == VFS_MOUNT_ORDINAL || ordinal == VFS_UNMOUNT_ORDINAL ||
           ordinal == VFS_MOUNT_AT_ORDINAL;
}

static void serve(wg_handle server)
{
    for (;;) {
        struct wg_message message;
        struct wg_result got = wg_ipc_receive(WG_SELF, server, &message, WG_WAIT_FOREVER);
        if (!wg_ok(got))
            return;
        if (message.event == WG_IPC_EVENT_CLOSED)
            fs_session_end(message.connection, vfs_close_remote, NULL);
        else if (message.event != WG_IPC_EVENT_MESSAGE)
            continue;
        else if (is_vfs_ordinal((uint32_t)message.entries[0].value))
            vfs_dispatch(&vfs_mount_handlers, NULL, server, &message, got.value);
        else
            fs_dispatch(&fs_handlers, NULL, server, &message, got.value);
    }
}

static int parse_count(const char *text)
{
    int value = 0;
    for (; text && *text >= '0' && *text <= '9' && value < 100; text++)
        value = value * 10 + (*text - '0');
    return value;
}

int main(int argc, char **argv)
{
    int disks = argc > 1 ? parse_count(argv[1]) : 0;
    uint64_t address;
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &address);
    wg_handle acceptor = 0, registration = 0;
    enum wg_error err = server.err;
    if (err == WG_ERR_OK)
        err = wg_acceptor_start(server.value, acceptor_stack, sizeof acceptor_stack, &acceptor);
    if (err != WG_ERR_OK) {
        printf("vfs: cannot serve: %s\n", wg_error_name(err));
        return -(int)err;
    }
    idl_rt_warm_up();
    mount_at_boot(disks);
    err = wg_name_register(VFS_SERVICE, address, &registration);
    if (err != WG_ERR_OK) {
        printf("vfs: cannot register \"%s\": %s\n", VFS_SERVICE, wg_error_name(err));
        wg_task_kill(WG_SELF, acceptor);
        return -(int)err;
    }
    printf("vfs: serving as \"%s\"\n", VFS_SERVICE);
    serve(server.value);
    wg_task_kill(WG_SELF, acceptor);
    return 1;
}
