/* The ext2 server's link calls: hard links, symbolic links and reading a symbolic link. The
 * work is the ext2 library's (ext2_link, ext2_symlink, ext2_readlink); paths are inside this
 * file system, as the VFS forwards them. */
#include <wingos.h>
#include "ext2fs.h"

enum wg_error ext2fs_link(void *context, struct idl_call *call,
                          const struct fs_link_request *request, struct fs_link_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    enum wg_error err;
    if (ext2fs_duplicate(request->client, request->seq, &err))
        return err;
    err = ext2fs_commit(ext2_link(ext2fs.fs, request->existing, request->new));
    return ext2fs_answered(request->client, request->seq, err);
}

enum wg_error ext2fs_symlink(void *context, struct idl_call *call,
                             const struct fs_symlink_request *request,
                             struct fs_symlink_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    enum wg_error err;
    if (ext2fs_duplicate(request->client, request->seq, &err))
        return err;
    err = ext2fs_commit(ext2_symlink(ext2fs.fs, request->target, request->path).err);
    return ext2fs_answered(request->client, request->seq, err);
}

enum wg_error ext2fs_readlink(void *context, struct idl_call *call,
                              const struct fs_readlink_request *request,
                              struct fs_readlink_response *response)
{
    (void)context;
    (void)call;
    struct ext2_ino_result node = ext2_lookup(ext2fs.fs, request->path);
    if (node.err != WG_ERR_OK)
        return node.err;
    return ext2_readlink(ext2fs.fs, node.ino, response->target, sizeof response->target).err;
}
