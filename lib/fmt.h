/* Freestanding formatted printing, shared by the kernel, userspace and host tests.
 *
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-' '0' '+' ' ' '#', a width and a
 * precision (both may be '*'), and length modifiers hh h l ll z j t. Output goes to a sink
 * callback in chunks; nothing is allocated. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink)(void *ctx, const char *chars, size_t count);

/* Formats into `sink`; returns the number of characters produced. */
size_t fmt_vformat(fmt_sink sink, void *ctx, const char *format, va_list args);
size_t fmt_format(fmt_sink sink, void *ctx, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Like C's snprintf: writes at most size-1 characters and a NUL (when size > 0), and returns
 * the length the full output would have had. */
size_t fmt_vsnprintf(char *buffer, size_t size, const char *format, va_list args);
size_t fmt_snprintf(char *buffer, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
