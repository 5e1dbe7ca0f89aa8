/* The block protocol: how clients talk to disk drivers (virtio_blk, nvme), and the client
 * side. Plain C for now; shaped so the IDL compiler can generate it later (one op per
 * message, fixed entries, a request record in shared memory).
 *
 * Data never travels in messages. A client attaches one shared buffer (a physical memory
 * asset, copied to the driver) once; requests are `struct block_request` records in that
 * buffer, naming their data by offset in it too. A SUBMIT message hands the driver a batch
 * of 1..BLOCK_BATCH_MAX records; its reply comes when all of them are done, and each record's
 * `status` says how it went. A client may have many SUBMITs outstanding (up to
 * WG_IPC_QUEUE_MAX); the driver serves its clients round-robin, one request at a time.
 *
 * Requests (calls, values only except ATTACH's asset); entry 0 = op | count << 8:
 *   BLOCK_OP_INFO    reply 1 sectors, 2 sector size | BLOCK_INFO_* << 32, 3 max bytes per
 *                    request, 4 the driver's name (up to 8 bytes, NUL-padded)
 *   BLOCK_OP_ATTACH  entry 1 the buffer (a physical memory asset); reply 1 its size in bytes.
 *                    ALREADY_EXISTS for a second one, WRONG_KIND for another asset kind,
 *                    OUT_OF_RANGE above BLOCK_BUFFER_MAX bytes
 *   BLOCK_OP_SUBMIT  count records from entry 1's offset (8-byte aligned) in the buffer;
 *                    reply 1 how many were done. Error: the batch's (NOT_FOUND: no buffer;
 *                    MISALIGNED / BAD_ADDRESS: records misplaced; OUT_OF_RANGE: count 0 or
 *                    above BLOCK_BATCH_MAX), else the first failed record's status.
 * A batch with an invalid record is refused whole before anything runs (all statuses set).
 * Record statuses: OK; OUT_OF_RANGE (past the disk's end); MISALIGNED (offset not a multiple
 * of the sector size); BAD_ADDRESS (data past the buffer's end); INVALID_ARGUMENT (0 sectors,
 * or more than the max bytes per request); NOT_SUPPORTED (unknown op); READ_ONLY (a write
 * or flush to a read-only disk); IO_ERROR (the device failed it). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>

#define BLOCK_BATCH_MAX      64
#define BLOCK_MAX_TRANSFER   (32u * 1024u)
#define BLOCK_BUFFER_MAX     (16ull << 20)
#define BLOCK_INFO_READ_ONLY 1u
#define BLOCK_INFO_FLUSH     2u /* the device has a volatile cache that FLUSH writes back */

enum block_op {
    BLOCK_OP_INFO = 1,
    BLOCK_OP_ATTACH = 2,
    BLOCK_OP_SUBMIT = 3,
};

enum block_request_op {
    BLOCK_READ = 1,
    BLOCK_WRITE = 2,
    BLOCK_FLUSH = 3, /* lba, sectors and offset are ignored */
};

struct block_request {
    uint32_t op;     /* enum block_request_op */
    uint32_t status; /* enum wg_error, written by the driver */
    uint64_t lba;
    uint32_t sectors;
    uint32_t reserved;
    uint64_t offset; /* of the data in the shared buffer */
};
_Static_assert(sizeof(struct block_request) == 32, "block request layout");

struct block_info {
    uint64_t sectors;
    uint32_t sector_size;
    uint32_t flags; /* BLOCK_INFO_* */
    uint32_t max_transfer;
    char driver[9];
};

/* What a request is checked against (the driver's view). */
struct block_limits {
    struct block_info info;
    uint64_t buffer_size;
};

/* The status a record gets before anything runs: OK or why it is refused (see above). */
enum wg_error block_check(const struct block_request *request, const struct block_limits *limits);

/* Where a batch of `count` records at `offset` may sit: OK, OUT_OF_RANGE, MISALIGNED or
 * BAD_ADDRESS. */
enum wg_error block_check_batch(uint64_t offset, uint64_t count, uint64_t buffer_size);

/* ---- Client side ---- */

/* A client holds the driver by name: block_run, when the driver went away (PEER_CLOSED),
 * looks the name up again (waiting up to BLOCK_RECONNECT_NS for a restarted driver to
 * register), reconnects, attaches the same buffer and sends the batch again, up to
 * BLOCK_RESEND_MAX times. Reads, writes and flushes of fixed sectors are idempotent, so a
 * batch the dead driver had partly done may safely run again. */
#define BLOCK_RESEND_MAX   8
#define BLOCK_RECONNECT_NS (5000ull * 1000000ull)
#define BLOCK_NAME_MAX     40

struct block_client {
    wg_handle connection;
    struct block_info info;
    uint8_t *buffer; /* the shared buffer as mapped here, or NULL before block_attach */
    size_t size;
    wg_handle buffer_map;
    wg_handle buffer_pmem;         /* kept: a copy goes to each (re)connected driver */
    char name[BLOCK_NAME_MAX + 1]; /* the driver's name, looked up again after its end */
    uint32_t reconnects;           /* how many times block_run reconnected */
};

/* Connects to the driver registered as `name` ("blk0") and reads its info. */
enum wg_error block_open(const char *name, struct block_client *out);

/* Creates a buffer of `pages` pages, maps it at `address` and attaches it. */
enum wg_error block_attach(struct block_client *client, uint64_t pages, uintptr_t address);

/* Sends a batch (count records at `offset` of the buffer); the message id in value. */
struct wg_result block_submit(struct block_client *client, uint64_t offset, uint32_t count);

/* Waits for a batch's reply: its error; *done = records done. PEER_CLOSED if the driver
 * went away. */
enum wg_error block_wait(struct block_client *client, uint64_t id, uint32_t *done);

/* block_submit then block_wait; reconnects and sends again if the driver ended meanwhile
 * (above). */
enum wg_error block_run(struct block_client *client, uint64_t offset, uint32_t count);

/* Connects again to the driver registered under the client's name and attaches the same
 * buffer (block_run does this itself). */
enum wg_error block_reconnect(struct block_client *client);

/* Releases the mapping, the buffer and the connection. */
void block_close(struct block_client *client);
