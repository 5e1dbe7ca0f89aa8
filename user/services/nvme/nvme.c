/* An NVMe controller's start (nvme.h). Register offsets and fields: NVMe 1.4, "Controller
 * Registers"; command layouts: "Admin Command Set". */
#include "nvme.h"

#include <wingos.h>

#define REG_CAP   0x00
#define REG_CC    0x14
#define REG_CSTS  0x1c
#define REG_AQA   0x24
#define REG_ASQ   0x28
#define REG_ACQ   0x30
#define DOORBELLS 0x1000

#define CC_EN         1u
#define CC_IOSQES     (6u << 16) /* 64-byte submission entries */
#define CC_IOCQES     (4u << 20) /* 16-byte completion entries */
#define CSTS_RDY      1u
#define CSTS_CFS      2u
#define CAP_CSS_NVM   (1ull << 37)
#define ADMIN_ENTRIES 32
#define PAGE          4096u

#define ADMIN_CREATE_SQ    0x01
#define ADMIN_CREATE_CQ    0x05
#define ADMIN_IDENTIFY     0x06
#define ADMIN_SET_FEATURES 0x09
#define FEATURE_QUEUES     0x07
#define IDENTIFY_NS        0x00
#define IDENTIFY_CTRL      0x01
#define IDENTIFY_PAGE      6
#define MS_NS              1000000ull

static uint32_t read32(const struct nvme_controller *c, unsigned offset)
{
    return *(volatile uint32_t *)(c->regs + offset);
}

static void write32(struct nvme_controller *c, unsigned offset, uint32_t value)
{
    *(volatile uint32_t *)(c->regs + offset) = value;
}

static void write64(struct nvme_controller *c, unsigned offset, uint64_t value)
{
    write32(c, offset, (uint32_t)value);
    write32(c, offset + 4, (uint32_t)(value >> 32));
}

/* Waits until CSTS.RDY is `ready`: OK, IO_ERROR (fatal status) or TIMED_OUT. */
static enum wg_error wait_ready(struct nvme_controller *c, uint32_t ready)
{
    uint64_t deadline = wg_clock().value + c->timeout_ms * MS_NS;
    for (;;) {
        uint32_t status = read32(c, REG_CSTS);
        if (status & CSTS_CFS)
            return WG_ERR_IO_ERROR;
        if ((status & CSTS_RDY) == ready)
            return WG_ERR_OK;
        if (wg_clock().value > deadline)
            return WG_ERR_TIMED_OUT;
        wg_sleep(MS_NS);
    }
}

static uint8_t *dma_page(const struct nvme_controller *c, unsigned page)
{
    return c->pci->dma + (uint64_t)page * PAGE;
}

static uint64_t dma_phys(const struct nvme_controller *c, unsigned page)
{
    return c->pci->dma_phys + (uint64_t)page * PAGE;
}

/* Reads CAP, resets, gives the admin queue, enables. */
static enum wg_error enable(struct nvme_controller *c)
{
    uint64_t cap = read32(c, REG_CAP) | (uint64_t)read32(c, REG_CAP + 4) << 32;
    unsigned mqes = (unsigned)(cap & 0xffff) + 1, mpsmin = (cap >> 48) & 0xf;
    c->timeout_ms = (uint32_t)((cap >> 24) & 0xff) * 500 + 500;
    c->doorbell_stride = 4u << ((cap >> 32) & 0xf);
    if (!(cap & CAP_CSS_NVM) || mpsmin != 0 || mqes < NVME_IO_ENTRIES ||
        c->pci->bar_size[0] < DOORBELLS + 4ull * c->doorbell_stride)
        return WG_ERR_NOT_SUPPORTED;
    write32(c, REG_CC, read32(c, REG_CC) & ~CC_EN);
    enum wg_error err = wait_ready(c, 0);
    if (err != WG_ERR_OK)
        return err;
    memset(dma_page(c, 0), 0, NVME_DMA_PAGES_MIN * PAGE);
    nvmeq_init(&c->admin, dma_page(c, 0), ADMIN_ENTRIES, dma_page(c, 1), ADMIN_ENTRIES);
    nvmeq_init(&c->io, dma_page(c, 2), NVME_IO_ENTRIES, dma_page(c, 4), NVME_IO_ENTRIES);
    write32(c, REG_AQA, (ADMIN_ENTRIES - 1) | (ADMIN_ENTRIES - 1) << 16);
    write64(c, REG_ASQ, dma_phys(c, 0));
    write64(c, REG_ACQ, dma_phys(c, 1));
    write32(c, REG_CC, CC_EN | CC_IOSQES | CC_IOCQES); /* NVM set, 4 KiB pages, round robin */
    return wait_ready(c, CSTS_RDY);
}

static void ring(struct nvme_controller *c, unsigned doorbell, uint16_t value)
{
    write32(c, DOORBELLS + doorbell * c->doorbell_stride, value);
}

