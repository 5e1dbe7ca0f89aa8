/* The benchmark runner and its report. */
#include "kernel/test/kbench.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/test/ktest.h"

extern const struct kbench __kbenches_start[], __kbenches_end[];

/* Heap sort: in place, no recursion, O(n log n) for tens of thousands of samples. */
static void sift_down(uint64_t *v, size_t start, size_t end)
{
    size_t root = start;
    while (2 * root + 1 < end) {
        size_t child = 2 * root + 1;
        if (child + 1 < end && v[child] < v[child + 1])
            child++;
        if (v[root] >= v[child])
            return;
        uint64_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void sort_samples(uint64_t *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (size_t end = n; end-- > 1;) {
        uint64_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}

void kbench_report(const char *name, uint64_t *samples, size_t count)
{
    if (count == 0) {
        log_raw("bench: %s no samples\n", name);
        return;
    }
    sort_samples(samples, count);
    log_raw("bench: %s median=%lu min=%lu max=%lu unit=cycles iters=%zu\n", name,
            samples[count / 2], samples[0], samples[count - 1], count);
}

void kbench_run(void)
{
    for (const struct kbench *b = __kbenches_start; b < __kbenches_end; b++)
        b->fn();
}

void kbench_finish(void)
{
    log_raw("bench: done\n");
    arch_test_exit(KTEST_EXIT_PASS);
    arch_halt_all();
}
