/* The parser's shared pieces (parser.c: declarations, parse_type.c: types): its state, the
 * token helpers and the type rule. Internal to the compiler. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "lexer.h"

#define TYPE_DEPTH_MAX 8 /* vector<vector<...>> nesting; keeps recursion bounded */

struct parser {
    struct compile_ctx *ctx;
    struct lexer lexer;
    struct token token; /* the current, not yet taken, token */
    bool in_syscalls;   /* inside the `syscalls` block: ptr<>, handle<any>, @stub, @noreturn */
};

void next(struct parser *p);
__attribute__((noreturn)) void expected(struct parser *p, const char *what);
bool is_punct(struct parser *p, char c);
bool is_word(struct parser *p, const char *word);
void expect_punct(struct parser *p, char c);
bool take_punct(struct parser *p, char c);
const char *expect_ident(struct parser *p, const char *what, struct pos *pos);
uint64_t expect_number(struct parser *p, const char *what);

/* TYPE: an integer, bool, string, bytes, vector, handle, protocol end, ptr (syscalls) or a
 * declared name (resolved by the checker). */
struct type *parse_type(struct parser *p, int depth);
