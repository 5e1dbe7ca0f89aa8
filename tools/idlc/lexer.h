/* The IDL lexer: identifiers, numbers (decimal or 0x hex), punctuation and "->"; skips
 * white space, "//" and block comments. A byte it does not know is a compile error. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "arena.h"

enum token_kind {
    TOK_END,
    TOK_IDENT,
    TOK_NUMBER,
    TOK_ARROW, /* -> */
    TOK_PUNCT, /* one of ; : , { } ( ) < > = | ? @ . */
};

struct token {
    enum token_kind kind;
    struct pos pos;
    const char *text; /* TOK_IDENT: the name (arena copy) */
    uint64_t number;  /* TOK_NUMBER */
    char punct;       /* TOK_PUNCT */
};

struct lexer {
    struct compile_ctx *ctx;
    const char *text;
    size_t length, at;
    struct pos pos;
};

void lexer_init(struct lexer *lexer, struct compile_ctx *ctx, const char *text, size_t length);

/* The next token; TOK_END at the end of the text. */
struct token lexer_next(struct lexer *lexer);
