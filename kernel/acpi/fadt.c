/* FADT and \_S5 parsing (ACPI 6.x sections 5.2.9 and 7.4.2; AML encoding in section 20). */
#include "kernel/acpi/fadt.h"
#include "kernel/acpi/tables.h"

#define FADT_DSDT        40
#define FADT_PM1A_CNT    64
#define FADT_PM1B_CNT    68
#define FADT_FLAGS       112
#define FADT_RESET_REG   116 /* a Generic Address Structure: space, width, offset, size, u64 */
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT      140
#define FADT_FLAG_RESET  (1u << 10)
#define GAS_SYSTEM_IO    1
#define AML_NAME_OP      0x08
#define AML_PACKAGE_OP   0x12
#define AML_ZERO_OP      0x00
#define AML_ONE_OP       0x01
#define AML_BYTE_PREFIX  0x0a
#define AML_ONES_OP      0xff

static uint32_t read32(const uint8_t *bytes, size_t at)
{
    uint32_t value;
    memcpy(&value, bytes + at, sizeof value);
    return value;
}

static uint64_t read64(const uint8_t *bytes, size_t at)
{
    uint64_t value;
    memcpy(&value, bytes + at, sizeof value);
    return value;
}

/* One integer element of a package at bytes[*at]: ZeroOp, OneOp, OnesOp or a BytePrefix. */
static bool read_element(const uint8_t *bytes, size_t length, size_t *at, uint8_t *value)
{
    if (*at >= length)
        return false;
    uint8_t op = bytes[(*at)++];
    if (op == AML_ZERO_OP || op == AML_ONE_OP || op == AML_ONES_OP) {
        *value = op == AML_ONES_OP ? 0xff : op;
        return true;
    }
    if (op != AML_BYTE_PREFIX || *at >= length)
        return false;
    *value = bytes[(*at)++];
    return true;
}

/* Reads the package after a "_S5_" name at bytes[at]. */
static bool read_s5_package(const uint8_t *bytes, size_t length, size_t at, uint8_t *a, uint8_t *b)
{
    if (at >= length || bytes[at++] != AML_PACKAGE_OP || at >= length)
        return false;
    at += 1 + (bytes[at] >> 6);          /* PkgLength: its lead byte says how many bytes follow */
    if (at >= length || bytes[at++] < 2) /* NumElements */
        return false;
    return read_element(bytes, length, &at, a) && read_element(bytes, length, &at, b);
}

bool acpi_find_s5(const uint8_t *bytes, size_t length, uint8_t *slp_typa, uint8_t *slp_typb)
{
    for (size_t at = 1; at + 4 <= length; at++) {
        if (memcmp(bytes + at, "_S5_", 4) != 0)
            continue;
        bool named = bytes[at - 1] == AML_NAME_OP ||
                     (bytes[at - 1] == '\\' && at >= 2 && bytes[at - 2] == AML_NAME_OP);
        if (named && read_s5_package(bytes, length, at + 4, slp_typa, slp_typb))
            return true;
    }
    return false;
}

static void read_s5(const struct acpi_access *access, uint64_t dsdt_phys, struct acpi_power *out)
{
    struct acpi_table dsdt;
    if (dsdt_phys == 0 || !acpi_table_load(access, dsdt_phys, "DSDT", &dsdt))
        return;
    size_t header = sizeof(struct acpi_sdt_header);
    out->s5_valid = out->pm1a_cnt != 0 && acpi_find_s5(dsdt.bytes + header, dsdt.length - header,
                                                       &out->slp_typa, &out->slp_typb);
    if (!out->s5_valid)
        acpi_warn(access, "acpi: no usable \\_S5 in the DSDT: no ACPI power-off");
}

static void read_reset(const uint8_t *fadt, uint32_t length, struct acpi_power *out)
{
    if (length < FADT_RESET_VALUE + 1 || !(read32(fadt, FADT_FLAGS) & FADT_FLAG_RESET))
        return;
    uint64_t address = read64(fadt, FADT_RESET_REG + 4);
    if (fadt[FADT_RESET_REG] != GAS_SYSTEM_IO || address == 0 || address > 0xffff)
        return; /* memory-mapped reset registers are not used: port 0xcf9 instead */
    out->reset_valid = true;
    out->reset_port = (uint16_t)address;
    out->reset_value = fadt[FADT_RESET_VALUE];
}

enum wg_error acpi_power_parse(const struct acpi_access *access, uint64_t rsdp_phys,
                               struct acpi_power *out)
{
    *out = (struct acpi_power){0};
    uint64_t phys = rsdp_phys ? acpi_find_table(access, rsdp_phys, "FACP") : 0;
    struct acpi_table fadt;
    if (!phys)
        return WG_ERR_NOT_FOUND;
    if (!acpi_table_load(access, phys, "FACP", &fadt) || fadt.length < FADT_PM1B_CNT + 4)
        return WG_ERR_BAD_FORMAT;
    uint32_t pm1a = read32(fadt.bytes, FADT_PM1A_CNT), pm1b = read32(fadt.bytes, FADT_PM1B_CNT);
    out->pm1a_cnt = pm1a <= 0xffff ? (uint16_t)pm1a : 0;
    out->pm1b_cnt = pm1b <= 0xffff ? (uint16_t)pm1b : 0;
    uint64_t dsdt = read32(fadt.bytes, FADT_DSDT);
    if (fadt.length >= FADT_X_DSDT + 8 && read64(fadt.bytes, FADT_X_DSDT) != 0)
        dsdt = read64(fadt.bytes, FADT_X_DSDT);
    read_reset(fadt.bytes, fadt.length, out);
    read_s5(access, dsdt, out);
    return WG_ERR_OK;
}
