/* Kernel heap: one-page slabs of same-size objects for small requests, runs of whole pages
 * for big ones. A freed pointer is rounded down to its page, where a header says which kind
 * of memory it is; every free is checked against that header before anything changes.
 * HEAP_DEBUG adds guard bytes after each object, fill and poison patterns, and per-object
 * requested sizes, so overruns and writes after free show up at free time or in heap_check(). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/heap.h"
#include "lib/string.h"

#ifndef HEAP_DEBUG
#define HEAP_DEBUG 1
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

static size_t class_size(unsigned c)
{
    return (size_t)1 << (c + HEAP_MIN_SHIFT);
}

static size_t class_capacity(unsigned c)
{
    return (HEAP_PAGE_SIZE - HEAP_SLAB_DATA) >> (c + HEAP_MIN_SHIFT);
}

/* Returns the smallest class holding `size` bytes plus the slack, or HEAP_CLASS_COUNT. */
static unsigned class_for(size_t size)
{
    unsigned c = 0;
    if (size > HEAP_MAX_SMALL - HEAP_SLACK)
        return HEAP_CLASS_COUNT;
    while (class_size(c) < size + HEAP_SLACK)
        c++;
    return c;
}

static bool bit_test(const uint64_t *bits, size_t i)
{
    return (bits[i / 64] >> (i % 64)) & 1;
}

static void bit_flip(uint64_t *bits, size_t i)
{
    bits[i / 64] ^= (uint64_t)1 << (i % 64);
}

static uint8_t *slab_object(struct heap_slab *slab, size_t index)
{
    return (uint8_t *)slab + HEAP_SLAB_DATA + (index << (slab->class_index + HEAP_MIN_SHIFT));
}

static void report(struct heap *heap, const char *what, const void *ptr)
{
    if (heap->corruption)
        heap->corruption(what, ptr);
}

/* The debug helpers below do nothing (or find nothing wrong) without HEAP_DEBUG. */

/* Returns true if bytes [from, to) of `p` all equal `byte`. */
static bool bytes_are(const uint8_t *p, size_t from, size_t to, uint8_t byte)
{
    for (size_t i = from; i < to; i++)
        if (p[i] != byte)
            return false;
    return true;
}

/* Fills a new object: the requested bytes with a recognisable pattern, the rest with guards. */
static void debug_fill(uint8_t *obj, size_t requested, size_t room)
{
    if (!HEAP_DEBUG)
        return;
    memset(obj, HEAP_FRESH_BYTE, requested);
    memset(obj + requested, HEAP_GUARD_BYTE, room - requested);
}

static bool debug_guard_intact(const uint8_t *obj, size_t requested, size_t room)
{
    return !HEAP_DEBUG || bytes_are(obj, requested, room, HEAP_GUARD_BYTE);
}

static void debug_poison(uint8_t *obj, size_t room)
{
    if (HEAP_DEBUG)
        memset(obj, HEAP_POISON_BYTE, room);
}

/* The free-list link at the start of a freed object is not poison, so it is skipped. */
static bool debug_poison_intact(const uint8_t *obj, size_t room)
{
    return !HEAP_DEBUG || bytes_are(obj, sizeof(struct heap_free_object), room, HEAP_POISON_BYTE);
}

static void slab_set_requested(struct heap_slab *slab, size_t index, size_t size)
{
#if HEAP_DEBUG
    slab->requested[index] = (uint16_t)size;
#else
    (void)slab, (void)index, (void)size;
#endif
}

/* Without HEAP_DEBUG requested sizes are not kept: an object counts as its whole class. */
static size_t slab_requested(const struct heap_slab *slab, size_t index)
{
#if HEAP_DEBUG
    return slab->requested[index];
#else
    (void)index;
    return class_size(slab->class_index);
#endif
}

static void slab_push(struct heap_slab **head, struct heap_slab *slab)
{
    slab->prev = NULL;
    slab->next = *head;
    if (*head)
        (*head)->prev = slab;
    *head = slab;
}

static void slab_unlink(struct heap_slab **head, struct heap_slab *slab)
{
    if (slab->prev)
        slab->prev->next = slab->next;
    else
        *head = slab->next;
    if (slab->next)
        slab->next->prev = slab->prev;
}

/* Returns NULL and the object's index if `ptr` is exactly at an object of `slab`; otherwise
 * says what is wrong. Reads only the header. */
