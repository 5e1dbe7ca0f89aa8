/* Host tests for lib/samples.c: the sort against random data, duplicates, sorted and reversed
 * input, and the summary (median, min, max) of odd, even, single and empty sample sets. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "lib/samples.h"

static bool ascending(const uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return false;
    return true;
}

/* Sums as a cheap check that sorting kept the same values. */
static uint64_t sum(const uint64_t *v, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i] * 2654435761u + 1;
    return total;
}

TEST(sort_random_with_duplicates)
{
    enum { N = 10007 };
    static uint64_t v[N];
    srand(7);
    for (size_t i = 0; i < N; i++)
        v[i] = (uint64_t)(rand() % 500); /* many duplicates */
    uint64_t before = sum(v, N);
    samples_sort(v, N);
    CHECK(ascending(v, N));
    CHECK(sum(v, N) == before);
}

TEST(sort_sorted_reversed_and_extremes)
{
    uint64_t up[64], down[64];
    for (size_t i = 0; i < 64; i++) {
        up[i] = i;
        down[i] = i == 0 ? UINT64_MAX : 64 - i;
    }
    samples_sort(up, 64);
    samples_sort(down, 64);
    CHECK(ascending(up, 64) && up[0] == 0 && up[63] == 63);
    CHECK(ascending(down, 64) && down[0] == 1 && down[63] == UINT64_MAX);
}

TEST(summary_odd_even_single_empty)
{
    uint64_t odd[] = {9, 1, 5, 3, 7};
    struct samples_summary s = samples_summarize(odd, 5);
    CHECK(s.median == 5 && s.min == 1 && s.max == 9);
    uint64_t even[] = {40, 10, 30, 20};
    s = samples_summarize(even, 4);
    CHECK(s.median == 30 && s.min == 10 && s.max == 40); /* the upper median */
    uint64_t one[] = {42};
    s = samples_summarize(one, 1);
    CHECK(s.median == 42 && s.min == 42 && s.max == 42);
    s = samples_summarize(NULL, 0);
    CHECK(s.median == 0 && s.min == 0 && s.max == 0);
}
