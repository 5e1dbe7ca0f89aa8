/* The VFS's calls on paths (resolved to a mount, forwarded with the path inside it), sync
 * and statfs, and the Vfs protocol: mount, unmount, mount_at. A mount point itself cannot be
 * removed or renamed (BUSY); a rename across mounts is NOT_SUPPORTED. */
#include <wingos.h>
#include "vfsd.h"

static struct resolved where, other;

enum wg_error vfs_resolve(const char *path, bool change, struct resolved *out)
{
    mounts_resolve(path, out);
    if (out->err == WG_ERR_OK && change && out->mount->boot)
        return WG_ERR_READ_ONLY;
    if (out->err == WG_ERR_OK && change && strcmp(out->rest, "/") == 0)
        return WG_ERR_BUSY;
    return out->err;
}

enum wg_error vfs_resolve_new(const char *path, struct resolved *out)
{
    mounts_resolve(path, out);
    if (out->err == WG_ERR_OK && out->mount->boot)
        return WG_ERR_READ_ONLY;
    if (out->err == WG_ERR_OK && strcmp(out->rest, "/") == 0)
        return WG_ERR_ALREADY_EXISTS; /* a mount point */
    return out->err;
}

enum wg_error vfs_on_stat(void *context, struct idl_call *call,
                          const struct fs_stat_request *request, struct fs_stat_response *response)
{
    (void)context;
    (void)call;
    static struct fs_stat_request forward;
    enum wg_error err = vfs_resolve(request->path, false, &where);
    if (err != WG_ERR_OK || where.mount->boot)
        return err != WG_ERR_OK ? err : bootfs_lookup(where.rest, &response->stat);
    forward.follow = request->follow;
    strlcpy(forward.path, where.rest, sizeof forward.path);
    MOUNT_SEND(where.mount, fs_stat_call, &forward, response, err);
    return err;
}

enum wg_error vfs_on_mkdir(void *context, struct idl_call *call,
                           const struct fs_mkdir_request *request,
                           struct fs_mkdir_response *response)
{
    (void)context;
    (void)call;
    static struct fs_mkdir_request forward;
    enum wg_error err = vfs_resolve_new(request->path, &where);
    if (err != WG_ERR_OK)
        return err;
    forward = *request;
    strlcpy(forward.path, where.rest, sizeof forward.path);
    MOUNT_SEND_ONCE(where.mount, fs_mkdir_call, FS_DEDUP_MAKE, &forward, response, err);
    return err;
}

enum wg_error vfs_on_unlink(void *context, struct idl_call *call,
                            const struct fs_unlink_request *request,
                            struct fs_unlink_response *response)
{
    (void)context;
    (void)call;
    static struct fs_unlink_request forward;
    enum wg_error err = vfs_resolve(request->path, true, &where);
    if (err != WG_ERR_OK)
        return err;
    forward = *request;
    strlcpy(forward.path, where.rest, sizeof forward.path);
    MOUNT_SEND_ONCE(where.mount, fs_unlink_call, FS_DEDUP_REMOVE, &forward, response, err);
    return err;
}

enum wg_error vfs_on_rmdir(void *context, struct idl_call *call,
                           const struct fs_rmdir_request *request,
                           struct fs_rmdir_response *response)
{
    (void)context;
    (void)call;
    static struct fs_rmdir_request forward;
    enum wg_error err = vfs_resolve(request->path, true, &where);
    if (err != WG_ERR_OK)
        return err;
    forward = *request;
    strlcpy(forward.path, where.rest, sizeof forward.path);
    MOUNT_SEND_ONCE(where.mount, fs_rmdir_call, FS_DEDUP_REMOVE, &forward, response, err);
    return err;
}

