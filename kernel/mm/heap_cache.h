/* Per-CPU caches of small heap objects: a CPU frees into and allocates from its own stack of
 * objects per size class, and goes to the shared heap only to refill an empty class or drain
 * a full one, in batches. Pure logic over struct heap (host-tested); the kernel glue
 * (kmalloc.c) gives each CPU a cache and a lock.
 *
 * A cached object stays allocated in its slab, marked in the slab's `cached` bitmap (atomic,
 * so no heap lock is needed to mark it), poisoned like a free object; HEAP_DEBUG keeps
 * checking guards on free, poison on reuse, and double frees. Locking: the functions marked
 * "heap lock" need the heap's lock too; all need the cache's. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/heap.h"

#define HEAP_CACHE_DEPTH 16   /* most objects of one class a cache holds */
#define HEAP_CACHE_BYTES 8192 /* ...and most bytes of one class (fewer big objects) */

struct heap_cache {
    uint16_t count[HEAP_CLASS_COUNT];
    void *objects[HEAP_CLASS_COUNT][HEAP_CACHE_DEPTH]; /* a stack per class, hottest on top */
    int64_t bytes_adjust; /* changes to requested sizes the heap's live_bytes missed since
                           * the cache last went to the heap (folded in then) */
};

enum heap_cache_result {
    HEAP_CACHE_DONE, /* freed into the cache, or a bad free was reported */
    HEAP_CACHE_FULL, /* the class is full: drain it, then free again */
};

/* How many objects of class `c` a cache holds at most (at least 2). */
unsigned heap_cache_limit(unsigned c);

/* The size class of the slab object `ptr` points into, or -1 if its page is not a slab
 * (a big block, or not the heap's). Reads only the page header. */
int heap_object_class(const void *ptr);

/* An object of `size` bytes (its class must be heap_size_class(size)) from the cache, or
 * NULL when that class is empty. */
void *heap_cache_alloc(struct heap_cache *cache, struct heap *heap, size_t size);

/* Checks `ptr` (a slab object: heap_object_class(ptr) >= 0) like heap_free() would and keeps
 * it; a bad free is reported and changes nothing. */
enum heap_cache_result heap_cache_free(struct heap_cache *cache, struct heap *heap, void *ptr);

/* Heap lock: moves objects of class `c` from the heap into the cache, up to half its limit. */
void heap_cache_refill(struct heap_cache *cache, struct heap *heap, unsigned c);

/* Heap lock: gives objects of class `c` back to the heap until `keep` are left. */
void heap_cache_drain(struct heap_cache *cache, struct heap *heap, unsigned c, unsigned keep);

/* Heap lock: gives every object back. */
void heap_cache_drain_all(struct heap_cache *cache, struct heap *heap);

/* Corrects heap statistics for what the cache holds and has handed out: its objects are not
 * live, and the bytes of objects it handed out are their requested sizes. Summed over every
 * cache, the result is exact. */
void heap_cache_add_stats(const struct heap_cache *cache, struct heap_stats *stats);
