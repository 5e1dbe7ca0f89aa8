/* Glue between heap.c and the page allocator; heap corruption is a kernel bug: panic. */
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/panic.h"
#include "kernel/sync/spinlock.h"

static struct heap kernel_heap;
static struct spinlock heap_lock = SPINLOCK_INIT; /* one lock: simple, and rarely contended */

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

void kmalloc_init(void)
{
    struct heap_page_source source = {kmalloc_pages, kmalloc_free_pages, NULL};
    heap_init(&kernel_heap, &source, kmalloc_corruption);
}

void *kmalloc(size_t size)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    void *ptr = heap_alloc(&kernel_heap, size);
    spin_unlock_irqrestore(&heap_lock, flags);
    return ptr;
}

void *kcalloc(size_t count, size_t size)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    void *ptr = heap_calloc(&kernel_heap, count, size);
    spin_unlock_irqrestore(&heap_lock, flags);
    return ptr;
}

void kfree(void *ptr)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    heap_free(&kernel_heap, ptr);
    spin_unlock_irqrestore(&heap_lock, flags);
}

struct heap_stats kmalloc_stats(void)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    struct heap_stats stats = heap_stats(&kernel_heap);
    spin_unlock_irqrestore(&heap_lock, flags);
    return stats;
}

size_t kmalloc_check(void)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    size_t bad = heap_check(&kernel_heap);
    spin_unlock_irqrestore(&heap_lock, flags);
    return bad;
}
