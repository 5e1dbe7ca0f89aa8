/* The PCI service's protocol (user/services/pci) and its client side. The service owns
 * configuration space; clients (init, the shell's lspci) ask it what devices exist.
 * Plain C for now; shaped so the IDL compiler can generate it later (ops, fixed entries).
 *
 * Requests are calls with values only; entry 0 = op | index << 8 | bar << 40.
 *   PCI_OP_DEVICE  reply: 0 error, 1 bus << 8 | device << 3 | function, vendor << 16,
 *                  device id << 32, revision << 48; 2 class << 16 | subclass << 8 | prog-if,
 *                  header type << 24, capability count << 32; 3 physical address of the
 *                  function's 4 KiB ECAM page (0 with the legacy ports); 4 the first 8
 *                  capability ids, one byte each; 5 their offsets in configuration space
 *   PCI_OP_BAR     reply: 0 error, 1 base, 2 size in bytes, 3 PCI_BAR_* flags
 * Errors: NOT_FOUND (index past the last device, or an unused BAR), OUT_OF_RANGE (bar >= 6),
 * NOT_SUPPORTED (another op), INVALID_ARGUMENT (an asset entry). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#define PCI_SERVICE_NAME "pci"
#define PCI_BARS         6
#define PCI_CAPS_LISTED  8

enum pci_op {
    PCI_OP_DEVICE = 1,
    PCI_OP_BAR = 2,
};

#define PCI_BAR_IO       1u
#define PCI_BAR_64       2u /* a 64-bit memory BAR: it takes the next slot too */
#define PCI_BAR_PREFETCH 4u

#define PCI_CAP_MSI           0x05
#define PCI_CAP_VENDOR        0x09
#define PCI_CAP_PCIE          0x10
#define PCI_CAP_MSIX          0x11
#define PCI_CLASS_STORAGE     0x01
#define PCI_SUBCLASS_NVME     0x08
#define PCI_VENDOR_VIRTIO     0x1af4
#define PCI_DEVICE_VIRTIO_BLK 0x1042 /* modern (virtio 1.x) block device */

struct pci_bar {
    uint64_t base, size; /* size 0: unused */
    uint32_t flags;
};

struct pci_device {
    uint8_t bus, device, function, revision;
    uint16_t vendor, device_id;
    uint8_t class_code, subclass, prog_if, header_type;
    uint8_t cap_count; /* all capabilities found; the first PCI_CAPS_LISTED are below */
    uint8_t cap_id[PCI_CAPS_LISTED], cap_offset[PCI_CAPS_LISTED];
    uint64_t ecam_page;
    struct pci_bar bars[PCI_BARS];
};

/* Device `index` (0, 1, ...) and its BARs, asked over `connection` (to the PCI service).
 * NOT_FOUND past the last device; otherwise the service's or the syscall's error. */
enum wg_error pci_device_get(wg_handle connection, uint32_t index, struct pci_device *out);

/* "storage (NVMe)", "network"... for lspci. */
const char *pci_class_name(uint8_t class_code, uint8_t subclass);