static const char *slab_index(const struct heap_slab *slab, const void *ptr, size_t *index)
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

/* Returns a new slab of class `c`, all objects free and on heap->partial[c], or NULL. */
static struct heap_slab *slab_create(struct heap *heap, unsigned c)
{
    struct heap_slab *slab = heap->source.alloc_pages(heap->source.ctx, 1);
    if (!slab)
        return NULL;
    memset(slab, 0, sizeof(*slab));
    slab->magic = HEAP_SLAB_MAGIC;
    slab->class_index = (uint16_t)c;
    for (size_t i = class_capacity(c); i-- > 0;) {
        struct heap_free_object *obj = (struct heap_free_object *)slab_object(slab, i);
        debug_poison((uint8_t *)obj, class_size(c));
        obj->next = slab->free_list;
        slab->free_list = obj;
    }
    heap->stats.pages++;
    slab_push(&heap->partial[c], slab);
    return slab;
}

/* With HEAP_DEBUG, checks that the free-list head is a free object with intact poison. */
static bool free_head_sound(struct heap_slab *slab, struct heap_free_object *obj)
{
    size_t index;
    if (!HEAP_DEBUG)
        return true;
    return !slab_index(slab, obj, &index) && !bit_test(slab->allocated, index) &&
           debug_poison_intact((const uint8_t *)obj, class_size(slab->class_index));
}

static void *alloc_small(struct heap *heap, size_t size, unsigned c)
{
    struct heap_slab *slab = heap->partial[c];
    if (!slab && !(slab = slab_create(heap, c)))
        return NULL;
    struct heap_free_object *obj = slab->free_list;
    if (!free_head_sound(slab, obj)) {
        report(heap, "heap: freed object written to", obj);
        return NULL;
    }
    size_t index = ((uintptr_t)obj - (uintptr_t)slab - HEAP_SLAB_DATA) >> (c + HEAP_MIN_SHIFT);
    slab->free_list = obj->next;
    bit_flip(slab->allocated, index);
    slab->in_use++;
    if (!slab->free_list) {
        slab_unlink(&heap->partial[c], slab);
        slab_push(&heap->full[c], slab);
    }
    slab_set_requested(slab, index, size);
    debug_fill((uint8_t *)obj, size, class_size(c));
    heap->stats.live_objects++;
    heap->stats.live_bytes += slab_requested(slab, index);
    return obj;
}

/* Returns NULL if `ptr` may be freed from `slab` (its index in *index), else what is wrong. */
static const char *slab_check_free(const struct heap_slab *slab, const void *ptr, size_t *index)
{
    const char *why = slab_index(slab, ptr, index);
    if (why)
        return why;
    if (!bit_test(slab->allocated, *index))
        return "heap: double free (object is not allocated)";
    if (!debug_guard_intact(ptr, slab_requested(slab, *index), class_size(slab->class_index)))
        return "heap: write past the end of an object";
    return NULL;
}

static void free_small(struct heap *heap, struct heap_slab *slab, void *ptr)
{
    size_t index;
    const char *why = slab_check_free(slab, ptr, &index);
    if (why) {
        report(heap, why, ptr);
        return;
    }
    unsigned c = slab->class_index;
    struct heap_free_object *obj = ptr;
    bool was_full = !slab->free_list;
    heap->stats.live_objects--;
    heap->stats.live_bytes -= slab_requested(slab, index);
    bit_flip(slab->allocated, index);
    slab->in_use--;
    debug_poison(ptr, class_size(c));
    obj->next = slab->free_list;
    slab->free_list = obj;
    if (was_full) {
        slab_unlink(&heap->full[c], slab);
        slab_push(&heap->partial[c], slab);
    }
    if (slab->in_use == 0) {
        slab_unlink(&heap->partial[c], slab);
        slab->magic = HEAP_DEAD_MAGIC;
        heap->source.free_pages(heap->source.ctx, slab, 1);
        heap->stats.pages--;
    }
}

static uint8_t *large_data(struct heap_large *block)
{
    return (uint8_t *)block + HEAP_LARGE_DATA;
}

static size_t large_room(const struct heap_large *block)
{
    return block->pages * HEAP_PAGE_SIZE - HEAP_LARGE_DATA;
}

