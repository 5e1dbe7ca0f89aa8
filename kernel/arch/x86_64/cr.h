/* Control registers (CR0, CR2, CR3, CR4) and the single-page TLB flush. */
#pragma once

#include <stdint.h>

#define CR0_WP  (1ULL << 16)
#define CR4_PGE (1ULL << 7)

#define DEFINE_CR_ACCESSORS(n)                                         \
    static inline uint64_t read_cr##n(void)                            \
    {                                                                  \
        uint64_t value;                                                \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(value));          \
        return value;                                                  \
    }                                                                  \
    static inline void write_cr##n(uint64_t value)                     \
    {                                                                  \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(value) : "memory"); \
    }
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void invlpg(uintptr_t address)
{
    __asm__ volatile("invlpg (%0)" : : "r"(address) : "memory");
}
