/* Multiboot (v1) information structures, as the loader leaves them in memory. */
#pragma once

#include <stdint.h>

#define MULTIBOOT_INFO_MEMORY  (1 << 0)
#define MULTIBOOT_INFO_CMDLINE (1 << 2)
#define MULTIBOOT_INFO_MODS    (1 << 3)
#define MULTIBOOT_INFO_MMAP    (1 << 6)

struct __attribute__((packed)) multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct __attribute__((packed)) multiboot_mmap_entry {
    uint32_t size; /* of the rest of the entry, not counting this field */
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct __attribute__((packed)) multiboot_module {
    uint32_t start, end;
    uint32_t string;
    uint32_t reserved;
};
