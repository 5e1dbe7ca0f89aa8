/* ext2fs: the ext2/ext4 file-system server. `ext2fs DEVICE NAME` mounts the file system on
 * block device DEVICE ("blk0", through the block protocol) with the library of user/lib/fs
 * and serves idl/fs.idl (Fs) registered as NAME. The VFS starts one per mounted disk.
 *
 * An image the library can read but not write (ext4 features) mounts read-only; an image
 * with inconsistent metadata mounts read-only with the reason logged; an image that is not
 * ext2/ext4 at all ends the server with the mount's error as its status. Calls are served
 * one at a time by the main task; a second task accepts connections. UNMOUNT writes
 * everything, marks the file system clean and ends the server. */
#include <acceptor.h>
#include <wingos.h>
#include "disk.h"
#include "ext2fs.h"

#define ACCEPTOR_STACK 4096
#define CACHE_BLOCKS   512

struct ext2fs ext2fs;
static _Alignas(16) uint8_t acceptor_stack[ACCEPTOR_STACK];

static const struct fs_handlers handlers = {
    .attach = ext2fs_attach,
    .open = ext2fs_open,
    .close = ext2fs_close,
    .read = ext2fs_read,
    .write = ext2fs_write,
    .fstat = ext2fs_fstat,
    .stat = ext2fs_stat_path,
    .readdir = ext2fs_readdir,
    .mkdir = ext2fs_mkdir,
    .unlink = ext2fs_unlink,
    .rmdir = ext2fs_rmdir,
    .rename = ext2fs_rename,
    .truncate = ext2fs_truncate,
    .fsync = ext2fs_fsync,
    .sync = ext2fs_sync,
    .statfs = ext2fs_statfs,
    .unmount = ext2fs_unmount,
    .link = ext2fs_link,
    .symlink = ext2fs_symlink,
    .readlink = ext2fs_readlink,
};

/* There is no real-time clock yet: timestamps count from the image's last write time (read
 * from its superblock before mounting), plus the time since boot. */
static uint32_t clock_base;

static uint32_t now(void *ctx)
{
    (void)ctx;
    return clock_base + (uint32_t)(wg_clock().value / 1000000000ull);
}

#define FALLBACK_TIME 1700000000u /* 2023: for an image that says 1970 */

static void read_clock_base(const struct blockdev *dev)
{
    static uint8_t sector[4096];
    uint64_t at = 1024 + 48; /* the superblock's s_wtime */
    clock_base = FALLBACK_TIME;
    if (dev->ops->read_blocks(dev->ctx, at / dev->sector_size, 1, sector) == WG_ERR_OK) {
        uint32_t wtime;
        memcpy(&wtime, sector + at % dev->sector_size, sizeof wtime);
        clock_base = wtime > FALLBACK_TIME ? wtime : FALLBACK_TIME;
    }
}

/* Mounts read-write, or read-only when the disk or the features allow no more. */
static enum wg_error mount(const struct blockdev *dev, bool disk_read_only)
{
    read_clock_base(dev);
    struct ext2_options options = {
        .read_only = disk_read_only, .cache_blocks = CACHE_BLOCKS, .clock = now};
    struct ext2_mount_result mounted = ext2_mount(dev, &options);
    if (mounted.err == WG_ERR_NOT_SUPPORTED && !disk_read_only) {
        printf("ext2fs: %s: %s; mounting read-only\n", ext2fs.device, ext2_mount_message());
        options.read_only = true;
        mounted = ext2_mount(dev, &options);
    }
    if (mounted.err != WG_ERR_OK) {
        printf("ext2fs: %s: cannot mount: %s (%s)\n", ext2fs.device, wg_error_name(mounted.err),
               ext2_mount_message());
        return mounted.err;
    }
    ext2fs.fs = mounted.fs;
    if (ext2_is_read_only(mounted.fs) && ext2_read_only_reason(mounted.fs)[0])
        printf("ext2fs: %s: read-only: %s\n", ext2fs.device, ext2_read_only_reason(mounted.fs));
    return WG_ERR_OK;
}

/* Opens the block device, waiting up to BLOCK_RECONNECT_NS while it is not registered or
 * goes away under us: svcman may be restarting its driver. */
static enum wg_error open_disk(const char *name, struct block_client *client, struct blockdev *dev)
{
    uint64_t deadline = wg_clock().value + BLOCK_RECONNECT_NS;
    for (;;) {
        enum wg_error err = disk_open(name, client, dev);
        if ((err != WG_ERR_NOT_FOUND && err != WG_ERR_PEER_CLOSED) || wg_clock().value >= deadline)
            return err;
        wg_sleep(5000000ull);
    }
}

static void serve(wg_handle server)
{
    while (!ext2fs.quit) {
        struct wg_message message;
        struct wg_result got = wg_ipc_receive(WG_SELF, server, &message, WG_WAIT_FOREVER);
        if (!wg_ok(got))
            return;
        if (message.event == WG_IPC_EVENT_CLOSED)
            fs_session_end(message.connection, NULL, NULL);
        else if (message.event == WG_IPC_EVENT_MESSAGE)
            fs_dispatch(&handlers, NULL, server, &message, got.value);
    }
}

int main(int argc, char **argv)
{
    struct block_client client;
    struct blockdev dev;
    if (argc != 3) {
        printf("ext2fs: usage: ext2fs DEVICE NAME\n");
        return -(int)WG_ERR_INVALID_ARGUMENT;
    }
    ext2fs.device = argv[1];
    enum wg_error err = open_disk(argv[1], &client, &dev);
    if (err == WG_ERR_OK)
        err = mount(&dev, client.info.flags & BLOCK_INFO_READ_ONLY);
    uint64_t address = 0;
    struct wg_result server = {.err = err};
    if (err == WG_ERR_OK)
        server = wg_ipc_server_create(WG_SELF, 0, &address);
    wg_handle acceptor = 0, registration = 0;
    err = server.err;
    if (err == WG_ERR_OK)
        err = wg_acceptor_start(server.value, acceptor_stack, sizeof acceptor_stack, &acceptor);
    if (err == WG_ERR_OK)
        err = wg_name_register(argv[2], address, &registration);
    if (err != WG_ERR_OK) {
        printf("ext2fs: %s: %s\n", argv[1], wg_error_name(err));
        return -(int)err;
    }
    idl_rt_warm_up();
    serve(server.value);
    wg_task_kill(WG_SELF, acceptor);
    return 0;
}
