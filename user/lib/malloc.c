/* A first-fit heap with boundary tags. The heap is one run of blocks from MALLOC_HEAP_BASE to
 * `heap_end`, closed by an empty "end" header that is always in use. Each block starts with a
 * 16-byte header: its size (a multiple of 16) with two flags, and the size of the block before
 * it, valid only while that block is free. Free blocks are on a doubly linked list threaded
 * through their payload, and are merged with free neighbours at once, so no two free blocks
 * are ever adjacent. Growing the heap maps a new chunk right after the end header, which
 * becomes the header of the new free block. */
#include <stdint.h>
#include <lib/string.h>
#include "lock.h"
#include "malloc.h"
#include "result.h"
#include "syscall.h"

#define PAGE_SIZE  4096u
#define ALIGNMENT  16u
#define HEADER     16u /* prev_size and size_flags */
#define MIN_BLOCK  32u /* a header and the two free-list links */
#define USED       1u
#define PREV_USED  2u
#define FLAGS_MASK (ALIGNMENT - 1)

struct block {
    size_t prev_size;  /* the previous block's size, while it is free */
    size_t size_flags; /* size of this block, header included, | USED | PREV_USED */
    /* Only in free blocks: */
    struct block *next_free;
    struct block *prev_free;
};

static struct wg_lock heap_lock;
static uintptr_t heap_end; /* 0 until the first chunk is mapped */
static struct block *free_list;

static size_t block_size(const struct block *b)
{
    return b->size_flags & ~(size_t)FLAGS_MASK;
}

static struct block *block_at(uintptr_t address)
{
    return (struct block *)address;
}

static struct block *block_next(struct block *b)
{
    return block_at((uintptr_t)b + block_size(b));
}

static void *block_payload(struct block *b)
{
    return (char *)b + HEADER;
}

static void list_push(struct block *b)
{
    b->prev_free = NULL;
    b->next_free = free_list;
    if (free_list)
        free_list->prev_free = b;
    free_list = b;
}

static void list_remove(struct block *b)
{
    if (b->prev_free)
        b->prev_free->next_free = b->next_free;
    else
        free_list = b->next_free;
    if (b->next_free)
        b->next_free->prev_free = b->prev_free;
}

/* Makes [b, b + size) one free block, merged with a free block on either side, and lists it.
 * b's PREV_USED flag must be right; its other header bits are overwritten. */
static void block_release(struct block *b, size_t size)
{
    struct block *next = block_at((uintptr_t)b + size);

    if (!(next->size_flags & USED)) {
        list_remove(next);
        size += block_size(next);
    }
    if (!(b->size_flags & PREV_USED)) {
        struct block *prev = block_at((uintptr_t)b - b->prev_size);
        list_remove(prev);
        size += block_size(prev);
        b = prev;
    }
    b->size_flags = size | (b->size_flags & PREV_USED);
    next = block_next(b);
    next->prev_size = size;
    next->size_flags &= ~(size_t)PREV_USED;
    list_push(b);
}

/* Marks b (not on the free list) used with the given size. */
static void block_mark_used(struct block *b, size_t size)
{
    b->size_flags = size | USED | (b->size_flags & PREV_USED);
    block_next(b)->size_flags |= PREV_USED;
}

/* Shortens the used block b to `need` bytes if the rest can be a block of its own. */
static void block_trim(struct block *b, size_t need)
{
    size_t size = block_size(b);

    if (size - need < MIN_BLOCK)
        return;
    b->size_flags = need | (b->size_flags & FLAGS_MASK);
    struct block *rest = block_at((uintptr_t)b + need);
    rest->size_flags = PREV_USED;
    block_release(rest, size - need);
}

/* Maps enough new memory for a block of `need` bytes after the heap; returns the (merged) free
 * block that now ends the heap, or NULL when the kernel refuses. Expects the heap lock. */
static struct block *heap_grow(size_t need)
{
    uintptr_t start = heap_end ? heap_end : MALLOC_HEAP_BASE;
    size_t chunk = (need + HEADER + MALLOC_CHUNK - 1) & ~(size_t)(MALLOC_CHUNK - 1);

