/* NVMe driver (QEMU's `-device nvme`): started by init with its device's assets
 * (user/lib/pci_driver.h), it brings the controller up (nvme.c), then serves namespace 1
 * over the block protocol (user/lib/block.h, block_server.c) under its name ("blk1").
 * Requests go to one I/O queue pair of 128 entries, up to 64 in flight; each slot has a
 * 32 KiB DMA bounce buffer and room for its PRP list, and its number is the command id.
 * Completions raise MSI-X entry 0 and are reaped in the interrupt hook. */
#include <wingos.h>

#include "acceptor.h"
#include "block_server.h"
#include "nvme.h"
#include "prp.h"

#define SLOTS         64
#define PAGE          4096u
#define ACCEPTOR_SIZE 8192

static struct pci_driver pci;
static struct nvme_controller ctrl;
static struct block_backend backend;
static _Alignas(16) uint8_t acceptor_stack[ACCEPTOR_SIZE];

static uint64_t slot_offset(unsigned slot)
{
    return (NVME_BOUNCE_PAGE + (uint64_t)slot * (BLOCK_MAX_TRANSFER / PAGE)) * PAGE;
}

static uint8_t *slot_buffer(unsigned slot)
{
    return pci.dma + slot_offset(slot);
}

/* The command for a checked request: data through the slot's bounce buffer. */
static enum wg_error command(unsigned slot, uint32_t op, uint64_t lba, uint32_t sectors,
                             struct nvme_sqe *out)
{
    *out = (struct nvme_sqe){.cid = (uint16_t)slot, .nsid = 1};
    if (op == BLOCK_FLUSH) {
        out->opcode = NVME_CMD_FLUSH;
        return WG_ERR_OK;
    }
    uint64_t list_offset = NVME_PRP_PAGE * PAGE + slot * NVME_PRP_SLOT;
    struct nvme_prp_list room = {(uint64_t *)(pci.dma + list_offset), pci.dma_phys + list_offset,
                                 NVME_PRP_SLOT / 8};
    struct nvme_prp prp;
    enum wg_error err =
        nvme_prp_build(pci.dma_phys + slot_offset(slot), sectors * ctrl.sector_size, &room, &prp);
    out->opcode = op == BLOCK_READ ? NVME_CMD_READ : NVME_CMD_WRITE;
    out->prp1 = prp.prp1;
    out->prp2 = prp.prp2;
    out->cdw10 = (uint32_t)lba;
    out->cdw11 = (uint32_t)(lba >> 32);
    out->cdw12 = sectors - 1; /* 0-based */
    return err;
}

static void start(unsigned slot, uint32_t op, uint64_t lba, uint32_t sectors)
{
    struct nvme_sqe cmd;
    if (op == BLOCK_FLUSH && !ctrl.volatile_cache) {
        block_server_complete(slot, WG_ERR_OK); /* nothing cached to write back */
        return;
    }
    enum wg_error err = command(slot, op, lba, sectors, &cmd);
    if (err == WG_ERR_OK && !nvmeq_push(&ctrl.io, &cmd))
        err = WG_ERR_BUSY; /* cannot happen: 127 entries for 64 slots */
    if (err != WG_ERR_OK)
        block_server_complete(slot, err);
}

static void kick(void)
{
    nvme_ring_io_sq(&ctrl);
}

static void interrupt(void)
{
    struct nvme_cqe done;
    bool any = false;
    while (nvmeq_pop(&ctrl.io, &done)) {
        any = true;
        block_server_complete(done.cid, nvme_status_error(nvme_status(&done)));
    }
    if (any)
        nvme_ring_io_cq(&ctrl);
}

static enum wg_error serve_setup(wg_handle *server)
{
    uint64_t address;
    wg_handle acceptor, registration;
    struct wg_result created = wg_ipc_server_create(WG_SELF, 0, &address);
    enum wg_error err = created.err;
    if (err == WG_ERR_OK)
        err = wg_msi_bind(WG_SELF, pci.msi, created.value).err;
    if (err == WG_ERR_OK)
        err = wg_acceptor_start(created.value, acceptor_stack, sizeof acceptor_stack, &acceptor);
    if (err == WG_ERR_OK)
        err = wg_name_register(pci.name, address, &registration);
    *server = created.value;
    return err;
}

int main(int argc, char **argv)
{
    if (!pci_driver_open(argc, argv, &pci))
        return 1;
    if (pci.dma_size < slot_offset(SLOTS)) {
        printf("nvme: %s: too little DMA memory\n", pci.name);
        return 1;
    }
    wg_handle server = 0;
    enum wg_error err = nvme_start(&pci, &ctrl);
    if (err == WG_ERR_OK)
        err = serve_setup(&server);
    if (err != WG_ERR_OK) {
        printf("nvme: %s: cannot start: %s\n", pci.name, wg_error_name(err));
        return 2;
    }
    backend = (struct block_backend){
        .info = {.sectors = ctrl.sectors,
                 .sector_size = ctrl.sector_size,
                 .flags = (ctrl.read_only ? BLOCK_INFO_READ_ONLY : 0) |
                          (ctrl.volatile_cache ? BLOCK_INFO_FLUSH : 0),
                 .max_transfer = ctrl.max_transfer,
                 .driver = "nvme"},
        .slots = SLOTS,
        .slot_buffer = slot_buffer,
        .start = start,
        .kick = kick,
        .interrupt = interrupt,
    };
    printf("nvme: %s: %llu sectors of %u bytes%s%s, %u in flight, MSI-X vector %u\n", pci.name,
           (unsigned long long)backend.info.sectors, backend.info.sector_size,
           ctrl.read_only ? ", read-only" : "", ctrl.volatile_cache ? ", write cache" : "",
           backend.slots, pci.message.vector);
    block_server_run(&backend, server, pci.msi);
}
