/* The block protocol (idl/block.idl, generated into <block_idl.h>): how clients talk to disk
 * drivers (virtio_blk, nvme), its limits, the checks of requests, and the client side.
 *
 * Data never travels in messages. A client attaches one shared buffer (a physical memory
 * asset) once; requests are `struct block_request` records in that buffer, naming their data
 * by offset in it too. A submit hands the driver a batch of 1..BLOCK_BATCH_MAX records; its
 * answer comes when all of them are done, and each record's `status` says how it went
 * (idl/block.idl lists every error). A client may have many submits outstanding (up to
 * WG_IPC_QUEUE_MAX); the driver serves its clients round-robin, one request at a time. A
 * batch with an invalid record is refused whole before anything runs (all statuses set). */
#pragma once

#include <block_idl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>

#define BLOCK_BATCH_MAX      64
#define BLOCK_MAX_TRANSFER   (32u * 1024u)
#define BLOCK_BUFFER_MAX     (16ull << 20)
#define BLOCK_INFO_READ_ONLY BLOCK_INFO_FLAGS_READ_ONLY
#define BLOCK_INFO_FLUSH     BLOCK_INFO_FLAGS_FLUSH
#define BLOCK_READ           BLOCK_REQUEST_OP_READ
#define BLOCK_WRITE          BLOCK_REQUEST_OP_WRITE
#define BLOCK_FLUSH          BLOCK_REQUEST_OP_FLUSH
/* The records live in shared memory: the generated struct is their layout. */
_Static_assert(sizeof(struct block_request) == 32, "block request layout");

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

/* block_wait, but TIMED_OUT after `timeout_ns`. */
enum wg_error block_wait_timeout(struct block_client *client, uint64_t id, uint32_t *done,
                                 uint64_t timeout_ns);

/* block_submit then block_wait; reconnects and sends again if the driver ended meanwhile
 * (above). */
enum wg_error block_run(struct block_client *client, uint64_t offset, uint32_t count);

/* Attaches a copy of `pmem` with `rights` over `connection` (the message moves the copy);
 * the driver's answer. block_attach and block_reconnect use it; tests send fewer rights. */
enum wg_error block_attach_copy(wg_handle connection, wg_handle pmem, uint32_t rights);

/* Connects again to the driver registered under the client's name and attaches the same
 * buffer (block_run does this itself). */
enum wg_error block_reconnect(struct block_client *client);

/* Releases the mapping, the buffer and the connection. */
void block_close(struct block_client *client);
