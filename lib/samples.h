/* Benchmark samples: sorting and the summary every benchmark prints (median, min, max). The
 * kernel's benchmarks, the user-side ones and the Linux reference program (bench/linux) share
 * it, so all three compute their figures the same way. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct samples_summary {
    uint64_t median, min, max;
};

/* Sorts `v` in place, ascending (heap sort: no recursion, no allocation, O(n log n)). */
void samples_sort(uint64_t *v, size_t n);

/* Sorts `v` and returns its median (the upper one for an even count), minimum and maximum;
 * all zero when n is 0. */
struct samples_summary samples_summarize(uint64_t *v, size_t n);
