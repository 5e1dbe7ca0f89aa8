/* virtio-blk driver (virtio 1.x, modern PCI interface; QEMU's virtio-blk-pci with
 * disable-legacy=on). Started by init with its device's assets (user/lib/pci_driver.h); it
 * negotiates features, sets up one split virtqueue in DMA memory with an MSI-X completion
 * interrupt, and serves the block protocol (user/lib/block.h) under its name ("blk0").
 *
 * DMA memory (520 pages from init): page 0 descriptors, 1 available ring, 2 used ring,
 * 3 request headers (16 bytes per slot) and status bytes (at 2048 + slot), from page 8 one
 * 32 KiB bounce buffer per slot (64 slots: requests in flight). Client data is copied between
 * its shared buffer and a bounce buffer: drivers never learn where client memory lies. */
#include <wingos.h>

#include "acceptor.h"
#include "block_server.h"
#include "pci_driver.h"
#include "virtio.h"
#include "virtq.h"

#define SLOTS         64
#define HEADER_PAGE   3
#define STATUS_OFFSET 2048
#define BOUNCE_PAGE   8
#define PAGE          4096u
#define ACCEPTOR_SIZE 8192

static struct pci_driver pci;
static struct virtio_device dev;
static struct virtq queue;
static uint16_t slot_of_head[VIRTQ_MAX_SIZE];
static struct block_backend backend;
static _Alignas(16) uint8_t acceptor_stack[ACCEPTOR_SIZE];

struct blk_header {
    uint32_t type, reserved;
    uint64_t sector; /* 512-byte units whatever the block size */
};

static uint8_t *slot_buffer(unsigned slot)
{
    return pci.dma + (BOUNCE_PAGE + slot * (BLOCK_MAX_TRANSFER / PAGE)) * PAGE;
}

static uint64_t phys_of(const void *at)
{
    return pci.dma_phys + (uint64_t)((const uint8_t *)at - pci.dma);
}

static void start(unsigned slot, uint32_t op, uint64_t lba, uint32_t sectors)
{
    struct blk_header *header = (struct blk_header *)(pci.dma + HEADER_PAGE * PAGE) + slot;
    uint8_t *status = pci.dma + HEADER_PAGE * PAGE + STATUS_OFFSET + slot;
    uint32_t type = op == BLOCK_READ    ? VIRTIO_BLK_T_IN
                    : op == BLOCK_WRITE ? VIRTIO_BLK_T_OUT
                                        : VIRTIO_BLK_T_FLUSH;
    if (op == BLOCK_FLUSH && !(backend.info.flags & BLOCK_INFO_FLUSH)) {
        block_server_complete(slot, WG_ERR_OK); /* no volatile cache: nothing to write back */
        return;
    }
    *header = (struct blk_header){type, 0, lba * (backend.info.sector_size / 512)};
    *status = 0xff;
    struct virtq_buffer buffers[3] = {
        {phys_of(header), sizeof *header, false},
        {phys_of(slot_buffer(slot)), sectors * backend.info.sector_size, op == BLOCK_READ},
        {phys_of(status), 1, true},
    };
    uint16_t head, count = 3;
    if (op == BLOCK_FLUSH) {
        buffers[1] = buffers[2];
        count = 2;
    }
    if (virtq_add(&queue, buffers, count, &head))
        slot_of_head[head] = (uint16_t)slot;
    else
        block_server_complete(slot, WG_ERR_BUSY); /* cannot happen: 3 descriptors a slot */
}

static void kick(void)
{
    virtio_notify(&dev, 0);
}

static void interrupt(void)
{
    uint16_t head;
    uint32_t written;
    while (virtq_take_used(&queue, &head, &written)) {
        if (head >= VIRTQ_MAX_SIZE)
            continue;
        unsigned slot = slot_of_head[head];
        uint8_t status = pci.dma[HEADER_PAGE * PAGE + STATUS_OFFSET + slot];
        block_server_complete(slot, status == VIRTIO_BLK_S_OK       ? WG_ERR_OK
                                    : status == VIRTIO_BLK_S_UNSUPP ? WG_ERR_NOT_SUPPORTED
                                                                    : WG_ERR_IO_ERROR);
    }
}

