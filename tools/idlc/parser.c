/* The IDL parser (see parser.h): one function per rule of the grammar in docs/idl.md. */
#include <string.h>
#include <wingos/abi.h>
#include "lexer.h"
#include "parser.h"
#include "tables.h"

#define TYPE_DEPTH_MAX 8 /* vector<vector<...>> nesting; keeps recursion bounded */

struct parser {
    struct compile_ctx *ctx;
    struct lexer lexer;
    struct token token; /* the current, not yet taken, token */
};

struct attrs {
    int since, removed, version;
    struct pos pos;
};

static void next(struct parser *p)
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

static __attribute__((noreturn)) void expected(struct parser *p, const char *what)
{
    if (p->token.kind == TOK_PUNCT)
        fail_at(p->ctx, p->token.pos, "expected %s, found '%c'", what, p->token.punct);
    fail_at(p->ctx, p->token.pos, "expected %s, found %s", what, describe(&p->token));
}

static bool is_punct(struct parser *p, char c)
{
    return p->token.kind == TOK_PUNCT && p->token.punct == c;
}

static bool is_word(struct parser *p, const char *word)
{
    return p->token.kind == TOK_IDENT && strcmp(p->token.text, word) == 0;
}

static void expect_punct(struct parser *p, char c)
{
    if (!is_punct(p, c)) {
        char what[8] = {'\'', c, '\'', 0};
        expected(p, what);
    }
    next(p);
}

static bool take_punct(struct parser *p, char c)
{
    if (!is_punct(p, c))
        return false;
    next(p);
    return true;
}

static const char *expect_ident(struct parser *p, const char *what, struct pos *pos)
{
    if (p->token.kind != TOK_IDENT)
        expected(p, what);
    const char *text = p->token.text;
    if (pos)
        *pos = p->token.pos;
    next(p);
    return text;
}

static uint64_t expect_number(struct parser *p, const char *what)
{
    if (p->token.kind != TOK_NUMBER)
        expected(p, what);
    uint64_t value = p->token.number;
    next(p);
    return value;
}

/* "@name(N)" attributes before a declaration, member or field. */
static struct attrs parse_attrs(struct parser *p)
{
    struct attrs a = {.pos = p->token.pos};
    while (take_punct(p, '@')) {
        struct pos pos;
        const char *name = expect_ident(p, "an attribute name", &pos);
        expect_punct(p, '(');
        uint64_t n = expect_number(p, "a version number");
        expect_punct(p, ')');
        if (n < 1 || n > 65535)
            fail_at(p->ctx, pos, "version %llu is outside 1..65535", (unsigned long long)n);
        int *slot = strcmp(name, "since") == 0     ? &a.since
                    : strcmp(name, "removed") == 0 ? &a.removed
                    : strcmp(name, "version") == 0 ? &a.version
                                                   : NULL;
        if (!slot)
            fail_at(p->ctx, pos, "unknown attribute '@%s'", name);
        if (*slot)
            fail_at(p->ctx, pos, "attribute '@%s' given twice", name);
        *slot = (int)n;
    }
    return a;
}

static void forbid_attrs(struct parser *p, const struct attrs *a, bool since, bool removed,
                         bool version)
{
    if ((a->since && !since) || (a->removed && !removed) || (a->version && !version))
        fail_at(p->ctx, a->pos, "attribute not allowed here");
}

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

static struct type *parse_type(struct parser *p, int depth);

/* handle<kind>, handle<kind, right|right...> or handle<kind, right|right..., keep>. Without
 * rights a handle needs none and keeps all it has. */
static void parse_handle(struct parser *p, struct type *t)
{
    expect_punct(p, '<');
    struct pos pos;
    const char *kind = expect_ident(p, "an asset kind", &pos);
    t->name = tables_asset_kind(kind);
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

static struct type *parse_type(struct parser *p, int depth)
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
    } else {
        t->kind = TYPE_NAMED;
        t->name = name;
    }
    return t;
}

/* NAME ':' TYPE ['?'], after its attributes. */
static struct field *parse_field(struct parser *p)
{
    struct attrs a = parse_attrs(p);
    forbid_attrs(p, &a, true, false, false);
    struct field *f = arena_alloc(p->ctx, sizeof *f);
    f->since = a.since;
    f->name = expect_ident(p, "a field name", &f->pos);
    expect_punct(p, ':');
    f->type = parse_type(p, 0);
    f->optional = take_punct(p, '?');
    return f;
}

/* '(' [field {',' field}] ')' */
static struct field *parse_params(struct parser *p)
{
    struct field *head = NULL, **tail = &head;
    expect_punct(p, '(');
    if (take_punct(p, ')'))
        return NULL;
    do {
        *tail = parse_field(p);
        tail = &(*tail)->next;
    } while (take_punct(p, ','));
    expect_punct(p, ')');
    return head;
}

