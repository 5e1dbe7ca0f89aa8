/* Small instructions with no device of their own: the time-stamp counter, the flags
 * register and the spin-wait hint. */
#pragma once

#include <stdint.h>

#define RFLAGS_IF (1ULL << 9)

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_rflags(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return flags;
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause");
}
