/* The kernel heap: kmalloc/kfree over the heap logic (heap.c), per-CPU caches of small
 * objects (heap_cache.c) and the page allocator. Usable from any context; interrupts may be
 * off. kmalloc_stats(), kmalloc_check() and the free-page counts drain the caches first. */
#pragma once

#include <stddef.h>

#include "kernel/mm/heap.h"

void kmalloc_init(void);
void *kmalloc(size_t size);
void *kcalloc(size_t count, size_t size);
void kfree(void *ptr);
struct heap_stats kmalloc_stats(void);
/* How often `cpu` went to the shared heap to refill or drain its cache of small objects. */
uint64_t kmalloc_heap_trips(unsigned cpu);
/* Checks every live object's guard; returns the number of corrupted ones. */
size_t kmalloc_check(void);
