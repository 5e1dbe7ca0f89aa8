/* The compile's arena and error exit (see arena.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"

struct arena_block {
    struct arena_block *next;
    max_align_t data[];
};

void *arena_alloc(struct compile_ctx *ctx, size_t size)
{
    struct arena_block *block = calloc(1, sizeof *block + size);
    if (!block)
        fail_at(ctx, (struct pos){0, 0}, "out of memory");
    block->next = ctx->blocks;
    ctx->blocks = block;
    return block->data;
}

char *arena_strndup(struct compile_ctx *ctx, const char *text, size_t length)
{
    char *copy = arena_alloc(ctx, length + 1);
    memcpy(copy, text, length);
    return copy;
}

void arena_free(struct compile_ctx *ctx)
{
    while (ctx->blocks) {
        struct arena_block *next = ctx->blocks->next;
        free(ctx->blocks);
        ctx->blocks = next;
    }
}

void fail_at(struct compile_ctx *ctx, struct pos pos, const char *format, ...)
{
    va_list args;
    int used = snprintf(ctx->error, sizeof ctx->error, "%s:%d:%d: ", ctx->path, pos.line, pos.col);
    if (used < 0 || (size_t)used >= sizeof ctx->error)
        used = 0;
    va_start(args, format);
    vsnprintf(ctx->error + used, sizeof ctx->error - (size_t)used, format, args);
    va_end(args);
    longjmp(ctx->on_error, 1);
}
