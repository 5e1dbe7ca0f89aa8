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

/* The answer of a call that is not idempotent, `attempt` sends after the first. */
static enum wg_error once(enum fs_dedup_op op, enum wg_error err, int attempt)
{
    return attempt > 0 ? fs_dedup_resent(op, err) : err;
}

/* Sends the open and keeps the file: `request` filled but for client and seq. */
static enum wg_error open_call(struct fs_open_request *request, struct fs_open_response *out)
{
    bool exclusive =
        (request->flags & FS_OPEN_FLAGS_CREATE) && (request->flags & FS_OPEN_FLAGS_EXCLUSIVE);
    request->client = exclusive ? vfs_client_id() : 0;
    request->seq = exclusive ? vfs_next_seq() : 0;
    enum wg_error err;
    int attempt = 0;
    do
        err = fs_open_call(vfs_connection(), request, out, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    if (exclusive && once(FS_DEDUP_MAKE, err, attempt) == WG_ERR_OK && err != WG_ERR_OK) {
        request->flags &= ~FS_OPEN_FLAGS_EXCLUSIVE; /* our first sending made it */
        err = fs_open_call(vfs_connection(), request, out, VFS_TIMEOUT_NS);
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
    enum wg_error err = vfs_begin_path(request.path, path);
    size_t length = err == WG_ERR_OK ? strlen(request.path) + 1 : 0;
    if (err == WG_ERR_OK && !(file = vfs_file_new(&id)))
        err = WG_ERR_BUSY;
    if (err == WG_ERR_OK && !(file->path = malloc(length)))
        err = WG_ERR_NO_MEMORY;
    if (err == WG_ERR_OK) {
        memcpy(file->path, request.path, length);
        err = open_call(&request, &response);
    }
    if (err != WG_ERR_OK) {
        if (file)
            vfs_file_free(file);
        return (struct vfs_open_result){.err = err};
    }
    file->remote = response.file;
    file->flags = flags;
    file->node = response.stat.inode;
    return (struct vfs_open_result){WG_ERR_OK, id, response.stat};
}

enum wg_error vfs_stat(const char *path, bool follow, struct fs_stat *out)
{
    struct fs_stat_request request = {.follow = follow};
    struct fs_stat_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    int attempt = 0;
    while (err == WG_ERR_OK) {
        err = fs_stat_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
        if (!vfs_again(err, &attempt))
            break;
    }
    if (err == WG_ERR_OK)
        *out = response.stat;
    return err;
}

enum wg_error vfs_mkdir(const char *path, uint16_t mode)
{
    struct fs_mkdir_request request = {.mode = mode};
    struct fs_mkdir_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    if (err != WG_ERR_OK)
        return err;
    request.client = vfs_client_id();
    request.seq = vfs_next_seq();
    int attempt = 0;
    do
        err = fs_mkdir_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    return once(FS_DEDUP_MAKE, err, attempt);
}

enum wg_error vfs_unlink(const char *path)
{
    struct fs_unlink_request request;
    struct fs_unlink_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    if (err != WG_ERR_OK)
        return err;
    request.client = vfs_client_id();
    request.seq = vfs_next_seq();
    int attempt = 0;
    do
        err = fs_unlink_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    return once(FS_DEDUP_REMOVE, err, attempt);
}

enum wg_error vfs_rmdir(const char *path)
{
    struct fs_rmdir_request request;
    struct fs_rmdir_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    if (err != WG_ERR_OK)
        return err;
    request.client = vfs_client_id();
    request.seq = vfs_next_seq();
    int attempt = 0;
    do
        err = fs_rmdir_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    return once(FS_DEDUP_REMOVE, err, attempt);
}

enum wg_error vfs_statfs(const char *path, struct fs_stat_fs *out)
{
    struct fs_statfs_request request;
    struct fs_statfs_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    int attempt = 0;
    while (err == WG_ERR_OK) {
        err = fs_statfs_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
        if (!vfs_again(err, &attempt))
            break;
    }
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
    if (err != WG_ERR_OK)
        return err;
    request.client = vfs_client_id();
    request.seq = vfs_next_seq();
    int attempt = 0;
    do
        err = fs_rename_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    return once(FS_DEDUP_REMOVE, err, attempt);
}

enum wg_error vfs_link(const char *existing, const char *path)
{
    static struct fs_link_request request; /* 8 KiB: not on a small stack */
    struct fs_link_response response;
    enum wg_error err = vfs_begin_path(request.existing, existing);
    if (err == WG_ERR_OK)
        err = vfs_put_path(request.new, path);
    if (err != WG_ERR_OK)
        return err;
    request.client = vfs_client_id();
    request.seq = vfs_next_seq();
    int attempt = 0;
    do
        err = fs_link_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    return once(FS_DEDUP_MAKE, err, attempt);
}

enum wg_error vfs_symlink(const char *target, const char *path)
{
    static struct fs_symlink_request request;
    struct fs_symlink_response response;
    enum wg_error err = vfs_begin_path(request.path, path);
    if (err == WG_ERR_OK)
        err = vfs_put_path(request.target, target);
    if (err != WG_ERR_OK)
        return err;
    request.client = vfs_client_id();
    request.seq = vfs_next_seq();
    int attempt = 0;
    do
        err = fs_symlink_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    while (vfs_again(err, &attempt));
    return once(FS_DEDUP_MAKE, err, attempt);
}
