/* Configuration space access for the PCI service: through the ECAM window (mapped device
 * memory) or, without one, the legacy ports 0xcf8/0xcfc. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pci_config {
    volatile uint8_t *ecam; /* mapped window of buses 0..buses-1, or NULL: ports */
    uint64_t ecam_phys;
    unsigned buses;
};

/* 32-bit accesses at a 4-byte aligned `offset` (< 4096 with ECAM, < 256 with the ports). */
uint32_t pci_config_read(const struct pci_config *config, unsigned bus, unsigned device,
                         unsigned function, unsigned offset);
void pci_config_write(const struct pci_config *config, unsigned bus, unsigned device,
                      unsigned function, unsigned offset, uint32_t value);

/* Physical address of a function's ECAM page (0 with the ports). */
uint64_t pci_config_page(const struct pci_config *config, unsigned bus, unsigned device,
                         unsigned function);
