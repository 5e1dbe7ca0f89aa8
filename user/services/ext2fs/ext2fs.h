/* The ext2 server's shared state and its parts of the Fs protocol: operations on open files
 * (files.c), directories (dirs.c), paths (paths.c) and links (links.c). */
#pragma once

#include <fs/ext2.h>
#include <fs_idl.h>
#include <fs_dedup.h>
#include <fs_session.h>

struct ext2fs {
    struct ext2_fs *fs;
    const char *device;
    bool quit; /* set by UNMOUNT: the server ends after answering */
};

extern struct ext2fs ext2fs;

/* The Fs.stat form of inode `ino`. */
enum wg_error ext2fs_stat(uint32_t ino, struct fs_stat *out);

/* Inode `ino` lost a link: if it is gone, every file open on it turns stale. */
void ext2fs_forget_if_gone(uint32_t ino);

/* Every change is written through before its answer (docs/fs.md#the-ext2-server): called
 * with a changing call's result, it writes what the call dirtied (ext2_commit) and returns
 * the call's error, else the write's. */
enum wg_error ext2fs_commit(enum wg_error err);

/* A call that is not idempotent: true with the cached answer in *err if (client, seq) was
 * done already (fs_dedup.h); ext2fs_answered remembers an answer and returns it. */
bool ext2fs_duplicate(uint64_t client, uint64_t seq, enum wg_error *err);
enum wg_error ext2fs_answered(uint64_t client, uint64_t seq, enum wg_error err);

/* The session of the call's connection; NULL if there is no slot (answer BUSY). */
struct fs_session *ext2fs_session(const struct idl_call *call);

/* Handlers (files.c). */
enum wg_error ext2fs_attach(void *context, struct idl_call *call,
                            const struct fs_attach_request *request,
                            struct fs_attach_response *response);
enum wg_error ext2fs_open(void *context, struct idl_call *call,
                          const struct fs_open_request *request, struct fs_open_response *response);
enum wg_error ext2fs_close(void *context, struct idl_call *call,
                           const struct fs_close_request *request,
                           struct fs_close_response *response);
enum wg_error ext2fs_read(void *context, struct idl_call *call,
                          const struct fs_read_request *request, struct fs_read_response *response);
enum wg_error ext2fs_write(void *context, struct idl_call *call,
                           const struct fs_write_request *request,
                           struct fs_write_response *response);
enum wg_error ext2fs_fstat(void *context, struct idl_call *call,
                           const struct fs_fstat_request *request,
                           struct fs_fstat_response *response);
enum wg_error ext2fs_truncate(void *context, struct idl_call *call,
                              const struct fs_truncate_request *request,
                              struct fs_truncate_response *response);
enum wg_error ext2fs_fsync(void *context, struct idl_call *call,
                           const struct fs_fsync_request *request,
                           struct fs_fsync_response *response);

/* Handlers (dirs.c). */
enum wg_error ext2fs_readdir(void *context, struct idl_call *call,
                             const struct fs_readdir_request *request,
                             struct fs_readdir_response *response);

/* Handlers (paths.c). */
enum wg_error ext2fs_stat_path(void *context, struct idl_call *call,
                               const struct fs_stat_request *request,
                               struct fs_stat_response *response);
enum wg_error ext2fs_mkdir(void *context, struct idl_call *call,
                           const struct fs_mkdir_request *request,
                           struct fs_mkdir_response *response);
enum wg_error ext2fs_unlink(void *context, struct idl_call *call,
                            const struct fs_unlink_request *request,
                            struct fs_unlink_response *response);
enum wg_error ext2fs_rmdir(void *context, struct idl_call *call,
                           const struct fs_rmdir_request *request,
                           struct fs_rmdir_response *response);
enum wg_error ext2fs_rename(void *context, struct idl_call *call,
                            const struct fs_rename_request *request,
                            struct fs_rename_response *response);
enum wg_error ext2fs_sync(void *context, struct idl_call *call,
                          const struct fs_sync_request *request, struct fs_sync_response *response);
enum wg_error ext2fs_statfs(void *context, struct idl_call *call,
                            const struct fs_statfs_request *request,
                            struct fs_statfs_response *response);
enum wg_error ext2fs_unmount(void *context, struct idl_call *call,
                             const struct fs_unmount_request *request,
                             struct fs_unmount_response *response);

/* Handlers (links.c). */
enum wg_error ext2fs_link(void *context, struct idl_call *call,
                          const struct fs_link_request *request, struct fs_link_response *response);
enum wg_error ext2fs_symlink(void *context, struct idl_call *call,
                             const struct fs_symlink_request *request,
                             struct fs_symlink_response *response);
enum wg_error ext2fs_readlink(void *context, struct idl_call *call,
                              const struct fs_readlink_request *request,
                              struct fs_readlink_response *response);