static void *alloc_large(struct heap *heap, size_t size)
{
    if (size > SIZE_MAX - HEAP_LARGE_DATA - HEAP_SLACK - (HEAP_PAGE_SIZE - 1))
        return NULL;
    size_t pages = (HEAP_LARGE_DATA + size + HEAP_SLACK + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
    struct heap_large *block = heap->source.alloc_pages(heap->source.ctx, pages);
    if (!block)
        return NULL;
    block->magic = HEAP_LARGE_MAGIC;
    block->pages = pages;
    block->size = size;
    block->prev = NULL;
    block->next = heap->large;
    if (heap->large)
        heap->large->prev = block;
    heap->large = block;
    heap->stats.pages += pages;
    heap->stats.live_objects++;
    heap->stats.live_bytes += size;
    debug_fill(large_data(block), size, large_room(block));
    return large_data(block);
}

static void free_large(struct heap *heap, struct heap_large *block, void *ptr)
{
    if (ptr != large_data(block)) {
        report(heap, "heap: pointer is not the start of an object", ptr);
        return;
    }
    if (!debug_guard_intact(ptr, block->size, large_room(block))) {
        report(heap, "heap: write past the end of an object", ptr);
        return;
    }
    if (block->prev)
        block->prev->next = block->next;
    else
        heap->large = block->next;
    if (block->next)
        block->next->prev = block->prev;
    heap->stats.pages -= block->pages;
    heap->stats.live_objects--;
    heap->stats.live_bytes -= block->size;
    block->magic = HEAP_DEAD_MAGIC;
    heap->source.free_pages(heap->source.ctx, block, block->pages);
}

void heap_init(struct heap *heap, const struct heap_page_source *source,
               void (*corruption)(const char *what, const void *ptr))
{
    memset(heap, 0, sizeof(*heap));
    heap->source = *source;
    heap->corruption = corruption;
}

void *heap_alloc(struct heap *heap, size_t size)
{
    if (size == 0)
        return NULL;
    unsigned c = class_for(size);
    if (c < HEAP_CLASS_COUNT)
        return alloc_small(heap, size, c);
    return alloc_large(heap, size);
}

void *heap_calloc(struct heap *heap, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *ptr = heap_alloc(heap, count * size);
    if (ptr)
        memset(ptr, 0, count * size);
    return ptr;
}

void heap_free(struct heap *heap, void *ptr)
{
    if (!ptr)
        return;
    void *page = (void *)((uintptr_t)ptr & ~(uintptr_t)(HEAP_PAGE_SIZE - 1));
    uint32_t magic = *(const uint32_t *)page;
    if (magic == HEAP_SLAB_MAGIC)
        free_small(heap, page, ptr);
    else if (magic == HEAP_LARGE_MAGIC)
        free_large(heap, page, ptr);
    else
        report(heap, "heap: free of a pointer the heap never returned", ptr);
}

/* Returns how many objects of `slab` have a broken guard or, when free, broken poison. */
static size_t check_slab(struct heap *heap, struct heap_slab *slab)
{
    size_t found = 0, room = class_size(slab->class_index);
    for (size_t i = 0; i < class_capacity(slab->class_index); i++) {
        const uint8_t *obj = slab_object(slab, i);
        const char *why = NULL;
        if (bit_test(slab->allocated, i) && !debug_guard_intact(obj, slab_requested(slab, i), room))
            why = "heap: write past the end of an object";
        else if (!bit_test(slab->allocated, i) && !debug_poison_intact(obj, room))
            why = "heap: freed object written to";
        if (why) {
            report(heap, why, obj);
            found++;
        }
    }
    return found;
}

size_t heap_check(struct heap *heap)
{
    size_t found = 0;
    if (!HEAP_DEBUG)
        return 0;
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++) {
        for (struct heap_slab *slab = heap->partial[c]; slab; slab = slab->next)
            found += check_slab(heap, slab);
        for (struct heap_slab *slab = heap->full[c]; slab; slab = slab->next)
            found += check_slab(heap, slab);
    }
    for (struct heap_large *block = heap->large; block; block = block->next) {
        if (!debug_guard_intact(large_data(block), block->size, large_room(block))) {
            report(heap, "heap: write past the end of an object", large_data(block));
            found++;
        }
    }
    return found;
}

struct heap_stats heap_stats(const struct heap *heap)
{
    return heap->stats;
}
