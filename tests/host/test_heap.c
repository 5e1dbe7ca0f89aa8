/* Host tests for the kernel heap (kernel/mm/heap.c), built with HEAP_DEBUG=1, over the page
 * source of heap_fixture.c. */
#include "heap_fixture.h"
#include "kernel/mm/heap.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if !defined(HEAP_DEBUG) || !HEAP_DEBUG
#error "test_heap checks guards, poison and exact byte counts: build it with -DHEAP_DEBUG=1"
#endif

static bool same_stats(struct heap_stats a, struct heap_stats b)
{
    return a.live_objects == b.live_objects && a.live_bytes == b.live_bytes && a.pages == b.pages;
}

static uint8_t pattern(size_t object, size_t offset)
{
    return (uint8_t)(object * 131 + offset * 7 + 1);
}

static void fill(uint8_t *p, size_t size, size_t object)
{
    for (size_t i = 0; i < size; i++)
        p[i] = pattern(object, i);
}

static bool holds(const uint8_t *p, size_t size, size_t object)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != pattern(object, i))
            return false;
    return true;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct run *)a)->pages;
    uintptr_t y = (uintptr_t)((const struct run *)b)->pages;
    return x < y ? -1 : x > y;
}

TEST(heap_alloc_zero_returns_null)
{
    struct fixture *f = setup();
    CHECK(heap_alloc(&f->heap, 0) == NULL);
    CHECK(heap_calloc(&f->heap, 0, 16) == NULL);
    CHECK(heap_calloc(&f->heap, 16, 0) == NULL);
    heap_free(&f->heap, NULL);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_huge_sizes_return_null)
{
    struct fixture *f = setup();
    size_t sizes[] = {SIZE_MAX,        SIZE_MAX - 1,        SIZE_MAX - 15,
                      SIZE_MAX - PAGE, SIZE_MAX - 2 * PAGE, SIZE_MAX / 2,
                      (size_t)1 << 40};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        CHECK(heap_alloc(&f->heap, sizes[i]) == NULL);
    CHECK_EQ(f->source.outstanding, 0);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_calloc_overflow_and_zeroing)
{
    struct fixture *f = setup();
    CHECK(heap_calloc(&f->heap, SIZE_MAX / 2 + 1, 2) == NULL);
    CHECK(heap_calloc(&f->heap, (size_t)1 << 33, (size_t)1 << 33) == NULL);
    CHECK(heap_calloc(&f->heap, SIZE_MAX, SIZE_MAX) == NULL);
    size_t counts[] = {1, 10, 100, 1000};
    for (size_t i = 0; i < 4; i++) {
        uint8_t *p = heap_calloc(&f->heap, counts[i], 12);
        REQUIRE(p != NULL);
        for (size_t j = 0; j < counts[i] * 12; j++)
            CHECK_EQ(p[j], 0);
        heap_free(&f->heap, p);
    }
    CHECK_EQ(reports, 0);
    teardown(f);
}

/* Every size from 1 to 5000 at once: aligned, writable, disjoint, and all given back. */
TEST(heap_every_size_to_5000)
{
    enum { N = 5000 };
    struct fixture *f = setup();
    struct run *objs = calloc(N, sizeof(*objs));
    size_t bytes = 0;
    for (size_t i = 0; i < N; i++) {
        size_t size = i + 1;
        uint8_t *p = heap_alloc(&f->heap, size);
        REQUIRE(p != NULL);
        CHECK_EQ((uintptr_t)p % 16, 0);
        fill(p, size, i);
        objs[i] = (struct run){p, size};
        bytes += size;
    }
    CHECK_EQ(heap_stats(&f->heap).live_objects, N);
    CHECK_EQ(heap_stats(&f->heap).live_bytes, bytes);
    CHECK_EQ(heap_stats(&f->heap).pages, f->source.outstanding);
    CHECK_EQ(heap_check(&f->heap), 0);
    for (size_t i = 0; i < N; i++)
        CHECK(holds(objs[i].pages, objs[i].count, i));
    for (size_t i = 0; i < N; i += 2) /* free half, from the front */
        heap_free(&f->heap, objs[i].pages);
    for (size_t i = N - 1; i < N; i -= 2) /* then the rest, from the back */
        heap_free(&f->heap, objs[i].pages);
    qsort(objs, N, sizeof(*objs), by_address);
    for (size_t i = 0; i + 1 < N; i++)
        CHECK((uintptr_t)objs[i].pages + objs[i].count <= (uintptr_t)objs[i + 1].pages);
    CHECK_EQ(reports, 0);
    free(objs);
    teardown(f);
}

