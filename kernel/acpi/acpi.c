/* ACPI discovery: finds and checks the RSDP, walks the RSDT or XSDT, maps and checksums the
 * tables it lists, and drives the MADT, SRAT and SLIT parsers, putting the fallback topology
 * in place of any table that is missing or refused. */
#include "kernel/acpi/acpi.h"

#include <stdarg.h>

#include "kernel/acpi/tables.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define EBDA_SEGMENT_PHYS 0x40Eu
#define EBDA_SEARCH_SIZE  1024u
#define BIOS_AREA_PHYS    0xE0000u
#define BIOS_AREA_SIZE    0x20000u
#define RSDP_ALIGN        16u
#define RSDP_MAX_LENGTH   4096u /* a longer RSDP is corrupt, not a future revision */
#define ROOT_MAX_ENTRIES  256u
#define WARN_BUFFER_SIZE  120

/* The RSDT or XSDT, checked, with the width of its entries. */
struct acpi_root {
    struct acpi_table table;
    size_t entry_size; /* 4 for the RSDT, 8 for the XSDT */
    size_t entry_count;
};

void acpi_warn(const struct acpi_access *access, const char *format, ...)
{
    char message[WARN_BUFFER_SIZE];
    va_list args;

    if (!access->warn)
        return;
    va_start(args, format);
    fmt_vsnprintf(message, sizeof message, format, args);
    va_end(args);
    access->warn(access->ctx, message);
}

static const uint8_t *acpi_map(const struct acpi_access *access, uint64_t phys, size_t length)
{
    if (phys > UINT64_MAX - length)
        return NULL;
    return access->map(access->ctx, phys, length);
}

static uint8_t acpi_sum(const uint8_t *bytes, size_t length)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < length; i++)
        sum += bytes[i];
    return sum;
}

/* True when a valid RSDP sits at `phys`; copies it (zero-extended for revision 0). */
static bool rsdp_read(const struct acpi_access *access, uint64_t phys, struct acpi_rsdp *rsdp)
{
    const uint8_t *bytes = acpi_map(access, phys, ACPI_RSDP_V1_SIZE);

    if (!bytes || memcmp(bytes, "RSD PTR ", 8) != 0)
        return false;
    if (acpi_sum(bytes, ACPI_RSDP_V1_SIZE) != 0) {
        acpi_warn(access, "acpi: RSDP at %#llx: bad checksum", (unsigned long long)phys);
        return false;
    }
    memset(rsdp, 0, sizeof *rsdp);
    memcpy(rsdp, bytes, ACPI_RSDP_V1_SIZE);
    if (rsdp->revision < 2)
        return true;
    bytes = acpi_map(access, phys, sizeof *rsdp);
    if (bytes)
        memcpy(rsdp, bytes, sizeof *rsdp);
    if (!bytes || rsdp->length < sizeof *rsdp || rsdp->length > RSDP_MAX_LENGTH) {
        acpi_warn(access, "acpi: RSDP at %#llx: bad length", (unsigned long long)phys);
        return false;
    }
    bytes = acpi_map(access, phys, rsdp->length);
    if (!bytes || acpi_sum(bytes, rsdp->length) != 0) {
        acpi_warn(access, "acpi: RSDP at %#llx: bad extended checksum", (unsigned long long)phys);
        return false;
    }
    return true;
}

/* Physical address of the first valid RSDP on a 16-byte boundary in [start, start+size). */
static uint64_t rsdp_scan(const struct acpi_access *access, uint64_t start, size_t size)
{
    const uint8_t *area = acpi_map(access, start, size);
    struct acpi_rsdp rsdp;

    if (!area)
        return 0;
    for (size_t offset = 0; offset + 8 <= size; offset += RSDP_ALIGN) {
        if (memcmp(area + offset, "RSD PTR ", 8) == 0 && rsdp_read(access, start + offset, &rsdp))
            return start + offset;
    }
    return 0;
}

uint64_t acpi_find_rsdp(const struct acpi_access *access)
{
    const uint8_t *word = acpi_map(access, EBDA_SEGMENT_PHYS, sizeof(uint16_t));

    if (word) {
        uint16_t segment;
        memcpy(&segment, word, sizeof segment);
        uint64_t found = segment ? rsdp_scan(access, (uint64_t)segment << 4, EBDA_SEARCH_SIZE) : 0;
        if (found)
            return found;
    }
    return rsdp_scan(access, BIOS_AREA_PHYS, BIOS_AREA_SIZE);
}

/* Maps the whole table at `phys` and checks its signature, length and checksum. */
static bool table_load(const struct acpi_access *access, uint64_t phys, const char *signature,
                       struct acpi_table *table)
{
    const uint8_t *bytes = acpi_map(access, phys, sizeof(struct acpi_sdt_header));
    struct acpi_sdt_header header;
    const char *problem = NULL;

