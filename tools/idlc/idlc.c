/* The compile pipeline (see idlc.h): parse, check, generate, all in one arena; an error
 * anywhere longjmps back here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "gen.h"
#include "gen_syscalls.h"
#include "idlc.h"
#include "parser.h"

#define BASE_MAX 200

static const char *const protocol_suffixes[] = {"_idl.h", "_idl.c"};
static const char *const syscall_suffixes[] = {"_kernel.h", "_kernel.c", "_user.h", "_user.c",
                                               ".md"};

/* Runs the passes; on an error fail_at jumps back to idlc_compile instead of returning. */
static void run(struct compile_ctx *ctx, const char *base, const char *text, size_t length,
                enum idlc_mode mode, struct out *outs)
{
    struct idl_file *file = parser_parse(ctx, text, length);
    check_file(ctx, file);
    if (mode == IDLC_SYSCALLS) {
        gen_syscalls(ctx, file, base, outs);
        return;
    }
    if (file->syscalls)
        fail_at(ctx, file->syscalls->pos, "a 'syscalls' block needs idlc --syscalls");
    char header_name[BASE_MAX + 16];
    snprintf(header_name, sizeof header_name, "%s_idl.h", base);
    struct gen g = {.out = &outs[0], .ctx = ctx, .file = file, .header_name = header_name};
    gen_header(&g);
    g.out = &outs[1];
    gen_source(&g);
}

static void take_outputs(struct idlc_result *result, struct out *outs, enum idlc_mode mode)
{
    bool syscalls = mode == IDLC_SYSCALLS;
    result->output_count = syscalls ? 5 : 2;
    for (unsigned i = 0; i < result->output_count; i++) {
        result->outputs[i] = (struct idlc_output){
            syscalls ? syscall_suffixes[i] : protocol_suffixes[i], outs[i].text, outs[i].length};
        outs[i].text = NULL;
    }
}

struct idlc_result idlc_compile(const char *path, const char *base, const char *text, size_t length,
                                enum idlc_mode mode)
{
    struct idlc_result result = {0};
    struct compile_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(result.error, sizeof result.error, "%s: out of memory", path);
        return result;
    }
    ctx->path = path;
    struct out outs[IDLC_OUTPUTS_MAX];
    for (unsigned i = 0; i < IDLC_OUTPUTS_MAX; i++)
        outs[i] = (struct out){.ctx = ctx};
    if (strlen(base) > BASE_MAX) {
        snprintf(result.error, sizeof result.error, "%s: file name too long", path);
    } else if (setjmp(ctx->on_error) == 0) {
        run(ctx, base, text, length, mode, outs);
        result.ok = true;
        take_outputs(&result, outs, mode);
    } else {
        memcpy(result.error, ctx->error, sizeof result.error);
    }
    for (unsigned i = 0; i < IDLC_OUTPUTS_MAX; i++)
        out_free(&outs[i]);
    arena_free(ctx);
    free(ctx);
    return result;
}

void idlc_result_free(struct idlc_result *result)
{
    for (unsigned i = 0; i < result->output_count; i++)
        free(result->outputs[i].text);
    result->output_count = 0;
}
