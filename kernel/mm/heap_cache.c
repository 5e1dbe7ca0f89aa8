/* Per-CPU caches in front of the kernel heap (heap_cache.h). */
#include "kernel/mm/heap_cache.h"
#include "kernel/mm/heap_internal.h"

static struct heap_slab *slab_of(const void *ptr)
{
    return (struct heap_slab *)((uintptr_t)ptr & ~(uintptr_t)(HEAP_PAGE_SIZE - 1));
}

static size_t index_of(const struct heap_slab *slab, const void *ptr)
{
    return ((uintptr_t)ptr - (uintptr_t)slab - HEAP_SLAB_DATA) >>
           (slab->class_index + HEAP_MIN_SHIFT);
}

static uint64_t bit_of(size_t index)
{
    return (uint64_t)1 << (index % 64);
}

/* Changes an object's requested size behind the heap's back (no heap lock), noting how the
 * heap's live_bytes (which took the old size and will give back the new one) is off. */
static void set_requested(struct heap_cache *cache, struct heap_slab *slab, size_t index,
                          size_t size)
{
    int64_t old = (int64_t)slab_requested(slab, index);
    slab_set_requested(slab, index, size);
    cache->bytes_adjust += (int64_t)slab_requested(slab, index) - old;
}

/* Heap lock: hands the heap the corrections noted so far, so its own live_bytes are exact
 * whenever no cache holds objects. */
static void fold_adjust(struct heap_cache *cache, struct heap *heap)
{
    heap->stats.live_bytes += (size_t)cache->bytes_adjust;
    cache->bytes_adjust = 0;
}

unsigned heap_cache_limit(unsigned c)
{
    size_t by_bytes = HEAP_CACHE_BYTES / class_size(c);
    if (by_bytes < 2)
        return 2;
    return by_bytes < HEAP_CACHE_DEPTH ? (unsigned)by_bytes : HEAP_CACHE_DEPTH;
}

int heap_object_class(const void *ptr)
{
    const struct heap_slab *slab = slab_of(ptr);
    if (slab->magic != HEAP_SLAB_MAGIC || slab->class_index >= HEAP_CLASS_COUNT)
        return -1;
    return slab->class_index;
}

void *heap_cache_alloc(struct heap_cache *cache, struct heap *heap, size_t size)
{
    unsigned c = heap_size_class(size);
    if (c >= HEAP_CLASS_COUNT || cache->count[c] == 0)
        return NULL;
    uint8_t *obj = cache->objects[c][--cache->count[c]];
    struct heap_slab *slab = slab_of(obj);
    size_t index = index_of(slab, obj), room = class_size(c);
    if (!debug_poison_intact(obj, room)) {
        report(heap, "heap: freed object written to", obj);
        return NULL; /* kept out of use: marked cached, it is never handed out again */
    }
    set_requested(cache, slab, index, size);
    debug_fill(obj, size, room);
    __atomic_fetch_and(&slab->cached[index / 64], ~bit_of(index), __ATOMIC_RELAXED);
    return obj;
}

enum heap_cache_result heap_cache_free(struct heap_cache *cache, struct heap *heap, void *ptr)
{
    struct heap_slab *slab = slab_of(ptr);
    size_t index;
    const char *why = slab_check_free(slab, ptr, &index);
    if (why) {
        report(heap, why, ptr);
        return HEAP_CACHE_DONE;
    }
    unsigned c = slab->class_index;
    if (cache->count[c] >= heap_cache_limit(c))
        return HEAP_CACHE_FULL;
    size_t room = class_size(c);
    if (__atomic_fetch_or(&slab->cached[index / 64], bit_of(index), __ATOMIC_RELAXED) &
        bit_of(index)) {
        report(heap, "heap: double free (object is free in a CPU cache)", ptr);
        return HEAP_CACHE_DONE; /* another CPU freed it at the same moment */
    }
    debug_poison(ptr, room);
    cache->objects[c][cache->count[c]++] = ptr;
    return HEAP_CACHE_DONE;
}

void heap_cache_refill(struct heap_cache *cache, struct heap *heap, unsigned c)
{
    size_t room = class_size(c);
    while (cache->count[c] < heap_cache_limit(c) / 2) {
        /* Taken for the whole class: the heap counts it live at `room` bytes. */
        uint8_t *obj = heap_slab_alloc(heap, room, c);
        if (!obj)
            return;
        struct heap_slab *slab = slab_of(obj);
        size_t index = index_of(slab, obj);
        debug_poison(obj, room);
        __atomic_fetch_or(&slab->cached[index / 64], bit_of(index), __ATOMIC_RELAXED);
        cache->objects[c][cache->count[c]++] = obj;
    }
    fold_adjust(cache, heap);
}

void heap_cache_drain(struct heap_cache *cache, struct heap *heap, unsigned c, unsigned keep)
{
    size_t room = class_size(c);
    while (cache->count[c] > keep) {
        uint8_t *obj = cache->objects[c][--cache->count[c]];
        struct heap_slab *slab = slab_of(obj);
        size_t index = index_of(slab, obj);
        if (!debug_poison_intact(obj, room))
            report(heap, "heap: freed object written to", obj);
        /* Back as a live object of the whole class (no guard bytes), then freed normally. */
        set_requested(cache, slab, index, room);
        __atomic_fetch_and(&slab->cached[index / 64], ~bit_of(index), __ATOMIC_RELAXED);
        heap_slab_free(heap, slab, obj);
    }
    fold_adjust(cache, heap);
}

void heap_cache_drain_all(struct heap_cache *cache, struct heap *heap)
{
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++)
        heap_cache_drain(cache, heap, c, 0);
}

void heap_cache_add_stats(const struct heap_cache *cache, struct heap_stats *stats)
{
    stats->live_bytes += (size_t)cache->bytes_adjust;
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++) {
        stats->live_objects -= cache->count[c];
        for (unsigned i = 0; i < cache->count[c]; i++) {
            const struct heap_slab *slab = slab_of(cache->objects[c][i]);
            stats->live_bytes -= slab_requested(slab, index_of(slab, cache->objects[c][i]));
        }
    }
}
