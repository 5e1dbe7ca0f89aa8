/* The ext2 server's operations on paths and on the whole file system: stat, mkdir, unlink,
 * rmdir, rename, sync, statfs, unmount. A removed inode makes the files open on it stale. */
#include <wingos.h>
#include "ext2fs.h"

enum wg_error ext2fs_stat_path(void *context, struct idl_call *call,
                               const struct fs_stat_request *request,
                               struct fs_stat_response *response)
{
    (void)context;
    (void)call;
    struct ext2_ino_result node = request->follow ? ext2_lookup_follow(ext2fs.fs, request->path)
                                                  : ext2_lookup(ext2fs.fs, request->path);
    return node.err == WG_ERR_OK ? ext2fs_stat(node.ino, &response->stat) : node.err;
}

enum wg_error ext2fs_mkdir(void *context, struct idl_call *call,
                           const struct fs_mkdir_request *request,
                           struct fs_mkdir_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    uint16_t mode = request->mode ? request->mode & 07777 : 0755;
    enum wg_error err;
    if (ext2fs_duplicate(request->client, request->seq, &err))
        return err;
    err = ext2fs_commit(ext2_mkdir(ext2fs.fs, request->path, mode).err);
    return ext2fs_answered(request->client, request->seq, err);
}

/* The inode `path` names without following a last symlink; 0 if none. */
static uint32_t inode_of(const char *path)
{
    struct ext2_ino_result node = ext2_lookup(ext2fs.fs, path);
    return node.err == WG_ERR_OK ? node.ino : 0;
}

/* Unlink and rmdir: a name removed once (a duplicate gets the first answer), and the open
 * files' table told if the node went with it. */
static enum wg_error remove_name(uint64_t client, uint64_t seq, const char *path,
                                 enum wg_error (*remove)(struct ext2_fs *, const char *))
{
    enum wg_error err;
    if (ext2fs_duplicate(client, seq, &err))
        return err;
    uint32_t ino = inode_of(path);
    err = ext2fs_commit(remove(ext2fs.fs, path));
    if (err == WG_ERR_OK)
        ext2fs_forget_if_gone(ino);
    return ext2fs_answered(client, seq, err);
}

enum wg_error ext2fs_unlink(void *context, struct idl_call *call,
                            const struct fs_unlink_request *request,
                            struct fs_unlink_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    return remove_name(request->client, request->seq, request->path, ext2_unlink);
}

enum wg_error ext2fs_rmdir(void *context, struct idl_call *call,
                           const struct fs_rmdir_request *request,
                           struct fs_rmdir_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    return remove_name(request->client, request->seq, request->path, ext2_rmdir);
}

enum wg_error ext2fs_rename(void *context, struct idl_call *call,
                            const struct fs_rename_request *request,
                            struct fs_rename_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    enum wg_error err;
    if (ext2fs_duplicate(request->client, request->seq, &err))
        return err;
    uint32_t replaced = inode_of(request->to);
    if (replaced == inode_of(request->from))
        replaced = 0; /* the same node under both names: nothing is removed */
    err = ext2fs_commit(ext2_rename(ext2fs.fs, request->from, request->to));
    if (err == WG_ERR_OK)
        ext2fs_forget_if_gone(replaced);
    return ext2fs_answered(request->client, request->seq, err);
}

enum wg_error ext2fs_sync(void *context, struct idl_call *call,
                          const struct fs_sync_request *request, struct fs_sync_response *response)
{
    (void)context;
    (void)call;
    (void)request;
    (void)response;
    return ext2_is_read_only(ext2fs.fs) ? WG_ERR_OK : ext2_sync(ext2fs.fs);
}

enum wg_error ext2fs_statfs(void *context, struct idl_call *call,
                            const struct fs_statfs_request *request,
                            struct fs_statfs_response *response)
{
    (void)context;
    (void)call;
    (void)request;
    struct ext2_statfs st;
    ext2_statfs(ext2fs.fs, &st);
    response->info = (struct fs_stat_fs){.block_size = st.block_size,
                                         .blocks = st.blocks,
                                         .free_blocks = st.free_blocks,
                                         .inodes = st.inodes,
                                         .free_inodes = st.free_inodes,
                                         .read_only = st.read_only};
    return WG_ERR_OK;
}

enum wg_error ext2fs_unmount(void *context, struct idl_call *call,
                             const struct fs_unmount_request *request,
                             struct fs_unmount_response *response)
{
    (void)context;
    (void)call;
    (void)request;
    (void)response;
    enum wg_error err = ext2_unmount(ext2fs.fs);
    ext2fs.fs = NULL;
    ext2fs.quit = true;
    printf("ext2fs: %s: unmounted%s%s\n", ext2fs.device, err ? ": " : "",
           err ? wg_error_name(err) : "");
    return err;
}
