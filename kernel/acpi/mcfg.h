/* The MCFG table: where PCI Express configuration space (ECAM) lives. Pure logic over the
 * ACPI access callback, unit-tested on the host like the rest of kernel/acpi. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/acpi/acpi.h"

/* One ECAM window: configuration space of buses first_bus..last_bus of `segment`, 1 MiB per
 * bus, 4 KiB per function, starting at `base` (the address of bus 0, as MCFG gives it). */
struct acpi_ecam {
    uint64_t base;
    uint16_t segment;
    uint8_t first_bus, last_bus;
};

/* Reads the MCFG of the RSDP at `rsdp_phys` and returns its first window of segment 0 in
 * *out. WG_ERR_NOT_FOUND without an MCFG or a segment-0 window; WG_ERR_BAD_FORMAT for a
 * table that fails its checks or a window that is empty, misaligned or wraps (warned). */
enum wg_error acpi_mcfg_parse(const struct acpi_access *access, uint64_t rsdp_phys,
                              struct acpi_ecam *out);