TEST(heap_fresh_memory_is_filled_and_freed_memory_poisoned)
{
    struct fixture *f = setup();
    uint8_t *keep = heap_alloc(&f->heap, 40); /* keeps the slab alive */
    uint8_t *p = heap_alloc(&f->heap, 40);
    REQUIRE(keep && p);
    bool all_zero = true;
    for (size_t i = 0; i < 40; i++)
        all_zero = all_zero && p[i] == 0;
    CHECK(!all_zero);
    memset(p, 0, 40);
    heap_free(&f->heap, p);
    size_t zeros = 0;
    for (size_t i = 8; i < 40; i++) /* the first bytes may hold the free-list link */
        zeros += p[i] == 0;
    CHECK_EQ(zeros, 0);
    heap_free(&f->heap, keep);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_double_free_is_reported_and_ignored)
{
    struct fixture *f = setup();
    void *a = heap_alloc(&f->heap, 24);
    void *b = heap_alloc(&f->heap, 24);
    REQUIRE(a && b);
    heap_free(&f->heap, a);
    struct heap_stats before = heap_stats(&f->heap);
    heap_free(&f->heap, a);
    CHECK_EQ(reports, 1);
    CHECK(last_report_ptr == a);
    CHECK(reported("double free"));
    CHECK(same_stats(before, heap_stats(&f->heap)));
    /* The slot is handed out once more, not twice. */
    void *c = heap_alloc(&f->heap, 24);
    void *d = heap_alloc(&f->heap, 24);
    CHECK(c != d);
    heap_free(&f->heap, c);
    heap_free(&f->heap, d);
    heap_free(&f->heap, b);
    CHECK_EQ(reports, 1);
    /* Freeing the last object gives its slab back; a second free still only reports. */
    void *e = heap_alloc(&f->heap, 100);
    heap_free(&f->heap, e);
    heap_free(&f->heap, e);
    CHECK_EQ(reports, 2);
    CHECK(last_report_ptr == e);
    teardown(f);
}

TEST(heap_double_free_of_large_block)
{
    struct fixture *f = setup();
    void *p = heap_alloc(&f->heap, 3 * PAGE);
    REQUIRE(p != NULL);
    heap_free(&f->heap, p);
    heap_free(&f->heap, p);
    CHECK_EQ(reports, 1);
    CHECK(last_report_ptr == p);
    teardown(f);
}

TEST(heap_free_inside_object_is_reported)
{
    struct fixture *f = setup();
    uint8_t *small = heap_alloc(&f->heap, 64);
    uint8_t *large = heap_alloc(&f->heap, 10000);
    REQUIRE(small && large);
    struct heap_stats before = heap_stats(&f->heap);
    uint8_t *inside[] = {small + 1, small + 16, small + 63, large + 16, large + 100};
    for (size_t i = 0; i < 5; i++) {
        heap_free(&f->heap, inside[i]);
        CHECK_EQ(reports, i + 1);
        CHECK(last_report_ptr == inside[i]);
        CHECK(reported("not the start"));
    }
    /* Nor is the slab header, or the room after a slab's last object. */
    uint8_t *lone = heap_alloc(&f->heap, 2000);
    REQUIRE(lone != NULL);
    heap_free(&f->heap, lone + 2048);
    CHECK_EQ(reports, 6);
    CHECK(reported("not the start"));
    heap_free(&f->heap, lone);
    CHECK_EQ(reports, 6);
    heap_free(&f->heap, (uint8_t *)((uintptr_t)small & ~(uintptr_t)(PAGE - 1)) + 16);
    CHECK_EQ(reports, 7);
    CHECK(reported("not the start"));
    CHECK(same_stats(before, heap_stats(&f->heap)));
    heap_free(&f->heap, small);
    heap_free(&f->heap, large);
    CHECK_EQ(reports, 7);
    teardown(f);
}

TEST(heap_free_of_foreign_pointer_is_reported)
{
    static _Alignas(PAGE) uint8_t foreign[2 * PAGE];
    struct fixture *f = setup();
    heap_free(&f->heap, foreign + 64);
    memset(foreign + PAGE, 0xa5, PAGE);
    heap_free(&f->heap, foreign + PAGE + 48);
    CHECK_EQ(reports, 2);
    CHECK(last_report_ptr == foreign + PAGE + 48);
    CHECK(reported("never returned"));
    teardown(f);
}

/* Writes one byte past `size` bytes, expects heap_check and heap_free to notice, repairs it. */
static void overflow_by_one(struct fixture *f, size_t size)
{
    uint8_t *p = heap_alloc(&f->heap, size);
    REQUIRE(p != NULL);
    memset(p, 0x11, size); /* the whole requested size is fine */
    CHECK_EQ(heap_check(&f->heap), 0);
    uint8_t saved = p[size];
    p[size] = (uint8_t)~saved;
    size_t reports_before = reports;
    CHECK_EQ(heap_check(&f->heap), 1);
    struct heap_stats before = heap_stats(&f->heap);
    heap_free(&f->heap, p);
    CHECK_EQ(reports, reports_before + 2);
    CHECK(last_report_ptr == p);
    CHECK(reported("past the end"));
    CHECK(same_stats(before, heap_stats(&f->heap)));
    p[size] = saved;
    CHECK_EQ(heap_check(&f->heap), 0);
    heap_free(&f->heap, p);
    CHECK_EQ(reports, reports_before + 2);
}

TEST(heap_overflow_by_one_is_detected)
{
    size_t sizes[] = {1, 8, 15, 16, 24, 100, 1000, 2040, 2041, 2048, 4000, 4096, 10000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct fixture *f = setup();
        void *neighbour = heap_alloc(&f->heap, sizes[i]); /* not the only object around */
        overflow_by_one(f, sizes[i]);
        heap_free(&f->heap, neighbour);
        teardown(f);
    }
}

