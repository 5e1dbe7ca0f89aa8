/* Glue between heap.c and the page allocator; heap corruption is a kernel bug: panic.
 *
 * Small objects go through a cache per CPU (heap_cache.c) under that CPU's own lock, so a
 * kmalloc/kfree pair on one CPU takes no shared lock unless its class must be refilled or
 * drained (in batches). Lock order: a CPU cache's lock (several only in CPU index order) ->
 * heap_lock -> pmm_lock. Statistics, checks and free-page counts drain the caches first. */
#include "kernel/mm/kmalloc.h"
#include "kernel/arch.h"
#include "kernel/mm/heap_cache.h"
#include "kernel/mm/memory.h"
#include "kernel/panic.h"
#include "kernel/sync/spinlock.h"
#include "lib/string.h"

struct kmalloc_cpu {
    struct spinlock lock; /* taken by its CPU's kmalloc/kfree, and by drains from any CPU */
    struct heap_cache cache;
    uint64_t heap_trips; /* refills and drains: times this CPU took heap_lock for small objects */
} __attribute__((aligned(64)));

static struct heap kernel_heap;
static struct spinlock heap_lock = SPINLOCK_INIT; /* the shared heap: refills, drains, big blocks */
static struct kmalloc_cpu cpu_caches[ARCH_MAX_CPUS];

static void *kmalloc_pages(void *ctx, size_t count)
{
    (void)ctx;
    struct pmm_result pages = memory_alloc_pages(count);
    return pages.err == WG_ERR_OK ? phys_to_virt(pages.phys) : NULL;
}

static void kmalloc_free_pages(void *ctx, void *pages, size_t count)
{
    (void)ctx;
    enum wg_error err = memory_free_pages(virt_to_phys(pages), count);
    if (err != WG_ERR_OK)
        panic("kmalloc: returning pages %p failed: %s", pages, wg_error_name(err));
}

static void kmalloc_corruption(const char *what, const void *ptr)
{
    panic("kmalloc: %s at %p", what, ptr);
}

/* Gives every object of every CPU cache back to the heap, one cache at a time. */
static void drain_all_caches(void)
{
    for (unsigned i = 0; i < ARCH_MAX_CPUS; i++) {
        uint64_t flags = spin_lock_irqsave(&cpu_caches[i].lock);
        spin_lock(&heap_lock);
        heap_cache_drain_all(&cpu_caches[i].cache, &kernel_heap);
        spin_unlock(&heap_lock);
        spin_unlock_irqrestore(&cpu_caches[i].lock, flags);
    }
}

void kmalloc_init(void)
{
    struct heap_page_source source = {kmalloc_pages, kmalloc_free_pages, NULL};
    heap_init(&kernel_heap, &source, kmalloc_corruption);
    for (unsigned i = 0; i < ARCH_MAX_CPUS; i++)
        cpu_caches[i].lock = (struct spinlock)SPINLOCK_INIT;
    memory_set_reclaimer(drain_all_caches);
}

static void *alloc_large(size_t size)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    void *ptr = heap_alloc(&kernel_heap, size);
    spin_unlock_irqrestore(&heap_lock, flags);
    return ptr;
}

void *kmalloc(size_t size)
{
    unsigned c = heap_size_class(size);
    if (c >= HEAP_CLASS_COUNT)
        return size ? alloc_large(size) : NULL;
    uint64_t flags = arch_irq_save();
    struct kmalloc_cpu *mine = &cpu_caches[arch_cpu_index()];
    spin_lock(&mine->lock);
    void *ptr = heap_cache_alloc(&mine->cache, &kernel_heap, size);
    if (!ptr && mine->cache.count[c] == 0) {
        mine->heap_trips++;
        spin_lock(&heap_lock);
        heap_cache_refill(&mine->cache, &kernel_heap, c);
        spin_unlock(&heap_lock);
        ptr = heap_cache_alloc(&mine->cache, &kernel_heap, size);
    }
    spin_unlock(&mine->lock);
    arch_irq_restore(flags);
    return ptr;
}

void *kcalloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *ptr = kmalloc(count * size);
    if (ptr)
        memset(ptr, 0, count * size);
    return ptr;
}

void kfree(void *ptr)
{
    if (!ptr)
        return;
    int c = heap_object_class(ptr);
    uint64_t flags = arch_irq_save();
    if (c < 0) { /* a big block, or a bad pointer heap_free() reports */
        spin_lock(&heap_lock);
        heap_free(&kernel_heap, ptr);
        spin_unlock(&heap_lock);
        arch_irq_restore(flags);
        return;
    }
    struct kmalloc_cpu *mine = &cpu_caches[arch_cpu_index()];
    spin_lock(&mine->lock);
    if (heap_cache_free(&mine->cache, &kernel_heap, ptr) == HEAP_CACHE_FULL) {
        mine->heap_trips++;
        spin_lock(&heap_lock);
        heap_cache_drain(&mine->cache, &kernel_heap, (unsigned)c, heap_cache_limit(c) / 2);
        spin_unlock(&heap_lock);
        heap_cache_free(&mine->cache, &kernel_heap, ptr);
    }
    spin_unlock(&mine->lock);
    arch_irq_restore(flags);
}

/* Runs `fn` on the drained heap with every cache locked, so no CPU changes an object
 * meanwhile (a check reads guards that a cache's kmalloc would be writing). */
static void with_caches_drained(void (*fn)(void *ctx), void *ctx)
{
    uint64_t flags = arch_irq_save();
    for (unsigned i = 0; i < ARCH_MAX_CPUS; i++)
        spin_lock(&cpu_caches[i].lock);
    spin_lock(&heap_lock);
    for (unsigned i = 0; i < ARCH_MAX_CPUS; i++)
        heap_cache_drain_all(&cpu_caches[i].cache, &kernel_heap);
    fn(ctx);
    spin_unlock(&heap_lock);
    for (unsigned i = ARCH_MAX_CPUS; i-- > 0;)
        spin_unlock(&cpu_caches[i].lock);
    arch_irq_restore(flags);
}

static void read_stats(void *ctx)
{
    struct heap_stats *stats = ctx;
    *stats = heap_stats(&kernel_heap);
    for (unsigned i = 0; i < ARCH_MAX_CPUS; i++)
        heap_cache_add_stats(&cpu_caches[i].cache, stats);
}

struct heap_stats kmalloc_stats(void)
{
    struct heap_stats stats;
    with_caches_drained(read_stats, &stats);
    return stats;
}

static void check_heap(void *ctx)
{
    *(size_t *)ctx = heap_check(&kernel_heap);
}

size_t kmalloc_check(void)
{
    size_t bad = 0;
    with_caches_drained(check_heap, &bad);
    return bad;
}

uint64_t kmalloc_heap_trips(unsigned cpu)
{
    return cpu < ARCH_MAX_CPUS ? __atomic_load_n(&cpu_caches[cpu].heap_trips, __ATOMIC_RELAXED) : 0;
}