    if (!bytes) {
        problem = "unreadable";
    } else {
        memcpy(&header, bytes, sizeof header);
        if (memcmp(header.signature, signature, 4) != 0)
            problem = "wrong signature";
        else if (header.length < sizeof header)
            problem = "length too small";
        else if (!(bytes = acpi_map(access, phys, header.length)))
            problem = "length past readable memory";
        else if (acpi_sum(bytes, header.length) != 0)
            problem = "bad checksum";
    }
    if (problem) {
        acpi_warn(access, "acpi: %.4s at %#llx: %s, ignored", signature, (unsigned long long)phys,
                  problem);
        return false;
    }
    table->bytes = bytes;
    table->length = header.length;
    return true;
}

bool acpi_table_load(const struct acpi_access *access, uint64_t phys, const char *signature,
                     struct acpi_table *table)
{
    return table_load(access, phys, signature, table);
}

static bool root_load_one(const struct acpi_access *access, uint64_t phys, const char *signature,
                          size_t entry_size, struct acpi_root *root)
{
    if (!table_load(access, phys, signature, &root->table))
        return false;
    root->entry_size = entry_size;
    root->entry_count = (root->table.length - sizeof(struct acpi_sdt_header)) / entry_size;
    if (root->entry_count > ROOT_MAX_ENTRIES) {
        acpi_warn(access, "acpi: %s lists %zu tables, reading the first %u", signature,
                  root->entry_count, ROOT_MAX_ENTRIES);
        root->entry_count = ROOT_MAX_ENTRIES;
    }
    return true;
}

/* Checks the RSDP and loads the root table: the XSDT when there is one, else (or when the
 * XSDT is refused) the RSDT. */
static bool root_load(const struct acpi_access *access, uint64_t rsdp_phys, struct acpi_root *root)
{
    struct acpi_rsdp rsdp;

    if (!rsdp_read(access, rsdp_phys, &rsdp)) {
        acpi_warn(access, "acpi: no valid RSDP at %#llx", (unsigned long long)rsdp_phys);
        return false;
    }
    if (rsdp.revision >= 2 && rsdp.xsdt_address != 0) {
        if (root_load_one(access, rsdp.xsdt_address, "XSDT", sizeof(uint64_t), root))
            return true;
        if (rsdp.rsdt_address != 0)
            acpi_warn(access, "acpi: falling back to the RSDT");
    }
    if (rsdp.rsdt_address == 0) {
        acpi_warn(access, "acpi: RSDP lists no usable root table");
        return false;
    }
    return root_load_one(access, rsdp.rsdt_address, "RSDT", sizeof(uint32_t), root);
}

/* First table listed by the root with `signature` (checksum not checked), or 0. Entries that
 * are 0 or unreadable are skipped. */
static uint64_t root_find(const struct acpi_access *access, const struct acpi_root *root,
                          const char *signature)
{
    const uint8_t *entries = root->table.bytes + sizeof(struct acpi_sdt_header);

    for (size_t i = 0; i < root->entry_count; i++) {
        uint64_t phys = 0;
        memcpy(&phys, entries + i * root->entry_size, root->entry_size);
        const uint8_t *header = phys ? acpi_map(access, phys, 4) : NULL;
        if (header && memcmp(header, signature, 4) == 0)
            return phys;
    }
    return 0;
}

uint64_t acpi_find_table(const struct acpi_access *access, uint64_t rsdp_phys,
                         const char *signature)
{
    struct acpi_root root;

    if (rsdp_phys == 0 || !root_load(access, rsdp_phys, &root))
        return 0;
    return root_find(access, &root, signature);
}

typedef bool (*table_parser)(const struct acpi_access *access, const struct acpi_table *table,
                             struct acpi_topology *out);

/* Finds, loads and parses one table; false if it is missing or refused. */
static bool parse_table(const struct acpi_access *access, const struct acpi_root *root,
                        const char *signature, table_parser parser, struct acpi_topology *out)
{
    uint64_t phys = root_find(access, root, signature);
    struct acpi_table table;

    if (phys == 0 || !table_load(access, phys, signature, &table))
        return false;
    if (!parser(access, &table, out)) {
        acpi_warn(access, "acpi: %.4s refused, using defaults", signature);
        return false;
    }
    return true;
}

enum wg_error acpi_parse(const struct acpi_access *access, uint64_t rsdp_phys,
                         struct acpi_topology *out)
{
    struct acpi_root root;

    memset(out, 0, sizeof *out);
    acpi_madt_fallback(out);
    acpi_srat_fallback(out);
    acpi_slit_fallback(out);
    if (rsdp_phys == 0)
        return WG_ERR_NOT_FOUND;
    if (!root_load(access, rsdp_phys, &root))
        return WG_ERR_BAD_FORMAT;

    out->madt_valid = parse_table(access, &root, "APIC", acpi_madt_parse, out);
    if (!out->madt_valid) {
        acpi_warn(access, "acpi: no usable MADT, only the boot CPU will run");
        acpi_madt_fallback(out);
    }
    out->srat_valid = parse_table(access, &root, "SRAT", acpi_srat_parse, out);
    if (out->srat_valid) {
        out->slit_valid = parse_table(access, &root, "SLIT", acpi_slit_parse, out);
    } else {
        acpi_srat_fallback(out);
        if (root_find(access, &root, "SLIT"))
            acpi_warn(access, "acpi: SLIT ignored without a valid SRAT");
    }
    if (!out->slit_valid)
        acpi_slit_fallback(out);
    return WG_ERR_OK;
}
