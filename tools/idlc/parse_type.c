/* The parser's type rule (see parser_int.h) and its token helpers. */
#include <string.h>
#include <wingos/abi.h>
#include "gen.h"
#include "parser_int.h"
#include "tables.h"

void next(struct parser *p)
{
    p->token = lexer_next(&p->lexer);
}

static const char *describe(const struct token *t)
{
    switch (t->kind) {
    case TOK_END:
        return "the end of the file";
    case TOK_IDENT:
        return t->text;
    case TOK_NUMBER:
        return "a number";
    case TOK_ARROW:
        return "'->'";
    default:
        return "punctuation";
    }
}

__attribute__((noreturn)) void expected(struct parser *p, const char *what)
{
    if (p->token.kind == TOK_PUNCT)
        fail_at(p->ctx, p->token.pos, "expected %s, found '%c'", what, p->token.punct);
    fail_at(p->ctx, p->token.pos, "expected %s, found %s", what, describe(&p->token));
}

bool is_punct(struct parser *p, char c)
{
    return p->token.kind == TOK_PUNCT && p->token.punct == c;
}

bool is_word(struct parser *p, const char *word)
{
    return p->token.kind == TOK_IDENT && strcmp(p->token.text, word) == 0;
}

void expect_punct(struct parser *p, char c)
{
    if (!is_punct(p, c)) {
        char what[8] = {'\'', c, '\'', 0};
        expected(p, what);
    }
    next(p);
}

bool take_punct(struct parser *p, char c)
{
    if (!is_punct(p, c))
        return false;
    next(p);
    return true;
}

const char *expect_ident(struct parser *p, const char *what, struct pos *pos)
{
    if (p->token.kind != TOK_IDENT)
        expected(p, what);
    const char *text = p->token.text;
    if (pos)
        *pos = p->token.pos;
    next(p);
    return text;
}

uint64_t expect_number(struct parser *p, const char *what)
{
    if (p->token.kind != TOK_NUMBER)
        expected(p, what);
    uint64_t value = p->token.number;
    next(p);
    return value;
}

/* The syscall attributes: "@noreturn", "@stub(NAME)"; false for any other name. */
static uint32_t parse_bound(struct parser *p)
{
    expect_punct(p, ':');
    struct pos pos = p->token.pos;
    uint64_t n = expect_number(p, "a bound");
    if (n < 1 || n > 1048576)
        fail_at(p->ctx, pos, "bound %llu is outside 1..1048576", (unsigned long long)n);
    return (uint32_t)n;
}

static bool int_type(const char *name, int *bits, bool *is_signed)
{
    static const char *const names[] = {"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"};
    for (int i = 0; i < 8; i++)
        if (strcmp(name, names[i]) == 0) {
            *bits = 8 << (i % 4);
            *is_signed = i >= 4;
            return true;
        }
    return false;
}

/* handle<kind>, handle<kind, right|right...> or handle<kind, right|right..., keep>. Without
 * rights a handle needs none and keeps all it has. */
static void parse_handle(struct parser *p, struct type *t)
{
    expect_punct(p, '<');
    struct pos pos;
    const char *kind = expect_ident(p, "an asset kind", &pos);
    t->name = p->in_syscalls && strcmp(kind, "any") == 0 ? "NONE" : tables_asset_kind(kind);
    if (!t->name)
        fail_at(p->ctx, pos, "unknown asset kind '%s'", kind);
    t->keep_rights = true;
    if (take_punct(p, ',')) {
        do {
            const char *right = expect_ident(p, "a right", &pos);
            uint32_t bit = tables_right(right);
            if (!bit)
                fail_at(p->ctx, pos, "unknown right '%s'", right);
            if (t->rights & bit)
                fail_at(p->ctx, pos, "right '%s' named twice", right);
            t->rights |= bit;
        } while (take_punct(p, '|'));
        t->keep_rights = false;
        if (take_punct(p, ',')) {
            const char *keep = expect_ident(p, "'keep'", &pos);
            if (strcmp(keep, "keep") != 0)
                fail_at(p->ctx, pos, "expected 'keep', found '%s'", keep);
            t->keep_rights = true;
        }
    }
    expect_punct(p, '>');
}

