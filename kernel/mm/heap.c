/* Kernel heap: one-page slabs of same-size objects for small requests, runs of whole pages
 * for big ones. A freed pointer is rounded down to its page, where a header says which kind
 * of memory it is; every free is checked against that header before anything changes.
 * HEAP_DEBUG adds guard bytes after each object, fill and poison patterns, and per-object
 * requested sizes, so overruns and writes after free show up at free time or in heap_check(). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/heap.h"
#include "kernel/mm/heap_internal.h"
#include "lib/string.h"

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

void *heap_slab_alloc(struct heap *heap, size_t size, unsigned c)
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

void heap_slab_free(struct heap *heap, struct heap_slab *slab, void *ptr)
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

unsigned heap_size_class(size_t size)
{
    return size == 0 ? HEAP_CLASS_COUNT : class_for(size);
}

void *heap_alloc(struct heap *heap, size_t size)
{
    if (size == 0)
        return NULL;
    unsigned c = class_for(size);
    if (c < HEAP_CLASS_COUNT)
        return heap_slab_alloc(heap, size, c);
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
        heap_slab_free(heap, page, ptr);
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
        bool in_use = bit_test(slab->allocated, i) && !bit_test(slab->cached, i);
        if (in_use && !debug_guard_intact(obj, slab_requested(slab, i), room))
            why = "heap: write past the end of an object";
        else if (!in_use && !debug_poison_intact(obj, room))
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
