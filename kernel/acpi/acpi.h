/* ACPI table parsing: RSDP, RSDT/XSDT, MADT, SRAT and SLIT turned into a machine topology.
 *
 * Pure logic over an access callback (physical address -> readable bytes), so it is
 * unit-tested on the host with synthetic and malformed tables. Every signature, length and
 * checksum is checked; a table that fails is ignored with a warning and its part of the
 * topology falls back (see struct acpi_topology), never trusted half-way. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#define ACPI_MAX_CPUS      64
#define ACPI_MAX_IOAPICS   8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_NODES     8
#define ACPI_MAX_MEMORY    32 /* SRAT memory affinity ranges kept */

struct acpi_access {
    /* Returns `length` readable bytes at physical `phys`, or NULL if that memory cannot be
     * read (outside RAM / beyond what the caller maps). */
    const void *(*map)(void *ctx, uint64_t phys, size_t length);
    /* Called with a one-line message for every table or entry ignored. May be NULL. */
    void (*warn)(void *ctx, const char *message);
    void *ctx;
};

struct acpi_cpu {
    uint32_t apic_id;
    uint32_t uid;
    uint8_t node; /* dense node index (see node_domain) */
};

struct acpi_ioapic {
    uint32_t id;
    uint64_t address;
    uint32_t gsi_base;
};

struct acpi_override {
    uint8_t source_irq; /* ISA IRQ */
    uint32_t gsi;
    uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger mode bits 2-3 */
};

struct acpi_memory {
    uint64_t base, length;
    uint8_t node;
};

struct acpi_topology {
    bool madt_valid, srat_valid, slit_valid;

    /* From the MADT: enabled (or online-capable) processors, I/O APICs, ISA overrides. */
    uint64_t lapic_address; /* without a valid MADT: 0xFEE00000, the architectural default */
    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    size_t cpu_count;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    size_t ioapic_count;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
    size_t override_count;

    /* From the SRAT: proximity domains renumbered densely 0..node_count-1 in order of first
     * appearance; node_domain[n] is node n's ACPI proximity domain. Without a valid SRAT:
     * one node (0) holding every CPU and no memory ranges. */
    size_t node_count;
    uint32_t node_domain[ACPI_MAX_NODES];
    struct acpi_memory memory[ACPI_MAX_MEMORY];
    size_t memory_count;

    /* From the SLIT, indexed by dense node; without a valid SLIT: 10 on the diagonal, 20
     * elsewhere (the ACPI defaults). */
    uint8_t distance[ACPI_MAX_NODES][ACPI_MAX_NODES];
};

/* Scans the BIOS areas (the EBDA's first KiB, then 0xE0000-0xFFFFF) for a valid RSDP.
 * Returns its physical address, or 0. */
uint64_t acpi_find_rsdp(const struct acpi_access *access);

/* Physical address of the first table with `signature` (4 chars) listed by the RSDT/XSDT of
 * the RSDP at `rsdp_phys`, whether or not its checksum is right; 0 if none. */
uint64_t acpi_find_table(const struct acpi_access *access, uint64_t rsdp_phys,
                         const char *signature);

/* Fills *out. Returns WG_ERR_OK when the RSDP and root table are valid (individual tables
 * may still have been refused: see the *_valid flags), WG_ERR_NOT_FOUND for rsdp_phys 0 and
 * WG_ERR_BAD_FORMAT for a bad RSDP/RSDT/XSDT; in every case *out holds a usable fallback
 * topology (no CPUs listed when the MADT is unusable: the caller adds the boot CPU). */
enum wg_error acpi_parse(const struct acpi_access *access, uint64_t rsdp_phys,
                         struct acpi_topology *out);