void nvme_ring_io_sq(struct nvme_controller *c)
{
    ring(c, 2, c->io.sq_tail);
}

void nvme_ring_io_cq(struct nvme_controller *c)
{
    ring(c, 3, c->io.cq_head);
}

/* Runs one admin command and polls for its completion: OK, the status's error, TIMED_OUT. */
static enum wg_error admin(struct nvme_controller *c, struct nvme_sqe *cmd, uint32_t *result)
{
    cmd->cid = ++c->admin_cid;
    if (!nvmeq_push(&c->admin, cmd))
        return WG_ERR_BUSY; /* cannot happen: one admin command at a time */
    ring(c, 0, c->admin.sq_tail);
    uint64_t deadline = wg_clock().value + c->timeout_ms * MS_NS;
    struct nvme_cqe done;
    for (;;) {
        bool got = nvmeq_pop(&c->admin, &done);
        if (got)
            ring(c, 1, c->admin.cq_head);
        if (got && done.cid == cmd->cid)
            break;
        if (!got && wg_clock().value > deadline)
            return WG_ERR_TIMED_OUT;
        if (!got)
            wg_sleep(MS_NS / 10);
    }
    if (result)
        *result = done.result;
    return nvme_status(&done) ? WG_ERR_IO_ERROR : WG_ERR_OK;
}

static enum wg_error identify(struct nvme_controller *c, uint32_t cns, uint32_t nsid)
{
    struct nvme_sqe cmd = {.opcode = ADMIN_IDENTIFY, .nsid = nsid, .cdw10 = cns};
    cmd.prp1 = dma_phys(c, IDENTIFY_PAGE);
    memset(dma_page(c, IDENTIFY_PAGE), 0, PAGE);
    return admin(c, &cmd, NULL);
}

/* Identify Controller (write cache, transfer limit), then Namespace 1 (size, sector). */
static enum wg_error identify_all(struct nvme_controller *c)
{
    const uint8_t *data = dma_page(c, IDENTIFY_PAGE);
    enum wg_error err = identify(c, IDENTIFY_CTRL, 0);
    if (err != WG_ERR_OK)
        return err;
    uint8_t mdts = data[77];
    c->volatile_cache = data[525] & 1;
    c->max_transfer = 32u * 1024u;
    if (mdts != 0 && mdts < 3)
        c->max_transfer = PAGE << mdts; /* 4 KiB pages: CC.MPS is 0 */
    err = identify(c, IDENTIFY_NS, 1);
    if (err != WG_ERR_OK)
        return err;
    uint64_t size;
    memcpy(&size, data, 8);
    uint32_t format;
    memcpy(&format, data + 128 + (data[26] & 0xf) * 4, 4);
    unsigned shift = (format >> 16) & 0xff;
    if (size == 0 || (format & 0xffff) != 0 || shift < 9 || shift > 12)
        return WG_ERR_NOT_SUPPORTED;
    c->sectors = size;
    c->sector_size = 1u << shift;
    c->read_only = data[99] & 1; /* NSATTR: write protected */
    return WG_ERR_OK;
}

/* One I/O submission and completion queue, id 1, interrupts on MSI-X entry 0. */
static enum wg_error create_io_queues(struct nvme_controller *c)
{
    struct nvme_sqe queues = {.opcode = ADMIN_SET_FEATURES, .cdw10 = FEATURE_QUEUES};
    enum wg_error err = admin(c, &queues, NULL); /* 0, 0: one of each (0-based) */
    struct nvme_sqe cq = {.opcode = ADMIN_CREATE_CQ,
                          .prp1 = dma_phys(c, 4),
                          .cdw10 = 1 | (NVME_IO_ENTRIES - 1) << 16,
                          .cdw11 = 1 | 2}; /* contiguous, interrupts on, vector 0 */
    if (err == WG_ERR_OK)
        err = admin(c, &cq, NULL);
    struct nvme_sqe sq = {.opcode = ADMIN_CREATE_SQ,
                          .prp1 = dma_phys(c, 2),
                          .cdw10 = 1 | (NVME_IO_ENTRIES - 1) << 16,
                          .cdw11 = 1 | 1u << 16}; /* contiguous, completions to CQ 1 */
    if (err == WG_ERR_OK)
        err = admin(c, &sq, NULL);
    return err;
}

enum wg_error nvme_start(struct pci_driver *pci, struct nvme_controller *out)
{
    *out = (struct nvme_controller){.pci = pci, .regs = pci->bar[0]};
    if (!out->regs || pci->dma_size < NVME_DMA_PAGES_MIN * PAGE)
        return WG_ERR_NOT_SUPPORTED;
    enum wg_error err = enable(out);
    if (err == WG_ERR_OK)
        err = identify_all(out);
    if (err == WG_ERR_OK && !pci_driver_enable_msix(pci))
        err = WG_ERR_NOT_SUPPORTED;
    if (err == WG_ERR_OK)
        err = create_io_queues(out);
    return err;
}
