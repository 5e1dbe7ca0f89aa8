/* Benchmark samples: heap sort and summary (see samples.h). */
#include "lib/samples.h"

/* Moves v[root] down until both children are smaller: the heap property for v[..end). */
static void sift_down(uint64_t *v, size_t root, size_t end)
{
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

void samples_sort(uint64_t *v, size_t n)
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

struct samples_summary samples_summarize(uint64_t *v, size_t n)
{
    if (n == 0)
        return (struct samples_summary){0, 0, 0};
    samples_sort(v, n);
    return (struct samples_summary){.median = v[n / 2], .min = v[0], .max = v[n - 1]};
}
