/* What the boot protocol told us, translated by the arch layer into generic terms. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_MEMORY_RANGES 64
#define BOOT_MAX_MODULES       16
#define BOOT_CMDLINE_MAX       256

enum boot_memory_type {
    BOOT_MEMORY_USABLE,
    BOOT_MEMORY_RESERVED,
    BOOT_MEMORY_ACPI_RECLAIMABLE,
    BOOT_MEMORY_ACPI_NVS,
    BOOT_MEMORY_BAD,
};

struct boot_memory_range {
    uint64_t base;
    uint64_t length;
    enum boot_memory_type type;
};

struct boot_module {
    uint64_t phys_start;
    uint64_t phys_end;
    char name[64];
};

struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    struct boot_memory_range memory[BOOT_MAX_MEMORY_RANGES];
    size_t memory_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    size_t module_count;
    /* Physical ranges the boot loader's own structures occupy (info block, map, strings). */
    struct boot_memory_range loader_data[8];
    size_t loader_data_count;
    uint64_t image_phys_start, image_phys_end;
};
