/* Host tests for the heap's per-CPU caches (kernel/mm/heap_cache.c), built with HEAP_DEBUG=1:
 * reuse without the heap, bounds and batches, exact statistics across caches (objects freed
 * on another "CPU"), and the debug checks (double free, overflow, write after free) for
 * cached objects. Each test drives caches the way kmalloc.c does. */
#include "heap_fixture.h"
#include "kernel/mm/heap_cache.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if !defined(HEAP_DEBUG) || !HEAP_DEBUG
#error "test_heap_cache checks guards, poison and exact byte counts: build it with -DHEAP_DEBUG=1"
#endif

#define CACHES 4

static struct heap_cache caches[CACHES];
static size_t refills, drains; /* trips to the shared heap */

static void reset_caches(void)
{
    memset(caches, 0, sizeof(caches));
    refills = drains = 0;
}

/* kmalloc's path: the cache, refilled from the heap when the class is empty. */
static void *cache_malloc(struct fixture *f, int cpu, size_t size)
{
    unsigned c = heap_size_class(size);
    if (c >= HEAP_CLASS_COUNT)
        return heap_alloc(&f->heap, size);
    void *ptr = heap_cache_alloc(&caches[cpu], &f->heap, size);
    if (!ptr && caches[cpu].count[c] == 0) {
        refills++;
        heap_cache_refill(&caches[cpu], &f->heap, c);
        ptr = heap_cache_alloc(&caches[cpu], &f->heap, size);
    }
    return ptr;
}

/* kfree's path: into the cache, half of the class drained first when it is full. */
static void cache_free(struct fixture *f, int cpu, void *ptr)
{
    int c = heap_object_class(ptr);
    if (c < 0) {
        heap_free(&f->heap, ptr);
        return;
    }
    if (heap_cache_free(&caches[cpu], &f->heap, ptr) == HEAP_CACHE_FULL) {
        drains++;
        heap_cache_drain(&caches[cpu], &f->heap, (unsigned)c, heap_cache_limit(c) / 2);
        CHECK(heap_cache_free(&caches[cpu], &f->heap, ptr) == HEAP_CACHE_DONE);
    }
}

/* What kmalloc_stats() reports: the heap corrected by every cache. */
static struct heap_stats all_stats(struct fixture *f)
{
    struct heap_stats stats = heap_stats(&f->heap);
    for (int i = 0; i < CACHES; i++)
        heap_cache_add_stats(&caches[i], &stats);
    return stats;
}

static void drain_everything(struct fixture *f)
{
    for (int i = 0; i < CACHES; i++)
        heap_cache_drain_all(&caches[i], &f->heap);
}

TEST(heap_cache_limits_are_bounded)
{
    for (unsigned c = 0; c < HEAP_CLASS_COUNT; c++) {
        unsigned limit = heap_cache_limit(c);
        CHECK(limit >= 2 && limit <= HEAP_CACHE_DEPTH);
        CHECK(limit * ((size_t)16 << c) <= HEAP_CACHE_BYTES || limit == 2);
    }
}

TEST(heap_cache_reuses_without_the_heap)
{
    struct fixture *f = setup();
    reset_caches();
    void *first = cache_malloc(f, 0, 100);
    REQUIRE(first != NULL);
    CHECK_EQ(refills, 1);
    cache_free(f, 0, first);
    for (int i = 0; i < 1000; i++) {
        void *again = cache_malloc(f, 0, 100);
        CHECK(again == first); /* the hottest object comes back */
        cache_free(f, 0, again);
    }
    CHECK_EQ(refills, 1);
    CHECK_EQ(drains, 0);
    CHECK_EQ(all_stats(f).live_objects, 0);
    CHECK_EQ(all_stats(f).live_bytes, 0);
    CHECK(f->source.outstanding > 0); /* the cache keeps its slab */
    drain_everything(f);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_cache_stays_within_its_limit)
{
    enum { N = 200 };
    struct fixture *f = setup();
    reset_caches();
    void *objects[N];
    for (int i = 0; i < N; i++)
        REQUIRE((objects[i] = cache_malloc(f, 0, 24)) != NULL);
    unsigned c = heap_size_class(24);
    for (int i = 0; i < N; i++) {
        cache_free(f, 0, objects[i]);
        CHECK(caches[0].count[c] <= heap_cache_limit(c));
    }
    CHECK(drains > 0 && drains < N / 2); /* in batches */
    CHECK(refills < N / 2);
    CHECK_EQ(all_stats(f).live_objects, 0);
    drain_everything(f);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_cache_stats_are_exact_across_cpus)
{
    enum { N = 300 };
    struct fixture *f = setup();
    reset_caches();
    void *objects[N];
    size_t bytes = 0;
    for (int i = 0; i < N; i++) {
        size_t size = 1 + (size_t)(i * 37) % 2000;
        REQUIRE((objects[i] = cache_malloc(f, i % CACHES, size)) != NULL);
        memset(objects[i], i, size);
        bytes += size;
        struct heap_stats stats = all_stats(f);
        CHECK_EQ(stats.live_objects, (size_t)i + 1);
        CHECK_EQ(stats.live_bytes, bytes);
    }
    for (int i = 0; i < N; i++) {
        bytes -= 1 + (size_t)(i * 37) % 2000;
        cache_free(f, (i + 1) % CACHES, objects[i]); /* freed on another CPU */
        struct heap_stats stats = all_stats(f);
        CHECK_EQ(stats.live_objects, (size_t)(N - i - 1));
        CHECK_EQ(stats.live_bytes, bytes);
    }
    CHECK_EQ(heap_check(&f->heap), 0);
    drain_everything(f);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_cache_takes_objects_the_heap_handed_out)
{
    struct fixture *f = setup();
    reset_caches();
    void *direct = heap_alloc(&f->heap, 40);
    REQUIRE(direct != NULL);
    cache_free(f, 1, direct);
    CHECK_EQ(all_stats(f).live_objects, 0);
    CHECK_EQ(all_stats(f).live_bytes, 0);
    void *again = cache_malloc(f, 1, 33);
    CHECK(again == direct);
    CHECK_EQ(all_stats(f).live_bytes, 33);
    cache_free(f, 1, again);
    drain_everything(f);
    CHECK_EQ(reports, 0);
    teardown(f);
}

