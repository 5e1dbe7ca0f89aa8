/* Names the generators print (see gen_names.h). */
#include <stdio.h>
#include <string.h>
#include "gen_names.h"
#include "gen_source.h"
#include "ident.h"

const char *gen_snake2(struct gen *g, const char *prefix, const char *name)
{
    char text[256];
    snprintf(text, sizeof text, "%s_%s", prefix, ident_snake(g->ctx, name));
    return arena_strndup(g->ctx, text, strlen(text));
}

const char *gen_upper2(struct gen *g, const char *prefix, const char *name)
{
    return ident_upper(g->ctx, gen_snake2(g, prefix, name));
}

void gen_template(struct gen *g, const char *text, const char *const vars[26])
{
    for (const char *c = text; *c; c++) {
        if (c[0] == '$' && c[1] >= 'a' && c[1] <= 'z' && vars[c[1] - 'a']) {
            out_printf(g->out, "%s", vars[c[1] - 'a']);
            c++;
        } else {
            out_printf(g->out, "%c", *c);
        }
    }
}
