/* The IDL lexer (see lexer.h). */
#include <string.h>
#include "lexer.h"

#define IDENT_MAX 64

void lexer_init(struct lexer *lexer, struct compile_ctx *ctx, const char *text, size_t length)
{
    *lexer = (struct lexer){.ctx = ctx, .text = text, .length = length, .pos = {1, 1}};
}

static int peek(const struct lexer *lexer, size_t ahead)
{
    size_t at = lexer->at + ahead;
    return at < lexer->length ? (unsigned char)lexer->text[at] : -1;
}

static void advance(struct lexer *lexer)
{
    if (lexer->text[lexer->at] == '\n') {
        lexer->pos.line++;
        lexer->pos.col = 1;
    } else {
        lexer->pos.col++;
    }
    lexer->at++;
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static void skip_block_comment(struct lexer *lexer)
{
    struct pos start = lexer->pos;
    advance(lexer);
    advance(lexer);
    while (!(peek(lexer, 0) == '*' && peek(lexer, 1) == '/')) {
        if (peek(lexer, 0) < 0)
            fail_at(lexer->ctx, start, "unterminated comment");
        advance(lexer);
    }
    advance(lexer);
    advance(lexer);
}

/* Skips white space and comments. */
static void skip_space(struct lexer *lexer)
{
    for (;;) {
        int c = peek(lexer, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            advance(lexer);
        } else if (c == '/' && peek(lexer, 1) == '/') {
            while (peek(lexer, 0) >= 0 && peek(lexer, 0) != '\n')
                advance(lexer);
        } else if (c == '/' && peek(lexer, 1) == '*') {
            skip_block_comment(lexer);
        } else {
            return;
        }
    }
}

static int digit_value(int c, unsigned base)
{
    int value = -1;
    if (is_digit(c))
        value = c - '0';
    else if (c >= 'a' && c <= 'f')
        value = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        value = c - 'A' + 10;
    return value >= 0 && (unsigned)value < base ? value : -1;
}

static struct token lex_number(struct lexer *lexer, struct token token)
{
    unsigned base = 10;
    if (peek(lexer, 0) == '0' && (peek(lexer, 1) == 'x' || peek(lexer, 1) == 'X')) {
        base = 16;
        advance(lexer);
        advance(lexer);
        if (digit_value(peek(lexer, 0), 16) < 0)
            fail_at(lexer->ctx, token.pos, "hexadecimal number without digits");
    }
    uint64_t value = 0;
    for (int d; (d = digit_value(peek(lexer, 0), base)) >= 0; advance(lexer)) {
        if (value > (UINT64_MAX - (uint64_t)d) / base)
            fail_at(lexer->ctx, token.pos, "number too large for 64 bits");
        value = value * base + (uint64_t)d;
    }
    if (is_alpha(peek(lexer, 0)) || is_digit(peek(lexer, 0)))
        fail_at(lexer->ctx, lexer->pos, "unexpected character '%c' in a number", peek(lexer, 0));
    token.kind = TOK_NUMBER;
    token.number = value;
    return token;
}

static struct token lex_ident(struct lexer *lexer, struct token token)
{
    size_t start = lexer->at;
    while (is_alpha(peek(lexer, 0)) || is_digit(peek(lexer, 0)))
        advance(lexer);
    if (lexer->at - start > IDENT_MAX)
        fail_at(lexer->ctx, token.pos, "identifier longer than %d characters", IDENT_MAX);
    token.kind = TOK_IDENT;
    token.text = arena_strndup(lexer->ctx, lexer->text + start, lexer->at - start);
    return token;
}

struct token lexer_next(struct lexer *lexer)
{
    skip_space(lexer);
    struct token token = {.kind = TOK_END, .pos = lexer->pos};
    int c = peek(lexer, 0);
    if (c < 0)
        return token;
    if (is_digit(c))
        return lex_number(lexer, token);
    if (is_alpha(c))
        return lex_ident(lexer, token);
    if (c == '-' && peek(lexer, 1) == '>') {
        advance(lexer);
        advance(lexer);
        token.kind = TOK_ARROW;
        return token;
    }
    if (c != 0 && strchr(";:,{}()<>=|?@.", c)) {
        advance(lexer);
        token.kind = TOK_PUNCT;
        token.punct = (char)c;
        return token;
    }
    if (c >= 0x20 && c < 0x7f)
        fail_at(lexer->ctx, token.pos, "unexpected character '%c'", c);
    fail_at(lexer->ctx, token.pos, "unexpected byte 0x%02x", (unsigned)c);
}
