/* The VFS's other calls on open files: fstat, truncate, fsync, readdir, forwarded to the
 * file's server with the server's file number (boot archive files: answered here), again
 * after the server's restart (mounts_again_file). */
#include <wingos.h>
#include "vfsd.h"

/* The stat of a boot archive file by its node. */
static enum wg_error stat_boot(uint64_t node, struct fs_stat *out)
{
    char name[WG_EXEC_NAME_MAX + 2] = "/";
    if (node == 1)
        return bootfs_lookup("/", out);
    if (!wg_ok(wg_archive_list(name + 1, sizeof name - 1, node - 2)))
        return WG_ERR_STALE_HANDLE;
    return bootfs_lookup(name, out);
}

enum wg_error vfs_on_fstat(void *context, struct idl_call *call,
                           const struct fs_fstat_request *request,
                           struct fs_fstat_response *response)
{
    (void)context;
    struct fs_open_file *file;
    struct mount *m;
    enum wg_error err = vfs_client_file(call, request->file, 0, &file, &m);
    if (err != WG_ERR_OK || m->boot)
        return err != WG_ERR_OK ? err : stat_boot(file->node, &response->stat);
    struct fs_fstat_request forward;
    MOUNT_SEND_FILE(m, file, fs_fstat_call, &forward, response, err);
    return err;
}

enum wg_error vfs_on_truncate(void *context, struct idl_call *call,
                              const struct fs_truncate_request *request,
                              struct fs_truncate_response *response)
{
    (void)context;
    struct fs_open_file *file;
    struct mount *m;
    enum wg_error err = vfs_client_file(call, request->file, FS_RIGHT_WRITE, &file, &m);
    if (err != WG_ERR_OK || m->boot)
        return err != WG_ERR_OK ? err : WG_ERR_READ_ONLY;
    struct fs_truncate_request forward = {0, request->size};
    MOUNT_SEND_FILE(m, file, fs_truncate_call, &forward, response, err);
    return err;
}

enum wg_error vfs_on_fsync(void *context, struct idl_call *call,
                           const struct fs_fsync_request *request,
                           struct fs_fsync_response *response)
{
    (void)context;
    struct fs_open_file *file;
    struct mount *m;
    enum wg_error err = vfs_client_file(call, request->file, 0, &file, &m);
    if (err != WG_ERR_OK || m->boot)
        return err;
    struct fs_fsync_request forward;
    MOUNT_SEND_FILE(m, file, fs_fsync_call, &forward, response, err);
    return err;
}

enum wg_error vfs_on_readdir(void *context, struct idl_call *call,
                             const struct fs_readdir_request *request,
                             struct fs_readdir_response *response)
{
    (void)context;
    struct fs_open_file *file;
    struct mount *m;
    enum wg_error err = vfs_client_file(call, request->file, FS_RIGHT_READ, &file, &m);
    uint8_t *out = err == WG_ERR_OK ? vfs_client_range(call, request->at, request->length) : NULL;
    if (err == WG_ERR_OK && !out)
        err = WG_ERR_BAD_ADDRESS;
    if (err == WG_ERR_OK && file->type != FS_NODE_TYPE_DIRECTORY)
        err = WG_ERR_NOT_DIRECTORY;
    if (err != WG_ERR_OK || m->boot)
        return err != WG_ERR_OK ? err
                                : bootfs_readdir(request->cookie, out, request->length, response);
    uint32_t length = request->length < MOUNT_BUFFER_SIZE ? request->length : MOUNT_BUFFER_SIZE;
    struct fs_readdir_request forward = {0, request->cookie, 0, length};
    MOUNT_SEND_FILE(m, file, fs_readdir_call, &forward, response, err);
    if (err == WG_ERR_OK && response->bytes > length)
        err = WG_ERR_BAD_FORMAT;
    if (err == WG_ERR_OK)
        memcpy(out, m->buffer, response->bytes);
    return err;
}