enum wg_error vfs_on_rename(void *context, struct idl_call *call,
                            const struct fs_rename_request *request,
                            struct fs_rename_response *response)
{
    (void)context;
    (void)call;
    static struct fs_rename_request forward;
    enum wg_error err = vfs_resolve(request->from, true, &where);
    if (err == WG_ERR_OK)
        err = vfs_resolve(request->to, true, &other);
    if (err == WG_ERR_OK && where.mount != other.mount)
        err = WG_ERR_NOT_SUPPORTED; /* a copy, not a rename */
    if (err != WG_ERR_OK)
        return err;
    forward.client = request->client;
    forward.seq = request->seq;
    strlcpy(forward.from, where.rest, sizeof forward.from);
    strlcpy(forward.to, other.rest, sizeof forward.to);
    MOUNT_SEND_ONCE(where.mount, fs_rename_call, FS_DEDUP_REMOVE, &forward, response, err);
    return err;
}

enum wg_error vfs_on_sync(void *context, struct idl_call *call,
                          const struct fs_sync_request *request, struct fs_sync_response *response)
{
    (void)context;
    (void)call;
    enum wg_error first = WG_ERR_OK;
    for (unsigned i = 0; i < MOUNTS_MAX; i++) {
        if (!mounts[i].used || mounts[i].boot)
            continue;
        enum wg_error err;
        MOUNT_SEND(&mounts[i], fs_sync_call, request, response, err);
        first = first == WG_ERR_OK ? err : first;
    }
    return first;
}

enum wg_error vfs_on_statfs(void *context, struct idl_call *call,
                            const struct fs_statfs_request *request,
                            struct fs_statfs_response *response)
{
    (void)context;
    (void)call;
    static struct fs_statfs_request forward = {.path = "/"};
    enum wg_error err = vfs_resolve(request->path, false, &where);
    if (err == WG_ERR_OK && where.mount->boot)
        bootfs_statfs(&response->info);
    if (err != WG_ERR_OK || where.mount->boot)
        return err;
    MOUNT_SEND(where.mount, fs_statfs_call, &forward, response, err);
    return err;
}

static enum wg_error on_mount(void *context, struct idl_call *call,
                              const struct vfs_mount_request *request,
                              struct vfs_mount_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    struct fs_stat_request probe = {.follow = true};
    struct fs_stat_response st;
    if (request->device[0] == '\0')
        return WG_ERR_INVALID_ARGUMENT;
    strlcpy(probe.path, request->path, sizeof probe.path);
    mounts_resolve(request->path, &other);
    enum wg_error err = other.err;
    if (err == WG_ERR_NOT_FOUND && strcmp(other.path, "/") == 0)
        return mounts_add_disk(request->device, "/"); /* no root yet */
    if (err == WG_ERR_OK)
        err = vfs_on_stat(NULL, call, &probe, &st);
    if (err == WG_ERR_OK && st.stat.type != FS_NODE_TYPE_DIRECTORY)
        err = WG_ERR_NOT_DIRECTORY;
    return err == WG_ERR_OK ? mounts_add_disk(request->device, other.path) : err;
}

static enum wg_error on_unmount(void *context, struct idl_call *call,
                                const struct vfs_unmount_request *request,
                                struct vfs_unmount_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    mounts_resolve(request->path, &other);
    if (other.err != WG_ERR_OK && other.err != WG_ERR_NOT_FOUND)
        return other.err;
    return mounts_remove(other.path);
}

static enum wg_error on_mount_at(void *context, struct idl_call *call,
                                 const struct vfs_mount_at_request *request,
                                 struct vfs_mount_at_response *response)
{
    (void)context;
    (void)call;
    uint32_t seen = 0;
    for (unsigned i = 0; i < MOUNTS_MAX; i++) {
        const struct mount *m = &mounts[i];
        if (!m->used || seen++ != request->index)
            continue;
        strlcpy(response->path, m->path, sizeof response->path);
        strlcpy(response->device, m->device, sizeof response->device);
        strlcpy(response->kind, m->kind, sizeof response->kind);
        strlcpy(response->reason, m->reason, sizeof response->reason);
        response->read_only = m->read_only;
        return WG_ERR_OK;
    }
    return WG_ERR_NOT_FOUND;
}

const struct vfs_handlers vfs_mount_handlers = {
    .mount = on_mount,
    .unmount = on_unmount,
    .mount_at = on_mount_at,
};
