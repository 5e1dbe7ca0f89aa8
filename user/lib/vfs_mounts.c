/* The VFS client's remaining calls (vfs.h): readlink, sync and the Vfs protocol (mount,
 * unmount, mount_at). All are idempotent, so each is simply sent again after the VFS's
 * restart (vfs_again); a mount made by hand is lost with the VFS (docs/fs.md). */
#include <wingos.h>
#include "vfs.h"

struct wg_result vfs_readlink(const char *path, char *out, size_t size)
{
    static struct fs_readlink_request request;
    static struct fs_readlink_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND(fs_readlink_call, request, response, err);
    size_t length = err == WG_ERR_OK ? strlen(response.target) : 0;
    if (err == WG_ERR_OK && length >= size)
        err = WG_ERR_OUT_OF_RANGE;
    if (err != WG_ERR_OK)
        return (struct wg_result){err, 0};
    memcpy(out, response.target, length + 1);
    return (struct wg_result){WG_ERR_OK, length};
}

enum wg_error vfs_sync(void)
{
    struct fs_sync_request request = {0};
    struct fs_sync_response response;
    enum wg_error err = vfs_connect();
    VFS_SEND(fs_sync_call, request, response, err);
    return err;
}

enum wg_error vfs_mount(const char *device, const char *path)
{
    struct vfs_mount_request request;
    struct vfs_mount_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    if (err == WG_ERR_OK &&
        strlcpy(request.device, device, sizeof request.device) >= sizeof request.device)
        err = WG_ERR_NAME_TOO_LONG;
    VFS_SEND(vfs_mount_call, request, response, err);
    return err;
}

enum wg_error vfs_unmount(const char *path)
{
    struct vfs_unmount_request request;
    struct vfs_unmount_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND(vfs_unmount_call, request, response, err);
    return err;
}

enum wg_error vfs_mount_at(uint32_t index, struct vfs_mount_at_response *out)
{
    struct vfs_mount_at_request request = {.index = index};
    enum wg_error err = vfs_connect();
    VFS_SEND(vfs_mount_at_call, request, *out, err);
    return err;
}
