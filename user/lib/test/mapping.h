/* Physical memory created for a test and mapped in the test's own space. */
#pragma once

#include <wingos.h>

struct mapping {
    wg_handle pmem, vmem;
    volatile uint64_t *words;
};

/* PMEM_CREATE of `pages` pages and VMEM_MAP at `address` with `flags`; false (and a failure)
 * if either fails, with nothing left behind. */
bool mapping_create(struct mapping *mapping, uint64_t pages, uintptr_t address, unsigned flags);
/* Releases both handles (the mapping goes with the vmem). */
void mapping_release(struct mapping *mapping);
