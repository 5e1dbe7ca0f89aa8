/* Crash tests: each ends in the fault reporter by design, and the harness checks the report
 * (vector, CR2, the guard-page diagnosis, the backtrace naming this file's functions). */
#include "kernel/test/ktest.h"

#include <stdint.h>

KTEST_CRASH(fault_null_read)
{
    volatile uint64_t *null = (volatile uint64_t *)(uintptr_t)0;
    (void)*null;
}

KTEST_CRASH(fault_write_rodata)
{
    static const uint64_t constant = 42;
    *(volatile uint64_t *)&constant = 43;
}

KTEST_CRASH(fault_invalid_opcode)
{
    __builtin_trap();
}

KTEST_CRASH(fault_general_protection)
{
    volatile uint64_t *non_canonical = (volatile uint64_t *)0x8000000000000000ULL;
    (void)*non_canonical;
}

static __attribute__((noinline)) uint64_t recurse_forever(uint64_t depth)
{
    volatile uint8_t pad[512];
    pad[0] = (uint8_t)depth;
    if (depth == UINT64_MAX) /* never: keeps the compiler from calling this endless */
        return 0;
    return recurse_forever(depth + 1) + pad[0];
}

KTEST_CRASH(fault_stack_overflow)
{
    recurse_forever(0);
}