/* Features, the queue and the interrupt; the block info in backend.info. */
static enum wg_error bring_up(void)
{
    uint64_t features;
    enum wg_error err = virtio_open(&pci, &dev);
    if (err == WG_ERR_OK)
        err = virtio_negotiate(&dev, VIRTIO_F_VERSION_1,
                               VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH,
                               &features);
    if (err == WG_ERR_OK && !pci_driver_enable_msix(&pci))
        err = WG_ERR_NOT_SUPPORTED;
    if (err != WG_ERR_OK)
        return err;
    memset(pci.dma, 0, BOUNCE_PAGE * PAGE);
    uint16_t size;
    err = virtio_queue_setup(&dev, 0, VIRTQ_MAX_SIZE, pci.dma_phys, &size);
    if (err != WG_ERR_OK)
        return err;
    virtq_init(&queue, size, pci.dma, pci.dma + PAGE, pci.dma + 2 * PAGE);
    virtio_driver_ok(&dev);
    uint32_t block = (features & VIRTIO_BLK_F_BLK_SIZE) ? virtio_config32(&dev, 20) : 512;
    if (block < 512 || block > 4096 || (block & (block - 1)))
        block = 512;
    backend.info = (struct block_info){
        .sectors = virtio_config64(&dev, 0) / (block / 512),
        .sector_size = block,
        .flags = ((features & VIRTIO_BLK_F_RO) ? BLOCK_INFO_READ_ONLY : 0) |
                 ((features & VIRTIO_BLK_F_FLUSH) ? BLOCK_INFO_FLUSH : 0),
        .max_transfer = BLOCK_MAX_TRANSFER,
        .driver = "virtio",
    };
    backend.slots = size / 3 < SLOTS ? size / 3 : SLOTS;
    return WG_ERR_OK;
}

int main(int argc, char **argv)
{
    if (!pci_driver_open(argc, argv, &pci))
        return 1;
    if (pci.dma_size < (BOUNCE_PAGE + SLOTS * (BLOCK_MAX_TRANSFER / PAGE)) * PAGE) {
        printf("virtio_blk: %s: too little DMA memory\n", pci.name);
        return 1;
    }
    enum wg_error err = bring_up();
    backend.slot_buffer = slot_buffer;
    backend.start = start;
    backend.kick = kick;
    backend.interrupt = interrupt;
    uint64_t address;
    wg_handle acceptor, registration;
    struct wg_result server =
        err == WG_ERR_OK ? wg_ipc_server_create(WG_SELF, 0, &address) : (struct wg_result){err, 0};
    err = server.err;
    if (err == WG_ERR_OK)
        err = wg_msi_bind(WG_SELF, pci.msi, server.value).err;
    if (err == WG_ERR_OK)
        err = wg_acceptor_start(server.value, acceptor_stack, sizeof acceptor_stack, &acceptor);
    if (err == WG_ERR_OK)
        err = wg_name_register(pci.name, address, &registration);
    if (err != WG_ERR_OK) {
        printf("virtio_blk: %s: cannot start: %s\n", pci.name, wg_error_name(err));
        return 2;
    }
    printf("virtio_blk: %s: %llu sectors of %u bytes%s%s, %u in flight, MSI-X vector %u\n",
           pci.name, (unsigned long long)backend.info.sectors, backend.info.sector_size,
           (backend.info.flags & BLOCK_INFO_READ_ONLY) ? ", read-only" : "",
           (backend.info.flags & BLOCK_INFO_FLUSH) ? ", flush" : "", backend.slots,
           pci.message.vector);
    block_server_run(&backend, server.value, pci.msi);
}
