/* NVMe queue bookkeeping (nvmeq.h). Barriers: the device must see a submission entry before
 * the doorbell (written by the caller after nvmeq_push returns), and we read a completion's
 * fields only after its phase tag says it is new. */
#include "nvmeq.h"

/* Status code types and codes (NVMe 1.4, "Status Field Definition"). */
#define SCT_GENERIC        0
#define SCT_COMMAND        1
#define SCT_MEDIA          2
#define SC_INVALID_OPCODE  0x01
#define SC_INVALID_FIELD   0x02
#define SC_INVALID_NS      0x0b
#define SC_WRITE_PROTECTED 0x20
#define SC_LBA_RANGE       0x80
#define SC_CAPACITY        0x81
#define SC_NOT_READY       0x82
#define SC_READ_ONLY_RANGE 0x82 /* command specific: attempted write to a read-only range */

void nvmeq_init(struct nvmeq *q, void *sq, uint16_t sq_size, void *cq, uint16_t cq_size)
{
    *q = (struct nvmeq){.sq = sq, .cq = cq, .sq_size = sq_size, .cq_size = cq_size, .phase = 1};
}

uint16_t nvmeq_sq_free(const struct nvmeq *q)
{
    uint32_t used = (q->sq_tail + q->sq_size - q->sq_head) % q->sq_size;
    return (uint16_t)(q->sq_size - 1 - used);
}

bool nvmeq_push(struct nvmeq *q, const struct nvme_sqe *cmd)
{
    if (nvmeq_sq_free(q) == 0)
        return false;
    volatile struct nvme_sqe *slot = &q->sq[q->sq_tail];
    *slot = *cmd;
    q->sq_tail = (uint16_t)((q->sq_tail + 1u) % q->sq_size);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return true;
}

bool nvmeq_pop(struct nvmeq *q, struct nvme_cqe *out)
{
    volatile struct nvme_cqe *entry = &q->cq[q->cq_head];
    if ((entry->status & 1u) != q->phase)
        return false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *out = *entry;
    if (out->sq_head < q->sq_size)
        q->sq_head = out->sq_head;
    q->cq_head = (uint16_t)((q->cq_head + 1u) % q->cq_size);
    if (q->cq_head == 0)
        q->phase ^= 1u;
    return true;
}

static enum wg_error generic_error(uint8_t code)
{
    switch (code) {
    case SC_LBA_RANGE:
        return WG_ERR_OUT_OF_RANGE;
    case SC_WRITE_PROTECTED:
        return WG_ERR_READ_ONLY;
    case SC_INVALID_OPCODE:
        return WG_ERR_NOT_SUPPORTED;
    case SC_INVALID_FIELD:
    case SC_INVALID_NS:
        return WG_ERR_INVALID_ARGUMENT;
    case SC_CAPACITY:
        return WG_ERR_NO_SPACE;
    case SC_NOT_READY:
        return WG_ERR_BUSY;
    default:
        return WG_ERR_IO_ERROR;
    }
}

enum wg_error nvme_status_error(uint16_t status)
{
    uint8_t code = status & 0xff, type = (status >> 8) & 7;
    if (status == 0)
        return WG_ERR_OK;
    if (type == SCT_GENERIC)
        return generic_error(code);
    if (type == SCT_COMMAND && code == SC_READ_ONLY_RANGE)
        return WG_ERR_READ_ONLY;
    return WG_ERR_IO_ERROR; /* media errors (unrecovered read, write fault) and the rest */
}
