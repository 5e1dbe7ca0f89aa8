/* An NVMe controller (NVMe 1.x over PCI, QEMU's `-device nvme`): reset and enable, the admin
 * queue pair (its commands are polled: they only run while the driver starts), Identify
 * Controller and Namespace 1, and one I/O queue pair whose completions raise MSI-X entry 0.
 *
 * DMA memory layout (pages of 4 KiB, from init's 520): 0 admin SQ, 1 admin CQ, 2-3 I/O SQ
 * (128 entries), 4 I/O CQ, 5 PRP lists (64 bytes per slot), 6 Identify data, from 8 one
 * 32 KiB bounce buffer per slot. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#include "nvmeq.h"
#include "pci_driver.h"

#define NVME_IO_ENTRIES    128
#define NVME_PRP_PAGE      5
#define NVME_PRP_SLOT      64 /* bytes of PRP list per slot: 8 entries */
#define NVME_BOUNCE_PAGE   8
#define NVME_DMA_PAGES_MIN 8

#define NVME_CMD_FLUSH 0x00
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ  0x02

struct nvme_controller {
    struct pci_driver *pci;
    volatile uint8_t *regs;
    uint32_t doorbell_stride; /* bytes */
    uint32_t timeout_ms;      /* CAP.TO: how long enabling or resetting may take */
    uint16_t admin_cid;
    struct nvmeq admin, io;
    /* Namespace 1 and the controller's limits. */
    uint64_t sectors;
    uint32_t sector_size, max_transfer;
    bool read_only, volatile_cache;
};

/* Resets the controller, sets up the admin queue, enables it, identifies the controller and
 * namespace 1, turns MSI-X on (entry 0) and creates the I/O queue pair. TIMED_OUT when the
 * controller does not become ready or answer, IO_ERROR when it reports a fatal status or a
 * command fails, NOT_SUPPORTED for what this driver does not do (no NVM command set, 4 KiB
 * pages impossible, namespace with metadata or sectors outside 512..4096). */
enum wg_error nvme_start(struct pci_driver *pci, struct nvme_controller *out);

/* The doorbells: the I/O SQ tail and the I/O CQ head as the queue says. */
void nvme_ring_io_sq(struct nvme_controller *c);
void nvme_ring_io_cq(struct nvme_controller *c);
