/* What every PCI driver started by init does first: take its assets from the arguments
 * (PROGRAM NAME CONFIG DMA MSI BAR0..BAR5, handle values, 0 for an unused BAR), map them,
 * turn on memory decoding and bus mastering, and aim MSI-X table entry 0 at its MSI vector
 * (the kernel's message, so it can only raise the vector it was given). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#include "pci.h"

struct pci_driver {
    const char *name;
    volatile uint8_t *config; /* the function's 4 KiB configuration page */
    volatile uint8_t *bar[PCI_BARS];
    uint64_t bar_size[PCI_BARS];
    uint8_t *dma;
    uint64_t dma_phys, dma_size;
    wg_handle msi;
    struct wg_msi_message message;
};

/* Parses and maps the assets; false (logged, prefixed by the program name) on a failure. */
bool pci_driver_open(int argc, char **argv, struct pci_driver *out);

/* Offset of the first capability `id` at or after list position `after` (0: from the
 * start); 0 when there is none. */
unsigned pci_driver_find_cap(const struct pci_driver *driver, uint8_t id, unsigned after);

/* Enables MSI-X with entry 0 carrying the MSI message and the others masked; false if the
 * function has no MSI-X or its table is not in a mapped BAR. */
bool pci_driver_enable_msix(struct pci_driver *driver);

static inline uint32_t pci_cfg_read32(const struct pci_driver *d, unsigned offset)
{
    return *(volatile uint32_t *)(d->config + offset);
}

static inline void pci_cfg_write32(const struct pci_driver *d, unsigned offset, uint32_t value)
{
    *(volatile uint32_t *)(d->config + offset) = value;
}
