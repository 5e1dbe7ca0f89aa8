/* The compile pipeline (see idlc.h): parse, check, generate, all in one arena; an error
 * anywhere longjmps back here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "gen.h"
#include "idlc.h"
#include "parser.h"

#define BASE_MAX 200

/* Runs the passes; on an error fail_at jumps back to idlc_compile instead of returning. */
static void run(struct compile_ctx *ctx, const char *base, const char *text, size_t length,
                struct out *header, struct out *source)
{
    struct idl_file *file = parser_parse(ctx, text, length);
    check_file(ctx, file);
    char header_name[BASE_MAX + 16];
    snprintf(header_name, sizeof header_name, "%s_idl.h", base);
    struct gen g = {.out = header, .ctx = ctx, .file = file, .header_name = header_name};
    gen_header(&g);
    g.out = source;
    gen_source(&g);
}

struct idlc_result idlc_compile(const char *path, const char *base, const char *text, size_t length)
{
    struct idlc_result result = {0};
    struct compile_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(result.error, sizeof result.error, "%s: out of memory", path);
        return result;
    }
    ctx->path = path;
    struct out header = {.ctx = ctx}, source = {.ctx = ctx};
    if (strlen(base) > BASE_MAX) {
        snprintf(result.error, sizeof result.error, "%s: file name too long", path);
    } else if (setjmp(ctx->on_error) == 0) {
        run(ctx, base, text, length, &header, &source);
        result.ok = true;
        result.header = header.text;
        result.header_length = header.length;
        result.source = source.text;
        result.source_length = source.length;
        header.text = source.text = NULL;
    } else {
        memcpy(result.error, ctx->error, sizeof result.error);
    }
    out_free(&header);
    out_free(&source);
    arena_free(ctx);
    free(ctx);
    return result;
}

void idlc_result_free(struct idlc_result *result)
{
    free(result->header);
    free(result->source);
    result->header = result->source = NULL;
}
