/* The Linux reference's clocks: the fenced time-stamp counter the samples are taken with, and
 * CLOCK_MONOTONIC for the rates (disk.c, files.c). */
#pragma once

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t clock_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}
