/* Kernel symbol table for backtraces, filled in by the build's second link. */
#pragma once

#include <stdint.h>

/* Name of the function containing `address` and the offset into it, or NULL. */
const char *symbols_lookup(uintptr_t address, uintptr_t *offset);
