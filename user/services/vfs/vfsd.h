/* The VFS service: the mount table, path resolution across mount points, and the Fs and Vfs
 * protocols (idl/fs.idl) served to clients, forwarded to each file system's server (or to
 * the boot archive's read-only file system at /boot, served here). */
#pragma once

#include <fs_dedup.h>
#include <fs_idl.h>
#include <fs_session.h>
#include <svc_client.h>
#include <spawn.h>
#include <vfs_path.h>

#define MOUNTS_MAX         8
#define MOUNT_BUFFER_PAGES 64
#define MOUNT_BUFFER_SIZE  (MOUNT_BUFFER_PAGES * 4096u)
#define MOUNT_WINDOW       0x530000000000ull /* mount i's buffer at + i MiB */
#define MOUNT_TIMEOUT_NS   (30ull * 1000000000ull)
#define MOUNT_RESEND_MAX   8                       /* sends of one call to restarted servers */
#define MOUNT_REATTACH_NS  (10000ull * 1000000ull) /* waiting for a restarted server */
#define MOUNT_NAME_MAX     31
#define MOUNT_SVC_ENTRY    "fs" /* svcman's on-demand entry of the file-system servers */

struct mount {
    bool used, boot; /* boot: the boot archive (bootfs.c), no server */
    bool read_only;
    char path[VFS_PATH_MAX + 1];
    char device[16];
    char kind[16];
    char reason[81];
    struct wg_process process;     /* the file-system server, in a child space of ours ... */
    bool supervised;               /* ... or svcman's instance "fs-DEVICE" (restarted by it) */
    char name[MOUNT_NAME_MAX + 1]; /* the server's registered name */
    wg_handle connection, map;
    wg_handle pmem; /* the buffer, kept: each (re)attached server gets a copy */
    uint8_t *buffer;
    uint32_t reattaches; /* how many times a restarted server was attached again */
};

extern struct mount mounts[MOUNTS_MAX];

/* A path resolved: its mount, and the path inside that file system ("/" for its root). */
struct resolved {
    enum wg_error err;
    struct mount *mount;
    const char *rest;
    char path[VFS_PATH_MAX + 1]; /* the normal form rest points into */
};

/* Normalises `path` (absolute: INVALID_ARGUMENT otherwise) and finds the mount holding it
 * (the longest mount path it lies below); NOT_FOUND with no such mount. */
void mounts_resolve(const char *path, struct resolved *out);
/* mounts_resolve, and for a change (`change`) refusing the boot archive (READ_ONLY) and a
 * mount point (BUSY); the error, OK if none (paths.c). */
enum wg_error vfs_resolve(const char *path, bool change, struct resolved *out);
/* The same for a name to be made: the boot archive READ_ONLY, a mount point ALREADY_EXISTS. */
enum wg_error vfs_resolve_new(const char *path, struct resolved *out);
/* Starts an ext2 server on `device` and mounts it at `path` (normal). */
enum wg_error mounts_add_disk(const char *device, const char *path);
/* Mounts the boot archive read-only at `path`. */
enum wg_error mounts_add_boot(const char *path);
/* Unmounts the mount at exactly `path`: BUSY with open files or mounts below it. */
enum wg_error mounts_remove(const char *path);
uint32_t mounts_index(const struct mount *mount);
/* The mount's buffer sent to its server (a copy of m->pmem over m->connection). */
enum wg_error mounts_attach(struct mount *m);

/* After a call to m's server answered `err`: true if it should be sent again, because the
 * server ended (PEER_CLOSED) and its supervisor's new one is attached and has every file of
 * this mount open again (reattach.c); at most MOUNT_RESEND_MAX times (*attempt counts).
 * A call that was sent again may have been done by the dead server (fs_dedup_resent). */
bool mounts_again(struct mount *m, enum wg_error err, int *attempt);
/* mounts_again for a call on open `file`: false, with *err = STALE_HANDLE, when the file
 * could not be opened again (removed meanwhile). */