/* client<P> or server<P>, P possibly qualified "Library.Protocol". */
static void parse_end(struct parser *p, struct type *t, bool client)
{
    expect_punct(p, '<');
    struct pos pos;
    const char *name = expect_ident(p, "a protocol name", &pos);
    if (take_punct(p, '.')) {
        const char *inner = expect_ident(p, "a protocol name", NULL);
        size_t length = strlen(name) + strlen(inner) + 1;
        char *joined = arena_alloc(p->ctx, length + 1);
        strcpy(joined, name);
        strcat(joined, ".");
        strcat(joined, inner);
        name = joined;
    }
    expect_punct(p, '>');
    t->name = client ? "IPC_CONNECTION" : "IPC_SERVER";
    t->end_of = name;
    t->rights = WG_RIGHT_READ | WG_RIGHT_WRITE; /* an end is for talking, not for passing on */
}

/* ptr<in|out|inout, C-TYPE [, COUNT]>: C-TYPE is "struct NAME", "char", "void" or an
 * integer type; COUNT names the argument that says how many items. */
static void parse_ptr(struct parser *p, struct type *t)
{
    static const char *const directions[] = {"in", "out", "inout"};
    expect_punct(p, '<');
    struct pos pos;
    const char *dir = expect_ident(p, "'in', 'out' or 'inout'", &pos);
    unsigned d = 0;
    while (d < 3 && strcmp(dir, directions[d]) != 0)
        d++;
    if (d == 3)
        fail_at(p->ctx, pos, "expected 'in', 'out' or 'inout', found '%s'", dir);
    t->direction = (enum ptr_direction)d;
    expect_punct(p, ',');
    const char *elem = expect_ident(p, "a C type", &pos);
    struct type probe = {0};
    if (strcmp(elem, "struct") == 0) {
        const char *tag = expect_ident(p, "a struct name", NULL);
        char *joined = arena_alloc(p->ctx, strlen(tag) + 8);
        strcpy(joined, "struct ");
        strcat(joined, tag);
        elem = joined;
    } else if (int_type(elem, &probe.bits, &probe.is_signed)) {
        probe.kind = TYPE_INT;
        elem = gen_int_type(&probe);
    } else if (strcmp(elem, "char") != 0 && strcmp(elem, "void") != 0) {
        fail_at(p->ctx, pos, "unknown C type '%s' (struct NAME, char, void or an integer)", elem);
    }
    t->c_elem = elem;
    if (take_punct(p, ','))
        t->count = expect_ident(p, "an argument name", NULL);
    expect_punct(p, '>');
}

struct type *parse_type(struct parser *p, int depth)
{
    struct type *t = arena_alloc(p->ctx, sizeof *t);
    t->pos = p->token.pos;
    if (depth > TYPE_DEPTH_MAX)
        fail_at(p->ctx, t->pos, "types nested deeper than %d", TYPE_DEPTH_MAX);
    const char *name = expect_ident(p, "a type", NULL);
    if (int_type(name, &t->bits, &t->is_signed)) {
        t->kind = TYPE_INT;
    } else if (strcmp(name, "bool") == 0) {
        t->kind = TYPE_BOOL;
    } else if (strcmp(name, "string") == 0 || strcmp(name, "bytes") == 0) {
        t->kind = name[0] == 's' ? TYPE_STRING : TYPE_BYTES;
        t->bound = parse_bound(p);
    } else if (strcmp(name, "vector") == 0) {
        t->kind = TYPE_VECTOR;
        expect_punct(p, '<');
        t->elem = parse_type(p, depth + 1);
        expect_punct(p, '>');
        t->bound = parse_bound(p);
    } else if (strcmp(name, "handle") == 0) {
        t->kind = TYPE_HANDLE;
        parse_handle(p, t);
    } else if (strcmp(name, "client") == 0 || strcmp(name, "server") == 0) {
        t->kind = TYPE_HANDLE;
        parse_end(p, t, name[0] == 'c');
    } else if (strcmp(name, "ptr") == 0) {
        if (!p->in_syscalls)
            fail_at(p->ctx, t->pos, "'ptr' is for syscalls only");
        t->kind = TYPE_PTR;
        parse_ptr(p, t);
    } else {
        t->kind = TYPE_NAMED;
        t->name = name;
    }
    return t;
}

/* NAME ':' TYPE ['?'], after its attributes. */
