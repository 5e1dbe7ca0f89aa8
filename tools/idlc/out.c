/* The generators' text buffer (see out.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "out.h"

static void reserve(struct out *out, size_t more)
{
    if (out->length + more + 1 <= out->capacity)
        return;
    size_t capacity = out->capacity ? out->capacity : 4096;
    while (capacity < out->length + more + 1)
        capacity *= 2;
    char *text = realloc(out->text, capacity);
    if (!text)
        fail_at(out->ctx, (struct pos){0, 0}, "out of memory");
    out->text = text;
    out->capacity = capacity;
}

void out_printf(struct out *out, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int length = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (length <= 0)
        return;
    reserve(out, (size_t)length);
    va_start(args, format);
    vsnprintf(out->text + out->length, (size_t)length + 1, format, args);
    va_end(args);
    out->length += (size_t)length;
}

void out_free(struct out *out)
{
    free(out->text);
    *out = (struct out){0};
}
