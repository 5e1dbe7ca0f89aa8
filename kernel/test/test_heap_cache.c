/* In-kernel tests of the heap's per-CPU caches (kernel/mm/kmalloc.c): a kmalloc/kfree pair
 * on one CPU stays off the shared heap, and objects freed on other CPUs than they were
 * allocated on leave the heap's numbers and the free pages as they were. */
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/test/ktest.h"
#include "kernel/test/ktest_util.h"

#define PAIRS        2000
#define SHARED_COUNT 256

struct pairs_probe {
    uint64_t trips; /* heap trips of its CPU during the pairs */
    bool wrong_cpu;
    bool failed;
};

static void pairs_entry(void *arg)
{
    struct pairs_probe *probe = arg;
    unsigned cpu = this_cpu()->index;
    kfree(kmalloc(100)); /* the class is stocked from here on */
    uint64_t before = kmalloc_heap_trips(cpu);
    for (unsigned i = 0; i < PAIRS; i++) {
        uint8_t *object = kmalloc(16 + i % 200);
        probe->failed |= object == NULL;
        if (object)
            object[0] = (uint8_t)i;
        kfree(object);
    }
    probe->trips = kmalloc_heap_trips(cpu) - before;
    probe->wrong_cpu = this_cpu()->index != cpu;
}

KTEST(kmalloc_pairs_stay_on_their_cpu_cache)
{
    struct heap_stats before = kmalloc_stats();
    uint64_t free_before = memory_free_page_count(), tasks_before = task_count();
    struct pairs_probe probes[MAX_CPUS] = {0};
    struct task *tasks[MAX_CPUS] = {0};
    for (unsigned i = 0; i < cpu_count; i++)
        tasks[i] = ktest_spawn("pairs", pairs_entry, &probes[i], 0, 1ULL << i);
    for (unsigned i = 0; i < cpu_count; i++) {
        KEXPECT(ktest_join(tasks[i]) == WG_ERR_OK);
        KEXPECT(!probes[i].failed && !probes[i].wrong_cpu);
        /* Sizes 16..215 span 5 classes: at most a refill each, never per pair. */
        KEXPECT(probes[i].trips <= 8);
    }
    KEXPECT(ktest_settle(free_before, tasks_before)); /* the tasks are freed */
    struct heap_stats after = kmalloc_stats();
    KEXPECT(after.live_objects == before.live_objects && after.live_bytes == before.live_bytes);
}

struct shared_objects {
    void *objects[SHARED_COUNT];
    size_t sizes[SHARED_COUNT];
    bool corrupted;
};

static void allocate_entry(void *arg)
{
    struct shared_objects *shared = arg;
    for (unsigned i = 0; i < SHARED_COUNT; i++) {
        shared->sizes[i] = 8 + (i * 53) % 1500;
        uint8_t *object = kmalloc(shared->sizes[i]);
        shared->objects[i] = object;
        for (size_t b = 0; object && b < shared->sizes[i]; b++)
            object[b] = (uint8_t)(i + b);
    }
}

static void free_entry(void *arg)
{
    struct shared_objects *shared = arg;
    for (unsigned i = 0; i < SHARED_COUNT; i++) {
        const uint8_t *object = shared->objects[i];
        for (size_t b = 0; object && b < shared->sizes[i]; b++)
            shared->corrupted |= object[b] != (uint8_t)(i + b);
        kfree(shared->objects[i]);
    }
}

KTEST(kmalloc_objects_freed_on_another_cpu_leave_nothing)
{
    static struct shared_objects shared;
    struct heap_stats before = kmalloc_stats();
    uint64_t free_before = memory_free_page_count(), tasks_before = task_count();
    unsigned last = cpu_count - 1;
    shared.corrupted = false;
    KEXPECT(ktest_join(ktest_spawn("alloc", allocate_entry, &shared, 0, 1)) == WG_ERR_OK);
    for (unsigned i = 0; i < SHARED_COUNT; i++)
        KEXPECT(shared.objects[i] != NULL);
    task_reap();
    struct heap_stats during = kmalloc_stats();
    KEXPECT(during.live_objects >= before.live_objects + SHARED_COUNT);
    KEXPECT(kmalloc_check() == 0);
    KEXPECT(ktest_join(ktest_spawn("free", free_entry, &shared, 0, 1ULL << last)) == WG_ERR_OK);
    KEXPECT(!shared.corrupted);
    KEXPECT(ktest_settle(free_before, tasks_before));
    struct heap_stats after = kmalloc_stats();
    KEXPECT(after.live_objects == before.live_objects && after.live_bytes == before.live_bytes);
    KEXPECT(after.pages == before.pages);
}
