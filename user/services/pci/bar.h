/* Decoding a PCI base address register from the standard size probe: the value read before,
 * and the value read back after writing all ones (PCI Local Bus 3.0, 6.2.5.1). Pure logic,
 * unit-tested on the host (tests/host/test_pci_bar.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "user/lib/pci.h"

/* One BAR slot: `low` is the slot, `high` the next one (read only for a 64-bit memory BAR:
 * `*uses_next` says so). Fills *out (size 0 for an unimplemented BAR). */
void pci_bar_decode(uint32_t low, uint32_t low_probe, uint32_t high, uint32_t high_probe,
                    struct pci_bar *out, bool *uses_next);

/* True if the BAR slot value `low` is a 64-bit memory BAR. */
bool pci_bar_is_64(uint32_t low);
