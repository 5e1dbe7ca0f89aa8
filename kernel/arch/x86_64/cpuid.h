/* The CPUID instruction: out[] receives eax, ebx, ecx, edx of `leaf`/`subleaf`. */
#pragma once

#include <stdint.h>

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
                     : "a"(leaf), "c"(subleaf));
}