TEST(heap_cache_double_free_is_reported_and_ignored)
{
    struct fixture *f = setup();
    reset_caches();
    void *ptr = cache_malloc(f, 0, 64);
    REQUIRE(ptr != NULL);
    cache_free(f, 0, ptr);
    unsigned count = caches[0].count[heap_size_class(64)];
    cache_free(f, 2, ptr); /* again, from another CPU */
    CHECK_EQ(reports, 1);
    CHECK(reported("double free"));
    CHECK(last_report_ptr == ptr);
    CHECK_EQ(caches[2].count[heap_size_class(64)], 0);
    heap_free(&f->heap, ptr); /* the heap itself also refuses a cached object */
    CHECK_EQ(reports, 2);
    CHECK(reported("double free"));
    CHECK_EQ(caches[0].count[heap_size_class(64)], count);
    drain_everything(f);
    teardown(f);
}

TEST(heap_cache_overflow_is_detected_at_free)
{
    struct fixture *f = setup();
    reset_caches();
    uint8_t *ptr = cache_malloc(f, 0, 20);
    REQUIRE(ptr != NULL);
    ptr[20] = 0; /* one byte past the end */
    cache_free(f, 0, ptr);
    CHECK_EQ(reports, 1);
    CHECK(reported("write past the end"));
    CHECK_EQ(caches[0].count[heap_size_class(20)],
             (unsigned)heap_cache_limit(heap_size_class(20)) / 2 - 1);
    ptr[20] = 0xfd; /* repair the guard, then free for real */
    cache_free(f, 0, ptr);
    CHECK_EQ(reports, 1);
    drain_everything(f);
    teardown(f);
}

TEST(heap_cache_write_after_free_is_detected)
{
    struct fixture *f = setup();
    reset_caches();
    uint8_t *ptr = cache_malloc(f, 0, 200);
    REQUIRE(ptr != NULL);
    cache_free(f, 0, ptr);
    ptr[100] = 1; /* written while it sits in the cache */
    CHECK_EQ(heap_check(&f->heap), 1);
    CHECK(reported("freed object written to"));
    reports = 0;
    CHECK(cache_malloc(f, 0, 200) == NULL || reports == 1);
    CHECK_EQ(reports, 1); /* reported when handed out again */
    CHECK(reported("freed object written to"));
    drain_everything(f);
    /* The damaged object is never reused: it stays out of the caches and the heap's lists of
     * free objects; the test leaves it (and its slab) to teardown's tolerance below. */
    struct heap_stats stats = heap_stats(&f->heap);
    CHECK_EQ(stats.live_objects, 1);
    for (size_t i = 0; i < MAX_RUNS; i++)
        free(f->source.live[i].pages);
    for (size_t i = 0; i < QUARANTINE; i++)
        free(f->source.quarantine[i].pages);
    free(f);
}

TEST(heap_cache_random_stress_leaves_nothing)
{
    enum { SLOTS = 512 };
    struct fixture *f = setup();
    reset_caches();
    static uint8_t *objects[SLOTS];
    static size_t sizes[SLOTS];
    uint64_t state = 99;
    size_t live = 0;
    for (int step = 0; step < 50000; step++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned slot = (unsigned)(state >> 33) % SLOTS, cpu = (unsigned)(state >> 20) % CACHES;
        if (objects[slot]) {
            for (size_t i = 0; i < sizes[slot]; i++)
                REQUIRE(objects[slot][i] == (uint8_t)(slot + i));
            cache_free(f, (int)cpu, objects[slot]);
            objects[slot] = NULL;
            live--;
            continue;
        }
        sizes[slot] = 1 + (size_t)(state >> 40) % ((state >> 12) % 16 == 0 ? 6000 : 600);
        REQUIRE((objects[slot] = cache_malloc(f, (int)cpu, sizes[slot])) != NULL);
        for (size_t i = 0; i < sizes[slot]; i++)
            objects[slot][i] = (uint8_t)(slot + i);
        live++;
        if (step % 997 == 0) {
            CHECK_EQ(all_stats(f).live_objects, live);
            CHECK_EQ(heap_check(&f->heap), 0);
        }
    }
    for (unsigned slot = 0; slot < SLOTS; slot++) {
        if (objects[slot])
            cache_free(f, (int)(slot % CACHES), objects[slot]);
        objects[slot] = NULL;
    }
    CHECK_EQ(all_stats(f).live_objects, 0);
    CHECK_EQ(all_stats(f).live_bytes, 0);
    drain_everything(f);
    CHECK_EQ(reports, 0);
    teardown(f);
}
