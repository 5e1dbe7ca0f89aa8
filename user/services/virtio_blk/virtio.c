/* The virtio PCI transport (virtio.h). */
#include "virtio.h"

#include <stddef.h>

#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_DEVICE 4

/* Common configuration offsets (virtio 1.x, 4.1.4.3). */
#define C_DEVICE_FEATURE_SELECT 0
#define C_DEVICE_FEATURE        4
#define C_DRIVER_FEATURE_SELECT 8
#define C_DRIVER_FEATURE        12
#define C_CONFIG_MSIX           16
#define C_STATUS                20
#define C_QUEUE_SELECT          22
#define C_QUEUE_SIZE            24
#define C_QUEUE_MSIX            26
#define C_QUEUE_ENABLE          28
#define C_QUEUE_NOTIFY_OFF      30
#define C_QUEUE_DESC            32
#define C_QUEUE_DRIVER          40
#define C_QUEUE_DEVICE          48

#define S_ACKNOWLEDGE 1
#define S_DRIVER      2
#define S_DRIVER_OK   4
#define S_FEATURES_OK 8
#define NO_VECTOR     0xffff

#define R8(p, o)     (*(volatile uint8_t *)((p) + (o)))
#define R16(p, o)    (*(volatile uint16_t *)((p) + (o)))
#define R32(p, o)    (*(volatile uint32_t *)((p) + (o)))
#define W64(p, o, v) (R32(p, o) = (uint32_t)(v), R32(p, (o) + 4) = (uint32_t)((v) >> 32))

/* The structure a vendor capability at `cap` points to, or NULL if its BAR is not mapped or
 * too small. */
static volatile uint8_t *locate(const struct pci_driver *pci, unsigned cap)
{
    unsigned bar = (pci_cfg_read32(pci, cap + 4)) & 0xff;
    uint32_t offset = pci_cfg_read32(pci, cap + 8), length = pci_cfg_read32(pci, cap + 12);
    if (bar >= PCI_BARS || !pci->bar[bar] || (uint64_t)offset + length > pci->bar_size[bar])
        return NULL;
    return pci->bar[bar] + offset;
}

enum wg_error virtio_open(struct pci_driver *pci, struct virtio_device *out)
{
    *out = (struct virtio_device){.pci = pci};
    for (unsigned cap = pci_driver_find_cap(pci, PCI_CAP_VENDOR, 0); cap;
         cap = pci_driver_find_cap(pci, PCI_CAP_VENDOR, cap)) {
        unsigned type = (pci_cfg_read32(pci, cap) >> 24) & 0xff;
        if (type == CAP_COMMON && !out->common)
            out->common = locate(pci, cap);
        else if (type == CAP_DEVICE && !out->device)
            out->device = locate(pci, cap);
        else if (type == CAP_NOTIFY && !out->notify) {
            out->notify = locate(pci, cap);
            out->notify_multiplier = pci_cfg_read32(pci, cap + 16);
        }
    }
    if (!out->common || !out->notify || !out->device)
        return WG_ERR_NOT_SUPPORTED;
    R8(out->common, C_STATUS) = 0; /* reset; reads 0 once done */
    for (int i = 0; i < 1000000 && R8(out->common, C_STATUS) != 0; i++)
        __asm__ volatile("pause");
    return R8(out->common, C_STATUS) == 0 ? WG_ERR_OK : WG_ERR_TIMED_OUT;
}

static uint64_t offered(struct virtio_device *dev)
{
    R32(dev->common, C_DEVICE_FEATURE_SELECT) = 0;
    uint64_t low = R32(dev->common, C_DEVICE_FEATURE);
    R32(dev->common, C_DEVICE_FEATURE_SELECT) = 1;
    return low | (uint64_t)R32(dev->common, C_DEVICE_FEATURE) << 32;
}

enum wg_error virtio_negotiate(struct virtio_device *dev, uint64_t required, uint64_t wanted,
                               uint64_t *accepted)
{
    R8(dev->common, C_STATUS) = S_ACKNOWLEDGE;
    R8(dev->common, C_STATUS) = S_ACKNOWLEDGE | S_DRIVER;
    uint64_t features = offered(dev);
    if ((features & required) != required)
        return WG_ERR_NOT_SUPPORTED;
    *accepted = features & (required | wanted);
    R32(dev->common, C_DRIVER_FEATURE_SELECT) = 0;
    R32(dev->common, C_DRIVER_FEATURE) = (uint32_t)*accepted;
    R32(dev->common, C_DRIVER_FEATURE_SELECT) = 1;
    R32(dev->common, C_DRIVER_FEATURE) = (uint32_t)(*accepted >> 32);
    R8(dev->common, C_STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
    return (R8(dev->common, C_STATUS) & S_FEATURES_OK) ? WG_ERR_OK : WG_ERR_NOT_SUPPORTED;
}

enum wg_error virtio_queue_setup(struct virtio_device *dev, uint16_t index, uint16_t max,
                                 uint64_t dma_phys, uint16_t *size)
{
    R16(dev->common, C_CONFIG_MSIX) = NO_VECTOR;
    R16(dev->common, C_QUEUE_SELECT) = index;
    uint16_t offered_size = R16(dev->common, C_QUEUE_SIZE);
    if (offered_size == 0)
        return WG_ERR_NOT_FOUND;
    uint16_t chosen = 1;
    while ((uint16_t)(chosen * 2) <= offered_size && chosen * 2 <= max)
        chosen = (uint16_t)(chosen * 2);
    R16(dev->common, C_QUEUE_SIZE) = chosen;
    R16(dev->common, C_QUEUE_MSIX) = 0;
    if (R16(dev->common, C_QUEUE_MSIX) != 0)
        return WG_ERR_NO_MEMORY; /* the device could not take the vector */
    W64(dev->common, C_QUEUE_DESC, dma_phys);
    W64(dev->common, C_QUEUE_DRIVER, dma_phys + 4096);
    W64(dev->common, C_QUEUE_DEVICE, dma_phys + 8192);
    dev->notify_offset[0] = R16(dev->common, C_QUEUE_NOTIFY_OFF);
    R16(dev->common, C_QUEUE_ENABLE) = 1;
    *size = chosen;
    return WG_ERR_OK;
}

void virtio_driver_ok(struct virtio_device *dev)
{
    R8(dev->common, C_STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
}

void virtio_notify(struct virtio_device *dev, uint16_t queue)
{
    R16(dev->notify, dev->notify_offset[0] * dev->notify_multiplier) = queue;
}

uint32_t virtio_config32(const struct virtio_device *dev, unsigned offset)
{
    return R32(dev->device, offset);
}

uint64_t virtio_config64(const struct virtio_device *dev, unsigned offset)
{
    return R32(dev->device, offset) | (uint64_t)R32(dev->device, offset + 4) << 32;
}
