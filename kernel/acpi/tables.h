/* Private to kernel/acpi: the byte layouts of the ACPI structures WingOS reads (ACPI 6.x,
 * section 5.2) and the helpers acpi.c, madt.c and srat.c share. Every field is little-endian
 * and may sit at any alignment, so structures are copied out of a table with memcpy into these
 * packed types, never read through a cast pointer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/acpi.h"
#include "lib/string.h"

#define ACPI_PACKED __attribute__((packed))

/* Root System Description Pointer. Revision 0 (ACPI 1.0) ends after rsdt_address. */
struct acpi_rsdp {
    char signature[8]; /* "RSD PTR " */
    uint8_t checksum;  /* makes the first ACPI_RSDP_V1_SIZE bytes sum to 0 */
    char oem_id[6];
    uint8_t revision; /* 2 or more: the fields below exist */
    uint32_t rsdt_address;
    uint32_t length; /* of the whole structure */
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* makes `length` bytes sum to 0 */
    uint8_t reserved[3];
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
#define ACPI_RSDP_V1_SIZE 20

/* The header every System Description Table starts with. */
struct acpi_sdt_header {
    char signature[4];
    uint32_t length; /* of the whole table, header included */
    uint8_t revision;
    uint8_t checksum; /* makes `length` bytes sum to 0 */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header layout");

/* Multiple APIC Description Table ("APIC"): these fields, then entries. */
struct acpi_madt {
    struct acpi_sdt_header header;
    uint32_t lapic_address;
    uint32_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");

enum {
    ACPI_MADT_LAPIC = 0,
    ACPI_MADT_IOAPIC = 1,
    ACPI_MADT_OVERRIDE = 2,
    ACPI_MADT_LAPIC_ADDRESS = 5,
    ACPI_MADT_X2APIC = 9,
};
#define ACPI_CPU_ENABLED        (1u << 0)
#define ACPI_CPU_ONLINE_CAPABLE (1u << 1)

struct acpi_madt_lapic {
    uint8_t type, length, uid, apic_id;
    uint32_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT local APIC layout");

struct acpi_madt_ioapic {
    uint8_t type, length, id, reserved;
    uint32_t address;
    uint32_t gsi_base;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT I/O APIC layout");

struct acpi_madt_override {
    uint8_t type, length, bus, source;
    uint32_t gsi;
    uint16_t flags;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_override) == 10, "MADT override layout");

struct acpi_madt_lapic_address {
    uint8_t type, length;
    uint16_t reserved;
    uint64_t address;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_lapic_address) == 12, "MADT LAPIC address layout");

struct acpi_madt_x2apic {
    uint8_t type, length;
    uint16_t reserved;
    uint32_t x2apic_id;
    uint32_t flags;
    uint32_t uid;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC layout");

/* System Resource Affinity Table ("SRAT"): these fields, then entries. */
struct acpi_srat {
    struct acpi_sdt_header header;
    uint32_t table_revision;
    uint64_t reserved;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat) == 48, "SRAT layout");

enum {
    ACPI_SRAT_CPU = 0,
    ACPI_SRAT_MEMORY = 1,
    ACPI_SRAT_X2APIC = 2,
};
#define ACPI_SRAT_ENABLED (1u << 0)

struct acpi_srat_cpu {
    uint8_t type, length;
    uint8_t domain_low; /* proximity domain bits 0-7 */
    uint8_t apic_id;
    uint32_t flags;
    uint8_t sapic_eid;
    uint8_t domain_high[3]; /* proximity domain bits 8-31 */
    uint32_t clock_domain;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat_cpu) == 16, "SRAT processor layout");

struct acpi_srat_memory {
    uint8_t type, length;
    uint32_t domain;
    uint16_t reserved;
    uint64_t base;
    uint64_t range_length;
    uint32_t reserved2;
    uint32_t flags;
    uint64_t reserved3;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat_memory) == 40, "SRAT memory layout");

struct acpi_srat_x2apic {
    uint8_t type, length;
    uint16_t reserved;
    uint32_t domain;
    uint32_t x2apic_id;
    uint32_t flags;
    uint32_t clock_domain;
    uint32_t reserved2;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_srat_x2apic) == 24, "SRAT x2APIC layout");

/* System Locality Distance Information Table ("SLIT"): these fields, then a count x count
 * byte matrix, row i holding the distances from locality i. */
struct acpi_slit {
    struct acpi_sdt_header header;
    uint64_t locality_count;
} ACPI_PACKED;
_Static_assert(sizeof(struct acpi_slit) == 44, "SLIT layout");

#define ACPI_LOCAL_DISTANCE  10
#define ACPI_REMOTE_DISTANCE 20 /* the default between two nodes without a SLIT */
#define ACPI_DEFAULT_LAPIC   0xFEE00000u

/* A table mapped whole whose length and checksum have been checked. */
struct acpi_table {
    const uint8_t *bytes;
    uint32_t length;
};

/* Maps the whole table at `phys` and checks its signature, length and checksum (warning
 * and false when one is wrong). */
bool acpi_table_load(const struct acpi_access *access, uint64_t phys, const char *signature,
                     struct acpi_table *table);

/* Cursor over a run of variable-length entries, each starting with (type, length). */
struct acpi_entries {
    const uint8_t *bytes;
    size_t offset, end;
};

enum acpi_entry_status { ACPI_ENTRY_OK, ACPI_ENTRY_END, ACPI_ENTRY_BAD };

/* Steps to the next entry. ACPI_ENTRY_BAD when the remaining bytes cannot hold one (a length
 * under 2 or past `end`); `offset` is then left at the bad entry. */
static inline enum acpi_entry_status acpi_entry_next(struct acpi_entries *entries,
                                                     const uint8_t **entry, uint8_t *length)
{
    size_t left = entries->end - entries->offset;
    const uint8_t *at = entries->bytes + entries->offset;

    if (left == 0)
        return ACPI_ENTRY_END;
    if (left < 2 || at[1] < 2 || at[1] > left)
        return ACPI_ENTRY_BAD;
    *entry = at;
    *length = at[1];
    entries->offset += at[1];
    return ACPI_ENTRY_OK;
}

/* Copies the first `size` bytes of an entry into `dst`; false if the entry is shorter. */
static inline bool acpi_entry_copy(void *dst, size_t size, const uint8_t *entry, uint8_t length)
{
    if (length < size)
        return false;
    memcpy(dst, entry, size);
    return true;
}

/* Formats a one-line message and hands it to access->warn, if there is one. */
void acpi_warn(const struct acpi_access *access, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Table parsers: each fills its part of *out and returns true, or returns false (after a
 * warning) leaving that part half-written for the caller to replace with the fallback. The
 * SRAT parser needs the MADT's CPUs in *out, and the SLIT parser the SRAT's nodes. */
bool acpi_madt_parse(const struct acpi_access *access, const struct acpi_table *madt,
                     struct acpi_topology *out);
bool acpi_srat_parse(const struct acpi_access *access, const struct acpi_table *srat,
                     struct acpi_topology *out);
bool acpi_slit_parse(const struct acpi_access *access, const struct acpi_table *slit,
                     struct acpi_topology *out);

/* The defaults each part of the topology falls back to without its table (see acpi.h): no
 * CPUs and the architectural local APIC address; one node holding every CPU and no memory
 * ranges; distance 10 on the diagonal and 20 elsewhere. */
void acpi_madt_fallback(struct acpi_topology *out);
void acpi_srat_fallback(struct acpi_topology *out);
void acpi_slit_fallback(struct acpi_topology *out);
