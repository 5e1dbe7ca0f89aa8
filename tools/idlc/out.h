/* A growing text buffer the generators print into; the driver writes it to a file (or a
 * test compares it). */
#pragma once

#include <stddef.h>
#include "arena.h"

struct out {
    struct compile_ctx *ctx;
    char *text;
    size_t length, capacity;
};

__attribute__((format(printf, 2, 3))) void out_printf(struct out *out, const char *format, ...);
void out_free(struct out *out);
