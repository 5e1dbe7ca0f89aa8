/* The kernel heap: kmalloc/kfree over lib heap logic and the page allocator. */
#pragma once

#include <stddef.h>

#include "kernel/mm/heap.h"

void kmalloc_init(void);
void *kmalloc(size_t size);
void *kcalloc(size_t count, size_t size);
void kfree(void *ptr);
struct heap_stats kmalloc_stats(void);
/* Checks every live object's guard; returns the number of corrupted ones. */
size_t kmalloc_check(void);
