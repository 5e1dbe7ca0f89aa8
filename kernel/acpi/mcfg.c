/* MCFG parsing (PCI Firmware Specification 3.x, section 4.1.2): a header, 8 reserved bytes,
 * then 16-byte allocation entries, one per ECAM window. */
#include "kernel/acpi/mcfg.h"
#include "kernel/acpi/tables.h"

#define MCFG_ENTRIES_OFFSET 44 /* header (36) + 8 reserved */
#define ECAM_BUS_BYTES      (1ull << 20)

struct acpi_mcfg_entry {
    uint64_t base;
    uint16_t segment;
    uint8_t first_bus, last_bus;
    uint32_t reserved;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_mcfg_entry) == 16, "MCFG entry layout");

static bool window_valid(const struct acpi_mcfg_entry *entry)
{
    uint64_t span = (uint64_t)(entry->last_bus + 1) * ECAM_BUS_BYTES;
    return entry->base != 0 && (entry->base & (ECAM_BUS_BYTES - 1)) == 0 &&
           entry->first_bus <= entry->last_bus && entry->base + span > entry->base;
}

enum wg_error acpi_mcfg_parse(const struct acpi_access *access, uint64_t rsdp_phys,
                              struct acpi_ecam *out)
{
    uint64_t phys = rsdp_phys ? acpi_find_table(access, rsdp_phys, "MCFG") : 0;
    struct acpi_table table;
    if (!phys)
        return WG_ERR_NOT_FOUND;
    if (!acpi_table_load(access, phys, "MCFG", &table))
        return WG_ERR_BAD_FORMAT;
    for (size_t at = MCFG_ENTRIES_OFFSET; at + sizeof(struct acpi_mcfg_entry) <= table.length;
         at += sizeof(struct acpi_mcfg_entry)) {
        struct acpi_mcfg_entry entry;
        memcpy(&entry, table.bytes + at, sizeof entry);
        if (entry.segment != 0)
            continue;
        if (!window_valid(&entry)) {
            acpi_warn(access, "acpi: MCFG window at %#llx (buses %u-%u): invalid, ignored",
                      (unsigned long long)entry.base, entry.first_bus, entry.last_bus);
            return WG_ERR_BAD_FORMAT;
        }
        *out = (struct acpi_ecam){entry.base, entry.segment, entry.first_bus, entry.last_bus};
        return WG_ERR_OK;
    }
    return WG_ERR_NOT_FOUND;
}