    if (chunk < need || chunk > MALLOC_HEAP_LIMIT - start)
        return NULL;
    struct wg_result pmem = wg_pmem_create(WG_SELF, chunk / PAGE_SIZE, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem))
        return NULL;
    struct wg_result vmem = wg_vmem_map(WG_SELF, pmem.value, start, WG_MAP_READ | WG_MAP_WRITE);
    if (!wg_ok(vmem)) {
        wg_asset_release(WG_SELF, pmem.value);
        return NULL;
    }

    /* The new free block: the first one, or one that starts at the old end header. */
    struct block *b;
    size_t size;
    if (heap_end == 0) {
        b = block_at(start);
        b->size_flags = PREV_USED;
        size = chunk - HEADER;
    } else {
        b = block_at(heap_end - HEADER);
        size = chunk;
    }
    heap_end = start + chunk;
    block_at(heap_end - HEADER)->size_flags = USED;
    block_release(b, size);
    return block_at(heap_end - HEADER - block_at(heap_end - HEADER)->prev_size);
}

/* The block size that holds `size` bytes of payload, or 0 if none can. */
static size_t block_size_for(size_t size)
{
    if (size > MALLOC_HEAP_LIMIT - MALLOC_HEAP_BASE)
        return 0;
    size_t need = (size + HEADER + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* The header of a pointer malloc returned; ends the task if it cannot be one. */
static struct block *block_of(void *pointer, const char *who)
{
    uintptr_t address = (uintptr_t)pointer;
    struct block *b = block_at(address - HEADER);

    if (address % ALIGNMENT != 0 || address < MALLOC_HEAP_BASE + HEADER || address >= heap_end ||
        !(b->size_flags & USED))
        wg_panic(who);
    return b;
}

static void *heap_allocate(size_t size)
{
    size_t need = block_size_for(size);
    struct block *b;

    if (need == 0)
        return NULL;
    for (b = free_list; b; b = b->next_free) {
        if (block_size(b) >= need)
            break;
    }
    if (!b) {
        b = heap_grow(need);
        if (!b)
            return NULL;
    }
    list_remove(b);
    block_mark_used(b, block_size(b));
    block_trim(b, need);
    return block_payload(b);
}

static void heap_free(void *pointer)
{
    struct block *b = block_of(pointer, "free: not an allocated pointer (double free?)");

    b->size_flags &= ~(size_t)USED;
    block_release(b, block_size(b));
}

void *malloc(size_t size)
{
    wg_lock_acquire(&heap_lock);
    void *pointer = heap_allocate(size);
    wg_lock_release(&heap_lock);
    return pointer;
}

void free(void *pointer)
{
    if (!pointer)
        return;
    wg_lock_acquire(&heap_lock);
    heap_free(pointer);
    wg_lock_release(&heap_lock);
}

void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *pointer = malloc(count * size);
    if (pointer)
        memset(pointer, 0, count * size);
    return pointer;
}

/* Resizes in place when the block, or the block and its free successor, are big enough;
 * otherwise moves. Expects the heap lock. */
static void *heap_reallocate(void *pointer, size_t size)
{
    struct block *b = block_of(pointer, "realloc: not an allocated pointer");
    size_t need = block_size_for(size);
    size_t have = block_size(b);

    if (need == 0)
        return NULL;
    if (have >= need) {
        block_trim(b, need);
        return pointer;
    }
    struct block *next = block_next(b);
    if (!(next->size_flags & USED) && have + block_size(next) >= need) {
        list_remove(next);
        block_mark_used(b, have + block_size(next));
        block_trim(b, need);
        return pointer;
    }
    void *moved = heap_allocate(size);
    if (moved) {
        memcpy(moved, pointer, have - HEADER);
        heap_free(pointer);
    }
    return moved;
}

void *realloc(void *pointer, size_t size)
{
    if (!pointer)
        return malloc(size);
    if (size == 0) {
        free(pointer);
        return NULL;
    }
    wg_lock_acquire(&heap_lock);
    void *result = heap_reallocate(pointer, size);
    wg_lock_release(&heap_lock);
    return result;
}