bool mounts_again_file(struct mount *m, struct fs_open_file *file, enum wg_error *err,
                       int *attempt);

/* Sending to mount m's server, one statement each; `err` gets the answer; `request` and
 * `response` are pointers. MOUNT_SEND: an idempotent `call` (a generated *_call), sent again
 * after the server's restart. MOUNT_SEND_ONCE: a call that is not idempotent, whose answer
 * after a resend is read as fs_dedup_resent(op) says. MOUNT_SEND_FILE: on open `file`, its
 * server number set in the request each time. */
#define MOUNT_SEND(m, call, request, response, err)                                 \
    do {                                                                            \
        int attempt_ = 0;                                                           \
        do                                                                          \
            (err) = call((m)->connection, (request), (response), MOUNT_TIMEOUT_NS); \
        while (mounts_again((m), (err), &attempt_));                                \
    } while (0)
#define MOUNT_SEND_ONCE(m, call, op, request, response, err)                        \
    do {                                                                            \
        int attempt_ = 0;                                                           \
        do                                                                          \
            (err) = call((m)->connection, (request), (response), MOUNT_TIMEOUT_NS); \
        while (mounts_again((m), (err), &attempt_));                                \
        (err) = attempt_ > 0 ? fs_dedup_resent((op), (err)) : (err);                \
    } while (0)
#define MOUNT_SEND_FILE(m, file, call, request, response, err)                      \
    do {                                                                            \
        int attempt_ = 0;                                                           \
        do {                                                                        \
            (request)->file = (uint32_t)(file)->other;                              \
            (err) = call((m)->connection, (request), (response), MOUNT_TIMEOUT_NS); \
        } while (mounts_again_file((m), (file), &(err), &attempt_));                \
    } while (0)

/* The boot archive file system (bootfs.c). */
enum wg_error bootfs_lookup(const char *rest, struct fs_stat *out);
enum wg_error bootfs_read(uint64_t node, uint64_t position, uint8_t *out, uint32_t length,
                          uint32_t *count);
enum wg_error bootfs_readdir(uint64_t cookie, uint8_t *out, uint32_t length,
                             struct fs_readdir_response *response);
void bootfs_statfs(struct fs_stat_fs *out);

/* The client's open file `id` with `rights` (FS_RIGHT_*), and its mount. */
enum wg_error vfs_client_file(const struct idl_call *call, uint32_t id, uint32_t rights,
                              struct fs_open_file **file, struct mount **m);
/* The client's buffer range [at, at + length), or NULL. */
uint8_t *vfs_client_range(const struct idl_call *call, uint64_t at, uint64_t length);

/* The handlers: files.c (attach, open, close, read, write), files_more.c (the other calls on
 * open files), paths.c (paths, sync, statfs, the Vfs protocol), links.c (links). */
#define VFS_HANDLER(method)                                                    \
    enum wg_error vfs_on_##method(void *context, struct idl_call *call,        \
                                  const struct fs_##method##_request *request, \
                                  struct fs_##method##_response *response)
VFS_HANDLER(attach);
VFS_HANDLER(open);
VFS_HANDLER(close);
VFS_HANDLER(read);
VFS_HANDLER(write);
VFS_HANDLER(fstat);
VFS_HANDLER(truncate);
VFS_HANDLER(fsync);
VFS_HANDLER(readdir);
VFS_HANDLER(stat);
VFS_HANDLER(mkdir);
VFS_HANDLER(unlink);
VFS_HANDLER(rmdir);
VFS_HANDLER(rename);
VFS_HANDLER(sync);
VFS_HANDLER(statfs);
VFS_HANDLER(link);
VFS_HANDLER(symlink);
VFS_HANDLER(readlink);
extern const struct vfs_handlers vfs_mount_handlers;
/* Closes the server-side file behind a client's open file (its session ended). */
void vfs_close_remote(struct fs_open_file *file, void *ctx);
