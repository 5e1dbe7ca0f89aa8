/* The VFS's link calls, forwarded to the file system holding the paths: a hard link needs
 * both names on one mount (NOT_SUPPORTED otherwise, like a rename); the boot archive has no
 * links and takes none (READ_ONLY). Symbolic link targets are stored as given and resolved by
 * the file system server inside its own file system. */
#include <wingos.h>
#include "vfsd.h"

static struct resolved from, to;

VFS_HANDLER(link)
{
    (void)context;
    (void)call;
    static struct fs_link_request forward; /* 8 KiB: not on the stack */
    enum wg_error err = vfs_resolve(request->existing, false, &from);
    if (err == WG_ERR_OK)
        err = vfs_resolve_new(request->new, &to);
    if (err == WG_ERR_OK && from.mount != to.mount)
        err = WG_ERR_NOT_SUPPORTED; /* a hard link cannot span two file systems */
    if (err != WG_ERR_OK)
        return err;
    forward.client = request->client;
    forward.seq = request->seq;
    strlcpy(forward.existing, from.rest, sizeof forward.existing);
    strlcpy(forward.new, to.rest, sizeof forward.new);
    MOUNT_SEND_ONCE(from.mount, fs_link_call, FS_DEDUP_MAKE, &forward, response, err);
    return err;
}

VFS_HANDLER(symlink)
{
    (void)context;
    (void)call;
    static struct fs_symlink_request forward;
    enum wg_error err = vfs_resolve_new(request->path, &to);
    if (err != WG_ERR_OK)
        return err;
    forward.client = request->client;
    forward.seq = request->seq;
    strlcpy(forward.target, request->target, sizeof forward.target);
    strlcpy(forward.path, to.rest, sizeof forward.path);
    MOUNT_SEND_ONCE(to.mount, fs_symlink_call, FS_DEDUP_MAKE, &forward, response, err);
    return err;
}

VFS_HANDLER(readlink)
{
    (void)context;
    (void)call;
    static struct fs_readlink_request forward;
    struct fs_stat st;
    enum wg_error err = vfs_resolve(request->path, false, &from);
    if (err == WG_ERR_OK && from.mount->boot) {
        err = bootfs_lookup(from.rest, &st);
        return err == WG_ERR_OK ? WG_ERR_INVALID_ARGUMENT : err; /* no symbolic links there */
    }
    if (err != WG_ERR_OK)
        return err;
    strlcpy(forward.path, from.rest, sizeof forward.path);
    MOUNT_SEND(from.mount, fs_readlink_call, &forward, response, err);
    return err;
}
