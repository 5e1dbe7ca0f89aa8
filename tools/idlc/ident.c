/* C spellings of IDL names (see ident.h). */
#include <string.h>
#include "ident.h"

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

const char *ident_snake(struct compile_ctx *ctx, const char *name)
{
    size_t length = strlen(name);
    char *out = arena_alloc(ctx, 2 * length + 1), *o = out;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        if (is_upper(c)) {
            if (i > 0 && !is_upper(name[i - 1]) && name[i - 1] != '_')
                *o++ = '_';
            c = (char)(c - 'A' + 'a');
        }
        *o++ = c;
    }
    return out;
}

const char *ident_upper(struct compile_ctx *ctx, const char *name)
{
    const char *snake = ident_snake(ctx, name);
    size_t length = strlen(snake);
    char *out = arena_strndup(ctx, snake, length);
    for (size_t i = 0; i < length; i++)
        if (out[i] >= 'a' && out[i] <= 'z')
            out[i] = (char)(out[i] - 'a' + 'A');
    return out;
}
