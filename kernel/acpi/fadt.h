/* What the FADT and the DSDT say about powering the machine off and resetting it: the PM1
 * control ports with the sleep type of S5 (the \_S5 package in the DSDT's AML), and the reset
 * register. Pure logic over the ACPI access callback, unit-tested on the host. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/acpi/acpi.h"

struct acpi_power {
    bool s5_valid;               /* the fields below for S5 were found */
    uint16_t pm1a_cnt, pm1b_cnt; /* I/O ports of the PM1 control blocks (b: 0 if none) */
    uint8_t slp_typa, slp_typb;  /* SLP_TYP values for S5 */
    bool reset_valid;            /* the FADT has a usable reset register in I/O space */
    uint16_t reset_port;
    uint8_t reset_value;
};

/* Fills *out (zeroed first). WG_ERR_NOT_FOUND without a FADT, WG_ERR_BAD_FORMAT if the FADT
 * fails its checks; WG_ERR_OK otherwise, even when S5 or the reset register is missing
 * (see the *_valid flags). */
enum wg_error acpi_power_parse(const struct acpi_access *access, uint64_t rsdp_phys,
                               struct acpi_power *out);

/* Finds "\_S5" in AML `bytes` and reads its first two package elements; false if absent or
 * malformed. */
bool acpi_find_s5(const uint8_t *bytes, size_t length, uint8_t *slp_typa, uint8_t *slp_typb);
