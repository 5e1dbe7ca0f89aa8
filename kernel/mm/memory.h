/* The kernel's physical memory: the boot-time setup of the page allocator from the boot
 * memory map, and the page allocation calls the rest of the kernel uses. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/mm/pmm.h"

struct boot_info;

static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(phys + HHDM_BASE);
}

static inline uint64_t virt_to_phys(const void *virt)
{
    return (uint64_t)virt - HHDM_BASE;
}

/* Sets up the page allocator; panics if the machine has no usable memory at all. */
void memory_init(const struct boot_info *info);

/* Until paging is ready only the first 4 GiB are mapped, so pages come from there. */
void memory_paging_ready(void);

/* Highest end address of RAM-like memory (what the direct map must cover). */
uint64_t memory_highest_phys(void);

struct pmm_result memory_alloc_pages(uint64_t count);
struct pmm_result memory_alloc(const struct pmm_request *request);
enum wg_error memory_free_pages(uint64_t phys, uint64_t count);

/* pmm_is_allocated() under the allocator's lock. */
bool memory_page_allocated(uint64_t phys);
/* NUMA node of a page of RAM, or -1. */
int memory_node_of(uint64_t phys);
uint64_t memory_node_free_page_count(int node);

uint64_t memory_free_page_count(void);
/* Registers what memory_free_page_count() and memory_node_free_page_count() call first to
 * give back pages held only by caches (the heap's per-CPU caches), so the counts are exact.
 * It must not be called with a lock the reclaimer takes held. */
void memory_set_reclaimer(void (*reclaim)(void));
uint64_t memory_total_page_count(void);
/* The allocator itself, for tests and reports that need zone details. */
const struct pmm *memory_pmm(void);
