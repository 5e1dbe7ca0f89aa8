/* The driver side of the block protocol (block.h), shared by every disk driver: clients,
 * their shared buffers, batches, fair dispatch to the device's slots, replies. A driver
 * supplies a backend (its device) and runs block_server_run; the backend reports each
 * finished slot with block_server_complete from its interrupt hook. */
#pragma once

#include <stdint.h>
#include <wingos/abi.h>

#include "block.h"

#define BLOCK_SERVER_SLOTS 64 /* requests in flight on the device at most */

struct block_backend {
    struct block_info info;
    unsigned slots; /* <= BLOCK_SERVER_SLOTS */
    /* The DMA bounce buffer of a slot: info.max_transfer bytes. */
    uint8_t *(*slot_buffer)(unsigned slot);
    /* Starts a checked request in a free slot (a write's data is in the slot buffer). */
    void (*start)(unsigned slot, uint32_t op, uint64_t lba, uint32_t sectors);
    /* After a round of starts: tell the device. */
    void (*kick)(void);
    /* An interrupt came: reap finished slots (block_server_complete for each). */
    void (*interrupt)(void);
};

/* Serves `server` forever: messages, closing notices and the interrupts of `msi` (acked
 * after each interrupt hook). */
__attribute__((noreturn)) void block_server_run(const struct block_backend *backend,
                                                wg_handle server, wg_handle msi);

/* Slot `slot` finished with `status` (OK, IO_ERROR, NOT_SUPPORTED...). */
void block_server_complete(unsigned slot, enum wg_error status);
