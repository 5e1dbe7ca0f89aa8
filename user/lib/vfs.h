/* The client side of the VFS (idl/fs.idl, served by user/services/vfs as "vfs"). Paths are
 * absolute (vfs_path_normal makes them from a working directory). One connection per
 * process, made at the first call, with a shared buffer of VFS_BUFFER_SIZE bytes attached
 * once: data moves through it, never through messages. Not for several tasks at once.
 *
 * The client survives the VFS's restart (vfs_conn.c): each open file's path, open flags and
 * offset live here, reads and writes name their offset, calls that are not idempotent carry
 * our client id and a sequence number, and a call that meets PEER_CLOSED is sent again on a
 * new connection (docs/services.md#transparent-recovery). */
#pragma once

#include <fs_idl.h>
#include "fs_dedup.h"
#include "fs_dirent.h"
#include "spawn.h"
#include "vfs_path.h"

#define VFS_SERVICE        "vfs"
#define VFS_BUFFER_PAGES   64
#define VFS_BUFFER_SIZE    (VFS_BUFFER_PAGES * 4096u)
#define VFS_BUFFER_ADDRESS 0x450000000000ull /* where the shared buffer is mapped */
#define VFS_IMAGE_ADDRESS  0x460000000000ull /* where vfs_spawn reads a program */
#define VFS_TIMEOUT_NS     (60ull * 1000000000ull)
#define VFS_RESEND_MAX     8                       /* sends of one call after the first */
#define VFS_RECONNECT_NS   (10000ull * 1000000ull) /* waiting for a restarted VFS */
#define VFS_FILES_MAX      64

/* An open file as the client keeps it: enough to open it again on a restarted VFS. */
struct vfs_file {
    bool used;
    bool lost;       /* could not be opened again (removed meanwhile): STALE_HANDLE */
    uint32_t remote; /* the VFS's file number on the current connection */
    uint32_t flags;  /* the open flags */
    uint64_t offset; /* where the next read or write goes */
    uint64_t node;   /* its inode: a reopen that finds another is lost */
    char *path;      /* absolute (malloc'd) */
};

struct vfs_open_result {
    enum wg_error err;
    uint32_t file;
    struct fs_stat stat;
};

/* Connects (if not yet) and attaches the buffer; NOT_FOUND when there is no VFS. */
enum wg_error vfs_connect(void);
/* The connection and the mapped buffer (vfs_file.c); valid after vfs_connect. */
wg_handle vfs_connection(void);
uint8_t *vfs_buffer(void);
/* Closes the connection (the VFS closes every file left open) and forgets our files. */
void vfs_disconnect(void);
/* Reconnections after the VFS's end so far (tests). */
uint32_t vfs_reconnects(void);
/* The VFS's file number of our file `file` on the current connection (raw calls, tests). */
uint32_t vfs_file_remote(uint32_t file);

/* The library's own (vfs_conn.c): our id and the next sequence number for calls that are
 * not idempotent; the file table; and vfs_again, the resend rule: after a call answered
 * `err`, true if it should be sent again (PEER_CLOSED, and a new connection is ready with
 * every file open again), at most VFS_RESEND_MAX times (*attempt counts). vfs_again_file
 * is false with STALE_HANDLE in *err when `file` could not be opened again. */
uint64_t vfs_client_id(void);
uint64_t vfs_next_seq(void);
/* Copies `path` into a request's path field; NAME_TOO_LONG if it does not fit. */
enum wg_error vfs_put_path(char *field, const char *path);
/* The start of a path call: connected, and `path` copied into the request's `field`. */
enum wg_error vfs_begin_path(char *field, const char *path);
struct vfs_file *vfs_file_new(uint32_t *id);
struct vfs_file *vfs_file_get(uint32_t id);
void vfs_file_free(struct vfs_file *file);
bool vfs_again(enum wg_error err, int *attempt);
bool vfs_again_file(struct vfs_file *file, enum wg_error *err, int *attempt);

/* The library's sending rules, one statement each; `err` holds the call's answer after, and
 * nothing is sent unless it is OK before. VFS_SEND: an idempotent `call` (a generated
 * *_call function), sent again after the VFS's restart. VFS_SEND_FILE: the same on open
 * `file` (its current number set in the request each time). VFS_SEND_ONCE: a call that is
 * not idempotent, with our client id and the next sequence number; after a resend its
 * answer is read as fs_dedup_resent(op) says. */
#define VFS_SEND(call, request, response, err)                                           \
    do {                                                                                 \
        int attempt_ = 0;                                                                \
        if ((err) == WG_ERR_OK)                                                          \
            do                                                                           \
                (err) = call(vfs_connection(), &(request), &(response), VFS_TIMEOUT_NS); \
            while (vfs_again((err), &attempt_));                                         \
    } while (0)
