/* The duplicate-request cache of a file-system server (idl/fs.idl version 2). Calls that are
 * not idempotent (an exclusive create, mkdir, unlink, rmdir, rename, link, symlink) carry the
 * client's id and a sequence number; a client that lost its connection sends the call again
 * with the same pair. The server remembers the answers of each client's last
 * FS_DEDUP_DEPTH calls (FS_DEDUP_CLIENTS clients, the least recently seen forgotten first)
 * and answers a duplicate from here instead of doing it twice. Pure logic, host-tested
 * (tests/host/test_fs_dedup.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#define FS_DEDUP_CLIENTS 16
#define FS_DEDUP_DEPTH   8

struct fs_dedup_client {
    uint64_t client; /* 0: a free slot */
    uint64_t last_use;
    uint32_t next; /* where the next answer goes in recent[] */
    struct {
        uint64_t seq; /* 0: empty */
        enum wg_error err;
    } recent[FS_DEDUP_DEPTH];
};

struct fs_dedup {
    struct fs_dedup_client clients[FS_DEDUP_CLIENTS];
    uint64_t clock;
};

/* Whether call (client, seq) was answered already: true with its answer in *err. A client
 * or seq of 0 (a caller without sequence numbers) is never found. */
bool fs_dedup_find(struct fs_dedup *d, uint64_t client, uint64_t seq, enum wg_error *err);

/* Remembers the answer `err` of call (client, seq); nothing for a client or seq of 0. */
void fs_dedup_record(struct fs_dedup *d, uint64_t client, uint64_t seq, enum wg_error err);

/* What a call resent after a server's restart (its cache lost) means. */
enum fs_dedup_op {
    FS_DEDUP_MAKE,   /* mkdir, link, symlink, exclusive create: ALREADY_EXISTS was our own */
    FS_DEDUP_REMOVE, /* unlink, rmdir, rename: NOT_FOUND means the first try did it */
};

/* The answer to give for a call that was sent again to a server that may have done it
 * before ending: the error, or OK where the error is what the first try's success left. */
enum wg_error fs_dedup_resent(enum fs_dedup_op op, enum wg_error err);
