/* Enumeration: every function of every bus the configuration access reaches, with its BARs
 * sized by the standard probe and its capability list walked. */
#pragma once

#include <stddef.h>

#include "config.h"
#include "user/lib/pci.h"

#define PCI_SCAN_MAX 64

/* Fills devices[] (up to PCI_SCAN_MAX) and returns how many were found. BARs are probed
 * with decoding turned off, before any driver runs. */
size_t pci_scan(const struct pci_config *config, struct pci_device *devices);