#define VFS_SEND_FILE(call, file, request, response, err)                                \
    do {                                                                                 \
        int attempt_ = 0;                                                                \
        if ((err) == WG_ERR_OK)                                                          \
            do {                                                                         \
                (request).file = (file)->remote;                                         \
                (err) = call(vfs_connection(), &(request), &(response), VFS_TIMEOUT_NS); \
            } while (vfs_again_file((file), &(err), &attempt_));                         \
    } while (0)
#define VFS_SEND_ONCE(call, op, request, response, err)                                  \
    do {                                                                                 \
        int attempt_ = 0;                                                                \
        (request).client = vfs_client_id();                                              \
        (request).seq = vfs_next_seq();                                                  \
        if ((err) == WG_ERR_OK)                                                          \
            do                                                                           \
                (err) = call(vfs_connection(), &(request), &(response), VFS_TIMEOUT_NS); \
            while (vfs_again((err), &attempt_));                                         \
        (err) = attempt_ > 0 ? fs_dedup_resent((op), (err)) : (err);                     \
    } while (0)

/* FS_OPEN_FLAGS_* `flags`; `mode` the permissions of a file it creates. */
struct vfs_open_result vfs_open(const char *path, uint32_t flags, uint16_t mode);
enum wg_error vfs_close(uint32_t file);
/* Up to `length` bytes at the file's offset (fewer only at the end), which moves on; the
 * count in value. */
struct wg_result vfs_read(uint32_t file, void *buf, size_t length);
/* All `length` bytes at the offset (with APPEND: at the size, asked first) unless the disk
 * fills (a short count, or NO_SPACE if none). */
struct wg_result vfs_write(uint32_t file, const void *buf, size_t length);
/* Moves the file's offset (kept here; END asks the size): the new offset in value;
 * INVALID_ARGUMENT before the start, OUT_OF_RANGE past 2^64. */
struct wg_result vfs_seek(uint32_t file, int64_t offset, uint8_t whence);
enum wg_error vfs_fstat(uint32_t file, struct fs_stat *out);
enum wg_error vfs_stat(const char *path, bool follow, struct fs_stat *out);
enum wg_error vfs_truncate(uint32_t file, uint64_t size);
enum wg_error vfs_fsync(uint32_t file);
enum wg_error vfs_mkdir(const char *path, uint16_t mode);
enum wg_error vfs_unlink(const char *path);
enum wg_error vfs_rmdir(const char *path);
enum wg_error vfs_rename(const char *from, const char *to);
/* A hard link `path` to the existing non-directory `existing` (one mount for both). */
enum wg_error vfs_link(const char *existing, const char *path);
/* A symbolic link at `path` holding `target` (relative to the link's directory, or absolute
 * inside the link's own file system). */
enum wg_error vfs_symlink(const char *target, const char *path);
/* The target of the symbolic link `path` into `out` (`size` bytes, NUL-terminated); its
 * length in value. OUT_OF_RANGE if it does not fit, INVALID_ARGUMENT if not a symlink. */
struct wg_result vfs_readlink(const char *path, char *out, size_t size);
enum wg_error vfs_sync(void);
enum wg_error vfs_statfs(const char *path, struct fs_stat_fs *out);
enum wg_error vfs_mount(const char *device, const char *path);
enum wg_error vfs_unmount(const char *path);
/* The index-th mount; NOT_FOUND past the last. */
enum wg_error vfs_mount_at(uint32_t index, struct vfs_mount_at_response *out);

/* Reading a directory in batches. */
struct vfs_dir {
    uint32_t file;
    uint64_t cookie;
    uint32_t at, bytes;
    bool end;
    uint8_t batch[4096];
    struct fs_dirent entry;
    char name[256]; /* the entry's name continues here */
};
enum wg_error vfs_opendir(const char *path, struct vfs_dir *dir);
/* The next entry (valid until the next call): OK, or NOT_FOUND after the last. */
enum wg_error vfs_readdir(struct vfs_dir *dir, const struct fs_dirent **out);
void vfs_closedir(struct vfs_dir *dir);

/* Reads the program file at `path` and starts it in a new child space (EXEC_IMAGE), as
 * wg_spawn does from the boot archive. */
enum wg_error vfs_spawn(const char *path, int argc, const char *const *argv,
                        struct wg_process *out);
/* vfs_spawn with `stdio` (a console connection of ours, 0: none) as the program's console. */
enum wg_error vfs_spawn_stdio(const char *path, int argc, const char *const *argv, wg_handle stdio,
                              struct wg_process *out);