TEST(heap_write_after_free_is_detected)
{
    struct fixture *f = setup();
    uint8_t *keep = heap_alloc(&f->heap, 50);
    uint8_t *p = heap_alloc(&f->heap, 50);
    REQUIRE(keep && p);
    heap_free(&f->heap, p);
    uint8_t saved = p[20];
    p[20] = 0x42;
    CHECK_EQ(heap_check(&f->heap), 1);
    CHECK(heap_alloc(&f->heap, 50) == NULL); /* p is next on the free list */
    CHECK_EQ(reports, 2);
    CHECK(last_report_ptr == p);
    CHECK(reported("freed object"));
    p[20] = saved;
    CHECK_EQ(heap_check(&f->heap), 0);
    CHECK(heap_alloc(&f->heap, 50) == p);
    heap_free(&f->heap, p);
    heap_free(&f->heap, keep);
    CHECK_EQ(reports, 2);
    teardown(f);
}

TEST(heap_exhaustion_returns_null_then_recovers)
{
    struct fixture *f = setup();
    static void *ptrs[4096];
    size_t n = 0;
    f->source.budget = 3;
    while (n < 4096 && (ptrs[n] = heap_alloc(&f->heap, 16)) != NULL)
        n++;
    CHECK(n > 0 && n < 4096);
    CHECK_EQ(heap_stats(&f->heap).pages, 3);
    CHECK(heap_alloc(&f->heap, 16) == NULL);
    CHECK(heap_alloc(&f->heap, 500) == NULL);
    CHECK(heap_alloc(&f->heap, 2 * PAGE) == NULL);
    CHECK_EQ(heap_stats(&f->heap).live_objects, n);
    CHECK_EQ(heap_stats(&f->heap).pages, 3);
    f->source.budget = 2;
    CHECK(heap_alloc(&f->heap, 3 * PAGE) == NULL); /* needs 4 pages: nothing taken */
    CHECK_EQ(f->source.outstanding, 3);
    f->source.budget = SIZE_MAX;
    void *more = heap_alloc(&f->heap, 16);
    void *big = heap_alloc(&f->heap, 3 * PAGE);
    CHECK(more && big);
    heap_free(&f->heap, more);
    heap_free(&f->heap, big);
    for (size_t i = 0; i < n; i++)
        heap_free(&f->heap, ptrs[i]);
    CHECK_EQ(reports, 0);
    teardown(f);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Mostly small sizes, some up to two pages, a few bigger. */
static size_t random_size(void)
{
    uint64_t r = rng();
    switch (r % 16) {
    case 0:
        return 1 + (r >> 8) % 20000;
    case 1:
    case 2:
        return 1 + (r >> 8) % 8192;
    default:
        return 1 + (r >> 8) % 256;
    }
}

struct shadow {
    uint8_t *ptr;
    size_t size;
    size_t tag;
};

static void stress_step(struct fixture *f, struct shadow *slot, size_t tag)
{
    if (slot->ptr) {
        CHECK(holds(slot->ptr, slot->size, slot->tag));
        heap_free(&f->heap, slot->ptr);
        slot->ptr = NULL;
        return;
    }
    slot->size = random_size();
    slot->tag = tag;
    bool zeroed = rng() % 8 == 0;
    slot->ptr = zeroed ? heap_calloc(&f->heap, 1, slot->size) : heap_alloc(&f->heap, slot->size);
    REQUIRE(slot->ptr != NULL);
    CHECK_EQ((uintptr_t)slot->ptr % 16, 0);
    if (zeroed)
        CHECK(slot->ptr[0] == 0 && slot->ptr[slot->size - 1] == 0);
    fill(slot->ptr, slot->size, tag);
}

TEST(heap_random_stress)
{
    enum { SLOTS = 1024, OPS = 60000 };
    struct fixture *f = setup();
    struct shadow *shadow = calloc(SLOTS, sizeof(*shadow));
    rng_state = 0x9e3779b97f4a7c15ull;
    for (size_t op = 0; op < OPS; op++) {
        stress_step(f, &shadow[rng() % SLOTS], op);
        if (op % 5000 != 0)
            continue;
        size_t objects = 0, bytes = 0;
        for (size_t i = 0; i < SLOTS; i++) {
            objects += shadow[i].ptr != NULL;
            bytes += shadow[i].ptr ? shadow[i].size : 0;
        }
        CHECK_EQ(heap_stats(&f->heap).live_objects, objects);
        CHECK_EQ(heap_stats(&f->heap).live_bytes, bytes);
        CHECK_EQ(heap_stats(&f->heap).pages, f->source.outstanding);
        CHECK_EQ(heap_check(&f->heap), 0);
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (!shadow[i].ptr)
            continue;
        CHECK(holds(shadow[i].ptr, shadow[i].size, shadow[i].tag));
        heap_free(&f->heap, shadow[i].ptr);
    }
    CHECK_EQ(reports, 0);
    free(shadow);
    teardown(f);
}
