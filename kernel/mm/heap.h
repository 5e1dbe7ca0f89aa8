/* Kernel heap for small objects: size classes carved out of pages, big blocks as page runs.
 *
 * Pure logic over a page source, so it is unit-tested on the host. With HEAP_DEBUG (on in
 * debug builds) it detects double frees, frees of pointers it never returned, and writes past
 * the end of an object (checked at free time and by heap_check()), and reports them through
 * the `corruption` callback, which in the kernel panics. Not thread-safe by itself. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_PAGE_SIZE   4096
#define HEAP_CLASS_COUNT 8 /* 16, 32, ..., 2048 bytes */

struct heap_page_source {
    /* Returns `count` contiguous page-aligned pages, or NULL. */
    void *(*alloc_pages)(void *ctx, size_t count);
    void (*free_pages)(void *ctx, void *pages, size_t count);
    void *ctx;
};

struct heap_slab;  /* one page of same-size objects; defined in heap.c */
struct heap_large; /* header of a run of pages holding one big block; defined in heap.c */

struct heap_stats {
    size_t live_objects; /* objects handed out and not freed */
    size_t live_bytes;   /* bytes requested by those objects (without HEAP_DEBUG: rounded up
                          * to the size class, since requested sizes are not kept) */
    size_t pages;        /* pages currently taken from the page source */
};

struct heap {
    struct heap_page_source source;
    struct heap_slab *partial[HEAP_CLASS_COUNT]; /* slabs with at least one free object */
    struct heap_slab *full[HEAP_CLASS_COUNT];    /* slabs with none, kept for heap_check() */
    struct heap_large *large;                    /* big blocks handed out */
    struct heap_stats stats;
    void (*corruption)(const char *what, const void *ptr);
};

void heap_init(struct heap *heap, const struct heap_page_source *source,
               void (*corruption)(const char *what, const void *ptr));

/* Returns memory aligned to 16 bytes, or NULL when the page source is exhausted or size is 0
 * or absurd. */
void *heap_alloc(struct heap *heap, size_t size);

/* The size class serving `size` bytes, or HEAP_CLASS_COUNT for 0 or a big block. */
unsigned heap_size_class(size_t size);

/* Returns zeroed memory (count * size, overflow-checked), or NULL. */
void *heap_calloc(struct heap *heap, size_t count, size_t size);

/* Frees `ptr` (NULL is ignored). Bad frees are reported, never acted on. */
void heap_free(struct heap *heap, void *ptr);

/* Walks every live object and reports any overwritten guard (with HEAP_DEBUG also any freed
 * object written to). Returns the number found; always 0 without HEAP_DEBUG. */
size_t heap_check(struct heap *heap);

struct heap_stats heap_stats(const struct heap *heap);
