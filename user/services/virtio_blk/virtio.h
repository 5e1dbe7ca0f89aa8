/* The virtio 1.x PCI transport (virtio spec, section 4.1): the vendor capabilities that
 * place the common, notify and device configuration structures in BARs, device status and
 * feature negotiation, queue setup with an MSI-X vector. */
#pragma once

#include <stdint.h>
#include <wingos/error.h>

#include "pci_driver.h"

#define VIRTIO_F_VERSION_1    (1ull << 32)
#define VIRTIO_BLK_F_RO       (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH    (1ull << 9)
#define VIRTIO_BLK_T_IN       0
#define VIRTIO_BLK_T_OUT      1
#define VIRTIO_BLK_T_FLUSH    4
#define VIRTIO_BLK_S_OK       0
#define VIRTIO_BLK_S_IOERR    1
#define VIRTIO_BLK_S_UNSUPP   2

struct virtio_device {
    struct pci_driver *pci;
    volatile uint8_t *common, *notify, *device;
    uint32_t notify_multiplier;
    uint16_t notify_offset[1]; /* of queue 0 */
};

/* Finds the configuration structures (NOT_SUPPORTED without all three in mapped BARs) and
 * resets the device. */
enum wg_error virtio_open(struct pci_driver *pci, struct virtio_device *out);

/* Acknowledges the device, accepts `required` (NOT_SUPPORTED if not offered) and whatever
 * of `wanted` is offered, and checks FEATURES_OK; the accepted set in *accepted. */
enum wg_error virtio_negotiate(struct virtio_device *dev, uint64_t required, uint64_t wanted,
                               uint64_t *accepted);

/* Sets queue `index` to at most `max` entries with its rings at dma_phys (+0 descriptors,
 * +4096 available, +8192 used) and MSI-X entry 0; its size in *size. */
enum wg_error virtio_queue_setup(struct virtio_device *dev, uint16_t index, uint16_t max,
                                 uint64_t dma_phys, uint16_t *size);

void virtio_driver_ok(struct virtio_device *dev);
void virtio_notify(struct virtio_device *dev, uint16_t queue);
uint32_t virtio_config32(const struct virtio_device *dev, unsigned offset);
uint64_t virtio_config64(const struct virtio_device *dev, unsigned offset);
