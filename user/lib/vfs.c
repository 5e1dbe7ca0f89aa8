/* The VFS client's calls on paths (vfs.h): each sent again after the VFS's restart
 * (vfs_again); the ones that are not idempotent carry our client id and a sequence number,
 * and one that was sent again reads an error that its first sending's success would leave
 * as success (fs_dedup_resent: a restarted file-system server forgot the first answer). */
#include <wingos.h>
#include <fs_dedup.h>
#include "vfs.h"

enum wg_error vfs_put_path(char *field, const char *path)
{
    if (!path)
        return WG_ERR_INVALID_ARGUMENT;
    return strlcpy(field, path, VFS_PATH_MAX + 1) > VFS_PATH_MAX ? WG_ERR_NAME_TOO_LONG : WG_ERR_OK;
}

enum wg_error vfs_begin_path(char *field, const char *path)
{
    enum wg_error err = vfs_connect();
    return err == WG_ERR_OK ? vfs_put_path(field, path) : err;
}

/* Sends the open: `request` filled but for client and seq (an exclusive create's only). */
static enum wg_error open_call(struct fs_open_request *request, struct fs_open_response *out)
{
    enum wg_error err = WG_ERR_OK;
    *out = (struct fs_open_response){0}; /* file 0: no answer from a server */
    if (!(request->flags & FS_OPEN_FLAGS_CREATE) || !(request->flags & FS_OPEN_FLAGS_EXCLUSIVE)) {
        VFS_SEND(fs_open_call, *request, *out, err);
        return err;
    }
    VFS_SEND_ONCE(fs_open_call, FS_DEDUP_MAKE, *request, *out, err);
    if (err == WG_ERR_OK && out->file == 0) { /* a resend met ALREADY_EXISTS: we made it */
        request->flags &= ~FS_OPEN_FLAGS_EXCLUSIVE;
        VFS_SEND(fs_open_call, *request, *out, err);
    }
    return err;
}

struct vfs_open_result vfs_open(const char *path, uint32_t flags, uint16_t mode)
{
    static struct fs_open_request request;
    struct fs_open_response response;
    request = (struct fs_open_request){.flags = flags, .mode = mode};
    uint32_t id = 0;
    struct vfs_file *file = NULL;
    char *copy = NULL; /* the file's path once open: a reconnection meanwhile skips it */
    enum wg_error err = vfs_begin_path(request.path, path);
    size_t length = err == WG_ERR_OK ? strlen(request.path) + 1 : 0;
    if (err == WG_ERR_OK && !(file = vfs_file_new(&id)))
        err = WG_ERR_BUSY;
    if (err == WG_ERR_OK && !(copy = malloc(length)))
        err = WG_ERR_NO_MEMORY;
    if (err == WG_ERR_OK) {
        memcpy(copy, request.path, length);
        err = open_call(&request, &response);
    }
    if (err != WG_ERR_OK) {
        free(copy);
        if (file)
            vfs_file_free(file);
        return (struct vfs_open_result){.err = err};
    }
    *file = (struct vfs_file){.used = true,
                              .remote = response.file,
                              .flags = flags,
                              .node = response.stat.inode,
                              .path = copy};
    return (struct vfs_open_result){WG_ERR_OK, id, response.stat};
}

enum wg_error vfs_stat(const char *path, bool follow, struct fs_stat *out)
{
    struct fs_stat_request request = {.follow = follow};
    struct fs_stat_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND(fs_stat_call, request, response, err);
    if (err == WG_ERR_OK)
        *out = response.stat;
    return err;
}

enum wg_error vfs_mkdir(const char *path, uint16_t mode)
{
    struct fs_mkdir_request request = {.mode = mode};
    struct fs_mkdir_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND_ONCE(fs_mkdir_call, FS_DEDUP_MAKE, request, response, err);
    return err;
}

enum wg_error vfs_unlink(const char *path)
{
    struct fs_unlink_request request;
    struct fs_unlink_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND_ONCE(fs_unlink_call, FS_DEDUP_REMOVE, request, response, err);
    return err;
}

enum wg_error vfs_rmdir(const char *path)
{
    struct fs_rmdir_request request;
    struct fs_rmdir_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND_ONCE(fs_rmdir_call, FS_DEDUP_REMOVE, request, response, err);
    return err;
}

enum wg_error vfs_statfs(const char *path, struct fs_stat_fs *out)
{
    struct fs_statfs_request request;
    struct fs_statfs_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    VFS_SEND(fs_statfs_call, request, response, err);
    if (err == WG_ERR_OK)
        *out = response.info;
    return err;
}

enum wg_error vfs_rename(const char *from, const char *to)
{
    static struct fs_rename_request request; /* 8 KiB: not on a small stack */
    struct fs_rename_response response;
    enum wg_error err = vfs_begin_path(request.from, from);
    if (err == WG_ERR_OK)
        err = vfs_put_path(request.to, to);
    VFS_SEND_ONCE(fs_rename_call, FS_DEDUP_REMOVE, request, response, err);
    return err;
}

enum wg_error vfs_link(const char *existing, const char *path)
{
    static struct fs_link_request request; /* 8 KiB: not on a small stack */
    struct fs_link_response response;
    enum wg_error err = vfs_begin_path(request.existing, existing);
    if (err == WG_ERR_OK)
        err = vfs_put_path(request.new, path);
    VFS_SEND_ONCE(fs_link_call, FS_DEDUP_MAKE, request, response, err);
    return err;
}

enum wg_error vfs_symlink(const char *target, const char *path)
{
    static struct fs_symlink_request request;
    struct fs_symlink_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    if (err == WG_ERR_OK)
        err = vfs_put_path(request.target, target);
    VFS_SEND_ONCE(fs_symlink_call, FS_DEDUP_MAKE, request, response, err);
    return err;
}
