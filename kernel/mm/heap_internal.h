/* Private to the kernel heap (heap.c) and its per-CPU caches (heap_cache.c): the page
 * layouts, the size classes and the HEAP_DEBUG patterns. Nothing else includes it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/heap.h"
#include "lib/string.h"

/* The build says which kernel this is (0: production, 1: the test kernel and host tests):
 * no default, so a file built without the flag cannot silently be the other kind. */
#ifndef HEAP_DEBUG
#error "HEAP_DEBUG must be defined (0 or 1) for the heap's files"
#endif

#define HEAP_ALIGN       16
#define HEAP_MIN_SHIFT   4 /* log2 of the smallest class */
#define HEAP_MAX_SMALL   ((size_t)HEAP_ALIGN << (HEAP_CLASS_COUNT - 1))
#define HEAP_MAX_OBJECTS (HEAP_PAGE_SIZE / HEAP_ALIGN) /* bound on objects in one slab */
#define HEAP_SLACK       (HEAP_DEBUG ? 8u : 0u)        /* guard bytes every object gets */
#define HEAP_ROUND16(x)  (((x) + (HEAP_ALIGN - 1)) & ~(size_t)(HEAP_ALIGN - 1))

#define HEAP_SLAB_MAGIC  0x534c4142u /* "SLAB" */
#define HEAP_LARGE_MAGIC 0x4c415247u /* "LARG" */
#define HEAP_DEAD_MAGIC  0xdead9a9eu /* written into every page given back */
#define HEAP_FRESH_BYTE  0xaa        /* new objects */
#define HEAP_GUARD_BYTE  0xfd        /* slack after the requested size */
#define HEAP_POISON_BYTE 0xdd        /* freed objects */

/* A free object starts with a link to the next free object of its slab. */
struct heap_free_object {
    struct heap_free_object *next;
};

/* The start of every slab page; the objects follow at HEAP_SLAB_DATA. */
struct heap_slab {
    uint32_t magic;
    uint16_t class_index;
    uint16_t in_use;
    struct heap_free_object *free_list;
    struct heap_slab *prev, *next;             /* in heap->partial or heap->full */
    uint64_t allocated[HEAP_MAX_OBJECTS / 64]; /* bit set: object handed out */
    uint64_t cached[HEAP_MAX_OBJECTS / 64];    /* bit set: handed out to a CPU cache, free there
                                                * (heap_cache.c; changed with atomics) */
#if HEAP_DEBUG
    uint16_t requested[HEAP_MAX_OBJECTS]; /* size asked for, per object */
#endif
};

/* The start of the first page of a big block; the block follows at HEAP_LARGE_DATA. */
struct heap_large {
    uint32_t magic;
    size_t pages;
    size_t size;
    struct heap_large *prev, *next; /* in heap->large */
};

#define HEAP_SLAB_DATA  HEAP_ROUND16(sizeof(struct heap_slab))
#define HEAP_LARGE_DATA HEAP_ROUND16(sizeof(struct heap_large))

_Static_assert(HEAP_SLAB_DATA + HEAP_MAX_SMALL <= HEAP_PAGE_SIZE, "largest class fits a slab");
_Static_assert(HEAP_MAX_SMALL <= UINT16_MAX, "requested sizes fit in uint16_t");
_Static_assert(HEAP_MAX_OBJECTS % 64 == 0, "allocated bitmap is whole words");

static inline size_t class_size(unsigned c)
{
    return (size_t)1 << (c + HEAP_MIN_SHIFT);
}

static inline size_t class_capacity(unsigned c)
{
    return (HEAP_PAGE_SIZE - HEAP_SLAB_DATA) >> (c + HEAP_MIN_SHIFT);
}

/* Returns the smallest class holding `size` bytes plus the slack, or HEAP_CLASS_COUNT. */
static inline unsigned class_for(size_t size)
{
    unsigned c = 0;
    if (size > HEAP_MAX_SMALL - HEAP_SLACK)
        return HEAP_CLASS_COUNT;
    while (class_size(c) < size + HEAP_SLACK)
        c++;
    return c;
}

/* Atomic, since CPU caches read a slab's bits while the heap's lock holder changes others. */
static inline bool bit_test(const uint64_t *bits, size_t i)
{
    return (__atomic_load_n(&bits[i / 64], __ATOMIC_RELAXED) >> (i % 64)) & 1;
}

