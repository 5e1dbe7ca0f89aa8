/* The one interface between generic kernel code and the architecture layer.
 * Only kernel/arch/<arch>/ implements these; generic code includes nothing else of it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/arch/x86_64/layout.h"

struct boot_info;

/* Console output for logs and panics (serial). */
void arch_console_write(const char *chars, size_t count);

/* Stops every CPU for good, interrupts off. */
__attribute__((noreturn)) void arch_halt_all(void);

/* Sleeps until the next interrupt. */
void arch_wait_for_interrupt(void);

/* Under QEMU in test mode: leaves the emulator with `code` (isa-debug-exit). */
void arch_test_exit(int code);

/* Prints a frame-pointer backtrace starting at the given frame. */
void arch_backtrace_from(uintptr_t rbp, uintptr_t rip);
void arch_backtrace_here(void);

/* Reading the cycle counter. */
uint64_t arch_cycles(void);

/* ---- Paging: page-table trees, one per address space, of 4 KiB pages. ---- */

enum {
    ARCH_MAP_READ = 1 << 0,
    ARCH_MAP_WRITE = 1 << 1,
    ARCH_MAP_EXEC = 1 << 2,
    ARCH_MAP_USER = 1 << 3,
    ARCH_MAP_UNCACHED = 1 << 4,
};

struct arch_translation {
    enum wg_error err;
    uint64_t phys;
    unsigned flags; /* ARCH_MAP_* */
};

struct arch_root_result {
    enum wg_error err;
    uint64_t root;
};

/* Builds the kernel's own page tables from the boot memory map and switches to them. */
void arch_paging_init(const struct boot_info *info);

/* A new tree sharing the kernel half, with an empty user half. */
struct arch_root_result arch_paging_create_root(void);
/* Frees every page-table page of the user half and the root itself (not the mapped pages). */
void arch_paging_destroy_root(uint64_t root);
uint64_t arch_paging_kernel_root(void);
void arch_paging_activate(uint64_t root);
uint64_t arch_paging_active_root(void);

/* Single-page operations. map fails with ALREADY_EXISTS when a page is there, unmap and
 * protect with NOT_FOUND when none is; intermediate tables come from the page allocator. */
enum wg_error arch_paging_map(uint64_t root, uintptr_t virt, uint64_t phys, unsigned flags);
enum wg_error arch_paging_unmap(uint64_t root, uintptr_t virt);
enum wg_error arch_paging_protect(uint64_t root, uintptr_t virt, unsigned flags);
struct arch_translation arch_paging_translate(uint64_t root, uintptr_t virt);

/* Drops the TLB entry of one page of the active tree on this CPU. */
void arch_tlb_flush_page(uintptr_t virt);

/* True if a kernel access to [virt, virt+size) cannot fault in the active tree. */
bool arch_kernel_range_mapped(uintptr_t virt, size_t size);
