/* panic(): a broken kernel invariant. Never for bad user input. */
#pragma once

#include <stdbool.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *format, ...);

/* For reporters that print their own details between the two (fault.c): begin stops
 * interrupts and guards against a panic inside a panic; end halts every CPU. */
void panic_begin(void);
/* True once any CPU has begun a panic (the NMI handler then just halts). */
bool panic_in_progress(void);
__attribute__((noreturn)) void panic_end(void);
/* Test mode: panic_end leaves QEMU with `code` (arch_test_exit) instead of only halting. */
void panic_set_test_exit(int code);

/* Debug assertion with file and line. */
#define kassert(cond)                                                          \
    do {                                                                       \
        if (!(cond))                                                           \
            panic("assertion failed at %s:%d: %s", __FILE__, __LINE__, #cond); \
    } while (0)
