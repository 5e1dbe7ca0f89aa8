/* An NVMe queue pair's bookkeeping (NVMe 1.x, "Submission Queue and Completion Queue"):
 * submission entries go in at the tail, the device reports how far it has read (the SQ head
 * in each completion), completion entries are new while their phase bit matches the phase
 * we expect, which flips at every wrap. Pure logic over memory it is given (the caller
 * rings the doorbells with sq_tail and cq_head); unit-tested on the host
 * (tests/host/test_nvmeq.c) with a simulated controller. Also the mapping of completion
 * statuses to WingOS errors. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

struct nvme_sqe {
    uint8_t opcode, flags;
    uint16_t cid;
    uint32_t nsid;
    uint64_t reserved;
    uint64_t metadata;
    uint64_t prp1, prp2;
    uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe submission entry");

struct nvme_cqe {
    uint32_t result; /* command specific (DW0) */
    uint32_t reserved;
    uint16_t sq_head, sq_id;
    uint16_t cid;
    uint16_t status; /* bit 0 the phase tag, 15:1 the status field */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe completion entry");

struct nvmeq {
    volatile struct nvme_sqe *sq;
    volatile struct nvme_cqe *cq;
    uint16_t sq_size, cq_size;
    uint16_t sq_tail, sq_head; /* sq_head: as last reported by the device */
    uint16_t cq_head;
    uint16_t phase; /* the phase tag of new completions: 1 on the first pass */
};

/* `sq` holds sq_size entries, `cq` cq_size (each 2..65536); both start zeroed. */
void nvmeq_init(struct nvmeq *q, void *sq, uint16_t sq_size, void *cq, uint16_t cq_size);

/* Free submission entries: one always stays empty (head == tail means empty). */
uint16_t nvmeq_sq_free(const struct nvmeq *q);

/* Copies `cmd` in at the tail and advances it; false if the queue is full. Ring the SQ tail
 * doorbell with q->sq_tail after a round of pushes. */
bool nvmeq_push(struct nvmeq *q, const struct nvme_sqe *cmd);

/* Takes the next new completion into *out and advances the head (flipping the phase at the
 * wrap); false if there is none. An SQ head outside the queue is ignored. Ring the CQ head
 * doorbell with q->cq_head after a round of pops. */
bool nvmeq_pop(struct nvmeq *q, struct nvme_cqe *out);

/* The status field of a completion (cqe.status >> 1): 0 is success. */
static inline uint16_t nvme_status(const struct nvme_cqe *cqe)
{
    return (uint16_t)(cqe->status >> 1);
}

/* What a status field means for a block client: OK, OUT_OF_RANGE, READ_ONLY, NOT_SUPPORTED,
 * INVALID_ARGUMENT, BUSY, NO_SPACE or IO_ERROR. */
enum wg_error nvme_status_error(uint16_t status);
