/* The compiler's memory and its error exit. Every allocation comes from one arena freed at
 * the end of a compile; the first error is formatted as "file:line:col: message" and
 * longjmps back to idlc_compile, so no pass has to unwind by hand. */
#pragma once

#include <setjmp.h>
#include <stddef.h>
#include "ast.h"

#define IDLC_ERROR_MAX 512

struct arena_block;

struct compile_ctx {
    const char *path;
    struct arena_block *blocks;
    jmp_buf on_error;
    char error[IDLC_ERROR_MAX];
};

/* Zeroed memory that lives until arena_free; an allocation failure is a compile error. */
void *arena_alloc(struct compile_ctx *ctx, size_t size);
char *arena_strndup(struct compile_ctx *ctx, const char *text, size_t length);
void arena_free(struct compile_ctx *ctx);

/* Formats the error at `pos` into ctx->error and leaves the compile (does not return). */
__attribute__((noreturn, format(printf, 3, 4))) void
fail_at(struct compile_ctx *ctx, struct pos pos, const char *format, ...);
