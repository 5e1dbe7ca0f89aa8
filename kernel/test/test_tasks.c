/* In-kernel tests of task lifetimes, NUMA-local allocation, FPU state and bad arguments. */
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/test/ktest.h"
#include "kernel/test/ktest_util.h"

#define MS 1000000UL

static void exit_with_arg(void *arg)
{
    task_exit((int64_t)(uintptr_t)arg);
}

KTEST(thousand_tasks_leave_nothing_behind)
{
    enum { TOTAL = 1000, BATCH = 50 };
    /* Warm up the heap's caches first, so only the tasks themselves are measured. */
    KEXPECT(ktest_join(ktest_spawn("warm", exit_with_arg, NULL, 0, 0)) == WG_ERR_OK);
    ktest_quiesce(); /* earlier tests' dead tasks are freed before the baseline */
    uint64_t free_before = memory_free_page_count();
    uint64_t tasks_before = task_count();
    struct heap_stats heap_before = kmalloc_stats();
    unsigned bad_status = 0;
    for (unsigned base = 0; base < TOTAL; base += BATCH) {
        struct task *batch[BATCH];
        for (unsigned i = 0; i < BATCH; i++)
            batch[i] = ktest_spawn("short", exit_with_arg, (void *)(uintptr_t)(base + i), 0, 0);
        for (unsigned i = 0; i < BATCH; i++) {
            int64_t status = -1;
            KEXPECT(batch[i] && task_join(batch[i], 10000 * MS, &status) == WG_ERR_OK);
            bad_status += status != (int64_t)(base + i);
            task_put(batch[i]);
        }
    }
    KEXPECT(bad_status == 0);
    KEXPECT(ktest_settle(free_before, tasks_before));
    struct heap_stats heap_after = kmalloc_stats();
    KEXPECT(heap_after.live_objects == heap_before.live_objects);
    log_raw("ktest:   free pages %lu -> %lu, tasks %lu -> %lu\n", free_before,
            memory_free_page_count(), tasks_before, task_count());
}

struct node_probe {
    int node_of_page;
    unsigned cpu_node;
};

static void allocate_here(void *arg)
{
    struct node_probe *probe = arg;
    probe->cpu_node = this_cpu()->node;
    struct pmm_result page = memory_alloc_pages(1);
    probe->node_of_page = page.err == WG_ERR_OK ? memory_node_of(page.phys) : -1;
    if (page.err == WG_ERR_OK)
        memory_free_pages(page.phys, 1);
}

KTEST(allocation_prefers_the_local_node)
{
    for (unsigned i = 0; i < cpu_count; i++) {
        struct node_probe probe = {-1, 0};
        KEXPECT(ktest_join(ktest_spawn("numa", allocate_here, &probe, 0, 1ULL << i)) == WG_ERR_OK);
        KEXPECT(probe.cpu_node == cpus[i].node);
        KEXPECT(probe.node_of_page == (int)cpus[i].node);
    }
}

/* Loads xmm0-15 with a task-specific pattern, yields many times, checks them. */
static void fpu_worker(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg, bad = 0;
    for (unsigned round = 0; round < 50; round++) {
        uint64_t value = seed * 1000 + round;
        __asm__ volatile("movq %0, %%xmm0\n\t"
                         "movq %0, %%xmm7\n\t"
                         "movq %0, %%xmm15\n\t" ::"r"(value));
        sched_yield();
        uint64_t a, b, c;
        __asm__ volatile("movq %%xmm0, %0\n\t"
                         "movq %%xmm7, %1\n\t"
                         "movq %%xmm15, %2"
                         : "=r"(a), "=r"(b), "=r"(c));
        bad += (a != value) + (b != value) + (c != value);
    }
    task_exit((int64_t)bad);
}

KTEST(fpu_state_survives_switches)
{
    struct task *tasks[3];
    for (unsigned i = 0; i < 3; i++)
        tasks[i] = ktest_spawn("fpu", fpu_worker, (void *)(uintptr_t)(i + 1), 0, 1ULL);
    for (unsigned i = 0; i < 3; i++) {
        int64_t bad = -1;
        KEXPECT(task_join(tasks[i], 10000 * MS, &bad) == WG_ERR_OK);
        KEXPECT(bad == 0);
        task_put(tasks[i]);
    }
}

static bool never_ready(void *ctx)
{
    (void)ctx;
    return false;
}

static void block_until_told(void *arg)
{
    volatile bool *release = arg;
    while (!*release)
        sleep_ns(MS);
}

KTEST(join_and_wait_timeouts)
{
    volatile bool release = false;
    struct task *task = ktest_spawn("blocked", block_until_told, (void *)&release, 0, 0);
    uint64_t start = arch_clock_ns();
    KEXPECT(task_join(task, 20 * MS, NULL) == WG_ERR_TIMED_OUT);
    KEXPECT(arch_clock_ns() - start >= 20 * MS);
    KEXPECT(task_join(task, 0, NULL) == WG_ERR_WOULD_BLOCK);
    release = true;
    KEXPECT(ktest_join(task) == WG_ERR_OK);
    struct wait_queue queue;
    wait_queue_init(&queue);
    KEXPECT(wait_event(&queue, never_ready, NULL, 0) == WG_ERR_WOULD_BLOCK);
    KEXPECT(wait_event(&queue, never_ready, NULL, 3 * MS) == WG_ERR_TIMED_OUT);
    KEXPECT(wait_queue_wake_all(&queue) == 0);
}

KTEST(task_bad_arguments)
{
    struct task_params no_entry = {.name = "x"};
    KEXPECT(task_create(&no_entry).err == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(task_create(NULL).err == WG_ERR_INVALID_ARGUMENT);
    struct task_params bad_priority = {.name = "x", .entry = exit_with_arg, .priority = 99};
    KEXPECT(task_create(&bad_priority).err == WG_ERR_INVALID_ARGUMENT);
    struct task_params no_cpu = {
        .name = "x", .entry = exit_with_arg, .affinity = cpu_count < 64 ? 1ULL << cpu_count : 0};
    if (cpu_count < 64)
        KEXPECT(task_create(&no_cpu).err == WG_ERR_INVALID_ARGUMENT);
    struct task *self = task_current();
    KEXPECT(task_set_priority(self, 0) == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(task_set_priority(self, 32) == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(task_set_affinity(self, 0) == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(task_join(self, 0, NULL) == WG_ERR_INVALID_ARGUMENT);
    KEXPECT(task_join(NULL, 0, NULL) == WG_ERR_INVALID_ARGUMENT);
}

static __attribute__((noinline)) uint64_t task_recurse(uint64_t depth)
{
    volatile uint8_t pad[256];
    pad[0] = (uint8_t)depth;
    if (depth == UINT64_MAX)
        return 0;
    return task_recurse(depth + 1) + pad[0];
}

static void overflow_entry(void *arg)
{
    (void)arg;
    task_recurse(0);
}

KTEST_CRASH(fault_task_stack_overflow)
{
    /* On the last CPU, so a multi-CPU boot also shows the others being stopped. */
    ktest_join(ktest_spawn("overflow", overflow_entry, NULL, 0, 1ULL << (cpu_count - 1)));
}
