/* The VFS client: connection, buffer and file calls (vfs.h). */
#include <wingos.h>
#include "vfs.h"

static struct {
    wg_handle connection, map;
    uint8_t *buffer;
} vfs;

enum wg_error vfs_connect(void)
{
    if (vfs.buffer)
        return WG_ERR_OK;
    wg_handle connection;
    enum wg_error err = wg_connect_by_name(VFS_SERVICE, &connection);
    if (err != WG_ERR_OK)
        return err;
    struct wg_result memory = wg_pmem_create(WG_SELF, VFS_BUFFER_PAGES, 0, WG_PMEM_ANY_NODE);
    struct wg_result map = {.err = memory.err};
    if (memory.err == WG_ERR_OK)
        map = wg_vmem_map(WG_SELF, memory.value, VFS_BUFFER_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
    struct fs_attach_request request = {.buffer = memory.value};
    struct fs_attach_response response;
    err = map.err;
    if (err == WG_ERR_OK)
        err = fs_attach_call(connection, &request, &response, VFS_TIMEOUT_NS);
    else if (memory.err == WG_ERR_OK)
        wg_asset_release(WG_SELF, memory.value); /* an attach moves it away otherwise */
    if (err != WG_ERR_OK) {
        if (map.err == WG_ERR_OK)
            wg_asset_release(WG_SELF, map.value);
        wg_asset_release(WG_SELF, connection);
        return err;
    }
    vfs.connection = connection;
    vfs.map = map.value;
    vfs.buffer = (uint8_t *)VFS_BUFFER_ADDRESS;
    return WG_ERR_OK;
}

void vfs_disconnect(void)
{
    if (!vfs.buffer)
        return;
    wg_asset_release(WG_SELF, vfs.map);
    wg_asset_release(WG_SELF, vfs.connection);
    vfs.buffer = NULL;
}

/* Copies `path` into a request's path field; NAME_TOO_LONG if it does not fit. */
static enum wg_error put_path(char *field, const char *path)
{
    if (!path)
        return WG_ERR_INVALID_ARGUMENT;
    return strlcpy(field, path, VFS_PATH_MAX + 1) > VFS_PATH_MAX ? WG_ERR_NAME_TOO_LONG : WG_ERR_OK;
}

/* The start of a path call: connected, and `path` copied into the request's `field`. */
static enum wg_error begin(char *field, const char *path)
{
    enum wg_error err = vfs_connect();
    return err == WG_ERR_OK ? put_path(field, path) : err;
}

wg_handle vfs_connection(void)
{
    return vfs.connection;
}

uint8_t *vfs_buffer(void)
{
    return vfs.buffer;
}

struct vfs_open_result vfs_open(const char *path, uint32_t flags, uint16_t mode)
{
    struct fs_open_request request = {.flags = flags, .mode = mode};
    struct fs_open_response response;
    enum wg_error err = begin(request.path, path);
    if (err == WG_ERR_OK)
        err = fs_open_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS);
    if (err != WG_ERR_OK)
        return (struct vfs_open_result){.err = err};
    return (struct vfs_open_result){WG_ERR_OK, response.file, response.stat};
}

enum wg_error vfs_stat(const char *path, bool follow, struct fs_stat *out)
{
    struct fs_stat_request request = {.follow = follow};
    struct fs_stat_response response;
    enum wg_error err = begin(request.path, path);
    if (err == WG_ERR_OK)
        err = fs_stat_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS);
    if (err == WG_ERR_OK)
        *out = response.stat;
    return err;
}

enum wg_error vfs_mkdir(const char *path, uint16_t mode)
{
    struct fs_mkdir_request request = {.mode = mode};
    struct fs_mkdir_response response;
    enum wg_error err = begin(request.path, path);
    return err == WG_ERR_OK ? fs_mkdir_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_unlink(const char *path)
{
    struct fs_unlink_request request;
    struct fs_unlink_response response;
    enum wg_error err = begin(request.path, path);
    return err == WG_ERR_OK ? fs_unlink_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_rmdir(const char *path)
{
    struct fs_rmdir_request request;
    struct fs_rmdir_response response;
    enum wg_error err = begin(request.path, path);
    return err == WG_ERR_OK ? fs_rmdir_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_statfs(const char *path, struct fs_stat_fs *out)
{
    struct fs_statfs_request request;
    struct fs_statfs_response response;
    enum wg_error err = begin(request.path, path);
    if (err == WG_ERR_OK)
        err = fs_statfs_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS);
    if (err == WG_ERR_OK)
        *out = response.info;
    return err;
}

enum wg_error vfs_rename(const char *from, const char *to)
{
    static struct fs_rename_request request; /* 8 KiB: not on a small stack */
    struct fs_rename_response response;
    enum wg_error err = begin(request.from, from);
    if (err == WG_ERR_OK)
        err = put_path(request.to, to);
    return err == WG_ERR_OK ? fs_rename_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_link(const char *existing, const char *path)
{
    static struct fs_link_request request; /* 8 KiB: not on a small stack */
    struct fs_link_response response;
    enum wg_error err = begin(request.existing, existing);
    if (err == WG_ERR_OK)
        err = put_path(request.new, path);
    return err == WG_ERR_OK ? fs_link_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_symlink(const char *target, const char *path)
{
    static struct fs_symlink_request request;
    struct fs_symlink_response response;
    enum wg_error err = begin(request.path, path);
    if (err == WG_ERR_OK)
        err = put_path(request.target, target);
    return err == WG_ERR_OK ? fs_symlink_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

struct wg_result vfs_readlink(const char *path, char *out, size_t size)
{
    static struct fs_readlink_request request;
    static struct fs_readlink_response response;
    enum wg_error err = begin(request.path, path);
    if (err == WG_ERR_OK)
        err = fs_readlink_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS);
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
    return err == WG_ERR_OK ? fs_sync_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_mount(const char *device, const char *path)
{
    struct vfs_mount_request request;
    struct vfs_mount_response response;
    enum wg_error err = begin(request.path, path);
    if (err == WG_ERR_OK &&
        strlcpy(request.device, device, sizeof request.device) >= sizeof request.device)
        err = WG_ERR_NAME_TOO_LONG;
    return err == WG_ERR_OK ? vfs_mount_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_unmount(const char *path)
{
    struct vfs_unmount_request request;
    struct vfs_unmount_response response;
    enum wg_error err = begin(request.path, path);
    return err == WG_ERR_OK ? vfs_unmount_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS)
                            : err;
}

enum wg_error vfs_mount_at(uint32_t index, struct vfs_mount_at_response *out)
{
    struct vfs_mount_at_request request = {.index = index};
    enum wg_error err = vfs_connect();
    return err == WG_ERR_OK ? vfs_mount_at_call(vfs.connection, &request, out, VFS_TIMEOUT_NS)
                            : err;
}