static inline void bit_flip(uint64_t *bits, size_t i)
{
    __atomic_fetch_xor(&bits[i / 64], (uint64_t)1 << (i % 64), __ATOMIC_RELAXED);
}

static inline uint8_t *slab_object(struct heap_slab *slab, size_t index)
{
    return (uint8_t *)slab + HEAP_SLAB_DATA + (index << (slab->class_index + HEAP_MIN_SHIFT));
}

static inline void report(struct heap *heap, const char *what, const void *ptr)
{
    if (heap->corruption)
        heap->corruption(what, ptr);
}

/* The debug helpers below do nothing (or find nothing wrong) without HEAP_DEBUG. */

/* Returns true if bytes [from, to) of `p` all equal `byte`. */
static inline bool bytes_are(const uint8_t *p, size_t from, size_t to, uint8_t byte)
{
    for (size_t i = from; i < to; i++)
        if (p[i] != byte)
            return false;
    return true;
}

/* Fills a new object: the requested bytes with a recognisable pattern, the rest with guards. */
static inline void debug_fill(uint8_t *obj, size_t requested, size_t room)
{
    if (!HEAP_DEBUG)
        return;
    memset(obj, HEAP_FRESH_BYTE, requested);
    memset(obj + requested, HEAP_GUARD_BYTE, room - requested);
}

static inline bool debug_guard_intact(const uint8_t *obj, size_t requested, size_t room)
{
    return !HEAP_DEBUG || bytes_are(obj, requested, room, HEAP_GUARD_BYTE);
}

static inline void debug_poison(uint8_t *obj, size_t room)
{
    if (HEAP_DEBUG)
        memset(obj, HEAP_POISON_BYTE, room);
}

/* The free-list link at the start of a freed object is not poison, so it is skipped. */
static inline bool debug_poison_intact(const uint8_t *obj, size_t room)
{
    return !HEAP_DEBUG || bytes_are(obj, sizeof(struct heap_free_object), room, HEAP_POISON_BYTE);
}

static inline void slab_set_requested(struct heap_slab *slab, size_t index, size_t size)
{
#if HEAP_DEBUG
    slab->requested[index] = (uint16_t)size;
#else
    (void)slab, (void)index, (void)size;
#endif
}

/* Without HEAP_DEBUG requested sizes are not kept: an object counts as its whole class. */
static inline size_t slab_requested(const struct heap_slab *slab, size_t index)
{
#if HEAP_DEBUG
    return slab->requested[index];
#else
    (void)index;
    return class_size(slab->class_index);
#endif
}

/* Returns NULL and the object's index if `ptr` is exactly at an object of `slab`; otherwise
 * says what is wrong. Reads only the header. */
static inline const char *slab_index(const struct heap_slab *slab, const void *ptr, size_t *index)
{
    size_t offset = (uintptr_t)ptr - (uintptr_t)slab;
    if (slab->class_index >= HEAP_CLASS_COUNT)
        return "heap: slab header overwritten";
    if (offset < HEAP_SLAB_DATA || (offset - HEAP_SLAB_DATA) % class_size(slab->class_index))
        return "heap: pointer is not the start of an object";
    *index = (offset - HEAP_SLAB_DATA) >> (slab->class_index + HEAP_MIN_SHIFT);
    if (*index >= class_capacity(slab->class_index))
        return "heap: pointer is not the start of an object";
    return NULL;
}

/* Returns NULL if `ptr` may be freed from `slab` (its index in *index), else what is wrong. */
static inline const char *slab_check_free(const struct heap_slab *slab, const void *ptr,
                                          size_t *index)
{
    const char *why = slab_index(slab, ptr, index);
    if (why)
        return why;
    if (!bit_test(slab->allocated, *index))
        return "heap: double free (object is not allocated)";
    if (bit_test(slab->cached, *index))
        return "heap: double free (object is free in a CPU cache)";
    if (!debug_guard_intact(ptr, slab_requested(slab, *index), class_size(slab->class_index)))
        return "heap: write past the end of an object";
    return NULL;
}

/* Allocates one object of class `c` for a request of `size` bytes (heap.c). */
void *heap_slab_alloc(struct heap *heap, size_t size, unsigned c);
/* Frees a small object of `slab`, checking it first (heap.c). */
void heap_slab_free(struct heap *heap, struct heap_slab *slab, void *ptr);
