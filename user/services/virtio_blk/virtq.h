/* A virtio split virtqueue (virtio 1.x, section 2.7): descriptor table, available ring and
 * used ring in DMA memory, and the driver's bookkeeping of free descriptors. Pure logic over
 * memory it is given, unit-tested on the host (tests/host/test_virtq.c) with a simulated
 * device. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_DESC_NEXT  1u
#define VIRTQ_DESC_WRITE 2u /* the device writes this buffer */
#define VIRTQ_MAX_SIZE   256

struct virtq_desc {
    uint64_t address;
    uint32_t length;
    uint16_t flags, next;
};

struct virtq_avail {
    uint16_t flags, idx;
    uint16_t ring[VIRTQ_MAX_SIZE];
};

struct virtq_used_elem {
    uint32_t id, length;
};

struct virtq_used {
    uint16_t flags, idx;
    struct virtq_used_elem ring[VIRTQ_MAX_SIZE];
};

struct virtq {
    uint16_t size; /* a power of two <= VIRTQ_MAX_SIZE */
    volatile struct virtq_desc *desc;
    volatile struct virtq_avail *avail;
    volatile struct virtq_used *used;
    uint16_t free_head, free_count, last_used;
    uint16_t next_of[VIRTQ_MAX_SIZE]; /* free list links, kept apart from the device's view */
};

struct virtq_buffer {
    uint64_t address;
    uint32_t length;
    bool device_writes;
};

/* Sets up an empty queue of `size` entries over the three areas (zeroed by the caller). */
void virtq_init(struct virtq *q, uint16_t size, void *desc, void *avail, void *used);

/* Chains `count` buffers and makes the chain available; its head in *head. False (nothing
 * changed) if fewer than `count` descriptors are free or count is 0. */
bool virtq_add(struct virtq *q, const struct virtq_buffer *buffers, uint16_t count, uint16_t *head);

/* Takes the next chain the device has used: its head and the bytes it wrote; frees its
 * descriptors. False when there is none (or the device named a bad head: then the entry is
 * skipped and *head = VIRTQ_MAX_SIZE). */
bool virtq_take_used(struct virtq *q, uint16_t *head, uint32_t *written);