/* 'error' NAME {'|' NAME} */
static uint64_t parse_errors(struct parser *p)
{
    uint64_t bits = 0;
    do {
        struct pos pos;
        const char *name = expect_ident(p, "an error name", &pos);
        int e = tables_error(name);
        if (e <= 0)
            fail_at(p->ctx, pos, "'%s' is not an error of include/wingos/error.h", name);
        bits |= 1ull << e;
    } while (take_punct(p, '|'));
    return bits;
}

static struct method *parse_method(struct parser *p)
{
    struct attrs a = parse_attrs(p);
    forbid_attrs(p, &a, true, true, false);
    struct method *m = arena_alloc(p->ctx, sizeof *m);
    m->since = a.since;
    m->removed = a.removed;
    m->is_event = is_word(p, "event");
    if (m->is_event)
        next(p);
    m->name = expect_ident(p, m->is_event ? "an event name" : "a method name", &m->pos);
    m->request = parse_params(p);
    if (!m->is_event && p->token.kind == TOK_ARROW) {
        next(p);
        m->two_way = true;
        m->response = parse_params(p);
        if (is_word(p, "error")) {
            next(p);
            m->errors = parse_errors(p);
        }
    }
    expect_punct(p, ';');
    return m;
}

static struct protocol *parse_protocol(struct parser *p, const struct attrs *a)
{
    struct protocol *proto = arena_alloc(p->ctx, sizeof *proto);
    proto->version = a->version ? a->version : 1;
    proto->name = expect_ident(p, "a protocol name", &proto->pos);
    expect_punct(p, '{');
    struct method **tail = &proto->methods;
    while (!take_punct(p, '}')) {
        *tail = parse_method(p);
        tail = &(*tail)->next;
    }
    return proto;
}

/* enum NAME ':' INT '{' {NAME '=' NUMBER ';'} '}', and the same for flags. */
static struct decl *parse_enum(struct parser *p, enum decl_kind kind)
{
    struct decl *d = arena_alloc(p->ctx, sizeof *d);
    d->kind = kind;
    d->name = expect_ident(p, "a type name", &d->pos);
    expect_punct(p, ':');
    d->base = parse_type(p, 0);
    expect_punct(p, '{');
    struct member **tail = &d->members;
    while (!take_punct(p, '}')) {
        struct member *m = arena_alloc(p->ctx, sizeof *m);
        m->name = expect_ident(p, "a member name", &m->pos);
        expect_punct(p, '=');
        m->value = expect_number(p, "a value");
        expect_punct(p, ';');
        *tail = m;
        tail = &m->next;
    }
    return d;
}

static struct decl *parse_struct(struct parser *p)
{
    struct decl *d = arena_alloc(p->ctx, sizeof *d);
    d->kind = DECL_STRUCT;
    d->name = expect_ident(p, "a type name", &d->pos);
    expect_punct(p, '{');
    struct field **tail = &d->fields;
    while (!take_punct(p, '}')) {
        *tail = parse_field(p);
        tail = &(*tail)->next;
        expect_punct(p, ';');
    }
    return d;
}

/* One top-level declaration, appended to the file's lists. */
static void parse_decl(struct parser *p, struct idl_file *file, struct decl ***decls,
                       struct protocol ***protos)
{
    struct attrs a = parse_attrs(p);
    struct decl *d = NULL;
    if (is_word(p, "protocol")) {
        forbid_attrs(p, &a, false, false, true);
        next(p);
        **protos = parse_protocol(p, &a);
        *protos = &(**protos)->next;
        return;
    }
    forbid_attrs(p, &a, false, false, false);
    if (is_word(p, "enum") || is_word(p, "flags")) {
        enum decl_kind kind = p->token.text[0] == 'e' ? DECL_ENUM : DECL_FLAGS;
        next(p);
        d = parse_enum(p, kind);
    } else if (is_word(p, "struct")) {
        next(p);
        d = parse_struct(p);
    } else {
        expected(p, "'enum', 'flags', 'struct' or 'protocol'");
    }
    (void)file;
    **decls = d;
    *decls = &d->next;
}

struct idl_file *parser_parse(struct compile_ctx *ctx, const char *text, size_t length)
{
    struct parser p = {.ctx = ctx};
    lexer_init(&p.lexer, ctx, text, length);
    next(&p);
    struct idl_file *file = arena_alloc(ctx, sizeof *file);
    file->path = ctx->path;
    if (!is_word(&p, "library"))
        expected(&p, "'library'");
    next(&p);
    file->library = expect_ident(&p, "a library name", &file->library_pos);
    expect_punct(&p, ';');
    struct decl **decls = &file->decls;
    struct protocol **protos = &file->protocols;
    while (p.token.kind != TOK_END)
        parse_decl(&p, file, &decls, &protos);
    return file;
}
