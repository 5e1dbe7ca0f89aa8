/* The IDL parser (see parser.h): one function per rule of the grammar in docs/idl.md. */
#include <string.h>
#include "parser_int.h"
#include "parser.h"
#include "tables.h"

struct attrs {
    int since, removed, version;
    bool noreturn;
    const char *stub;
    struct pos pos;
};

static bool parse_syscall_attr(struct parser *p, struct attrs *a, const char *name, struct pos pos)
{
    bool stub = strcmp(name, "stub") == 0;
    if (!stub && strcmp(name, "noreturn") != 0)
        return false;
    if (!p->in_syscalls)
        fail_at(p->ctx, pos, "'@%s' is for syscalls only", name);
    if (stub ? a->stub != NULL : a->noreturn)
        fail_at(p->ctx, pos, "attribute '@%s' given twice", name);
    if (!stub) {
        a->noreturn = true;
        return true;
    }
    expect_punct(p, '(');
    a->stub = expect_ident(p, "a stub name", NULL);
    expect_punct(p, ')');
    return true;
}

/* "@name(N)" attributes before a declaration, member or field. */
static struct attrs parse_attrs(struct parser *p)
{
    struct attrs a = {.pos = p->token.pos};
    while (take_punct(p, '@')) {
        struct pos pos;
        const char *name = expect_ident(p, "an attribute name", &pos);
        if (parse_syscall_attr(p, &a, name, pos))
            continue;
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
    bool syscall = a->noreturn || a->stub;
    if ((a->since && !since) || (a->removed && !removed) || (a->version && !version) ||
        (syscall && !(since && removed)))
        fail_at(p->ctx, a->pos, "attribute not allowed here");
}

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
    m->noreturn = a.noreturn;
    m->stub = a.stub;
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
    if (is_word(p, "syscalls")) { /* syscalls NAME { entries like methods } */
        forbid_attrs(p, &a, false, false, false);
        if (file->syscalls)
            fail_at(p->ctx, p->token.pos, "a second 'syscalls' block");
        next(p);
        p->in_syscalls = true;
        file->syscalls = parse_protocol(p, &a);
        p->in_syscalls = false;
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
        expected(p, "'enum', 'flags', 'struct', 'protocol' or 'syscalls'");
    }
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
