/* The server side of idl/fs.idl shared by the file-system servers and the VFS: one session
 * per client connection, holding the client's shared buffer (mapped here once, at ATTACH)
 * and its table of open files, each with the rights its open flags gave. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#define FS_SESSIONS_MAX   32
#define FS_FILES_MAX      64
#define FS_BUFFER_MAX     (1u << 20)        /* bytes in a client's shared buffer */
#define FS_SESSION_WINDOW 0x510000000000ull /* buffers are mapped from here, one per slot */
#define FS_RIGHT_READ     1u                /* = FS_OPEN_FLAGS_READ */
#define FS_RIGHT_WRITE    2u                /* = FS_OPEN_FLAGS_WRITE */

struct fs_open_file {
    bool used, stale; /* stale: the node went away under it (unlinked) */
    uint32_t flags;   /* the open flags (fs.idl OpenFlags) */
    char *path;       /* the VFS's: the path inside its mount, to open it again (malloc'd) */
    uint64_t node;    /* the server's: an inode number, an archive index... */
    uint64_t where;   /* the server's: which mount (VFS) */
    uint64_t other;   /* the server's: the file's number at the mounted server (VFS) */
    uint8_t type;     /* fs.idl NodeType */
};

struct fs_session {
    wg_handle connection; /* 0: a free slot */
    wg_handle memory, map;
    uint8_t *buffer; /* NULL before ATTACH */
    uint64_t size;
    struct fs_open_file files[FS_FILES_MAX];
};

/* The session of `connection`, made if it has none; NULL when every slot is taken. */
struct fs_session *fs_session_get(wg_handle connection);

/* Calls `each` for every file of every session (e.g. to mark files of a removed node stale). */
void fs_session_each_file(void (*each)(struct fs_open_file *file, void *ctx), void *ctx);

/* The client closed: `on_close` for each open file, then the buffer and the connection
 * handle are released and the slot freed. */
void fs_session_end(wg_handle connection, void (*on_close)(struct fs_open_file *file, void *ctx),
                    void *ctx);

/* Maps the client's buffer `memory` (a physical memory asset, now ours); on error it is
 * released. ALREADY_EXISTS for a second, OUT_OF_RANGE above FS_BUFFER_MAX. */
enum wg_error fs_session_attach(struct fs_session *session, wg_handle memory, uint64_t *size);

/* Bytes [at, at + length) of the buffer, or NULL (no buffer, or the range leaves it). */
uint8_t *fs_session_range(const struct fs_session *session, uint64_t at, uint64_t length);

/* A free file slot, marked used with `flags`; its number in *id. NULL when the table is full. */
struct fs_open_file *fs_session_add_file(struct fs_session *session, uint32_t flags, uint32_t *id);

/* Open file `id` whatever its rights and state (for CLOSE); NULL if it is not open. */
struct fs_open_file *fs_session_lookup(struct fs_session *session, uint32_t id);

/* Open file `id` if it has every right of `rights` (FS_RIGHT_*): BAD_HANDLE (not open),
 * ACCESS_DENIED (opened without the right), STALE_HANDLE (its node was removed). */
enum wg_error fs_session_file(struct fs_session *session, uint32_t id, uint32_t rights,
                              struct fs_open_file **out);

/* How many files are open in all sessions with `where` (the VFS: files on one mount). */
unsigned fs_session_count_where(uint64_t where);
