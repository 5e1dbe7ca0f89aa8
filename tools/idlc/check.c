/* The IDL checker (see check.h). */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "tables.h"

/* Words that cannot name a field or member: they would break the generated C. */
static const char *const reserved[] = {
    "auto",     "break",  "case",   "char",     "const",    "continue",  "default",  "do",
    "double",   "else",   "enum",   "extern",   "float",    "for",       "goto",     "if",
    "inline",   "int",    "long",   "register", "restrict", "return",    "short",    "signed",
    "sizeof",   "static", "struct", "switch",   "typedef",  "union",     "unsigned", "void",
    "volatile", "while",  "bool",   "true",     "false",    "idl_empty",
};

static const char *const builtin_types[] = {
    "u8",   "u16",    "u32",   "u64",    "i8",     "i16",    "i32",    "i64",
    "bool", "string", "bytes", "vector", "handle", "client", "server",
};

static bool in_list(const char *name, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

void check_c_name(struct compile_ctx *ctx, const char *name, struct pos pos)
{
    if (in_list(name, reserved, sizeof reserved / sizeof reserved[0]) ||
        strncmp(name, "idl_", 4) == 0)
        fail_at(ctx, pos, "'%s' is reserved", name);
}

uint32_t check_ordinal(const char *library, const char *protocol, const char *member)
{
    uint32_t hash = 2166136261u;
    const char *parts[] = {library, "/", protocol, ".", member};
    for (int i = 0; i < 5; i++)
        for (const char *c = parts[i]; *c; c++)
            hash = (hash ^ (uint8_t)*c) * 16777619u;
    return hash;
}

unsigned check_prefix_size(uint32_t bound)
{
    return bound <= 0xff ? 1 : bound <= 0xffff ? 2 : 4;
}

static struct decl *find_decl(struct idl_file *file, const char *name)
{
    for (struct decl *d = file->decls; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static struct protocol *find_protocol(struct idl_file *file, const char *name)
{
    for (struct protocol *p = file->protocols; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static void check_decl_names(struct compile_ctx *ctx, struct idl_file *file)
{
    for (struct decl *d = file->decls; d; d = d->next) {
        if (in_list(d->name, builtin_types, sizeof builtin_types / sizeof builtin_types[0]))
            fail_at(ctx, d->pos, "'%s' is a built-in type", d->name);
        if (find_decl(file, d->name) != d || find_protocol(file, d->name))
            fail_at(ctx, d->pos, "'%s' is declared twice", d->name);
    }
    for (struct protocol *p = file->protocols; p; p = p->next)
        if (find_protocol(file, p->name) != p)
            fail_at(ctx, p->pos, "'%s' is declared twice", p->name);
}

static void check_members(struct compile_ctx *ctx, struct decl *d)
{
    struct type *base = d->base;
    if (base->kind != TYPE_INT || (d->kind == DECL_FLAGS && base->is_signed))
        fail_at(ctx, base->pos, "%s '%s' needs an %s integer type",
                d->kind == DECL_FLAGS ? "flags" : "enum", d->name,
                d->kind == DECL_FLAGS ? "unsigned" : "");
    if (!d->members)
        fail_at(ctx, d->pos, "'%s' has no members", d->name);
    uint64_t limit = base->bits == 64 ? UINT64_MAX : (1ull << (base->bits - base->is_signed)) - 1;
    for (struct member *m = d->members; m; m = m->next) {
        check_c_name(ctx, m->name, m->pos);
        if (m->value > limit)
            fail_at(ctx, m->pos, "value of '%s' does not fit %s%d", m->name,
                    base->is_signed ? "i" : "u", base->bits);
        if (d->kind == DECL_FLAGS && (m->value == 0 || (m->value & (m->value - 1)) != 0))
            fail_at(ctx, m->pos, "flag '%s' must be a single bit", m->name);
        for (struct member *o = d->members; o != m; o = o->next) {
            if (strcmp(o->name, m->name) == 0)
                fail_at(ctx, m->pos, "member '%s' is declared twice", m->name);
            if (o->value == m->value)
                fail_at(ctx, m->pos, "'%s' has the value of '%s'", m->name, o->name);
        }
    }
}

static void check_type(struct compile_ctx *ctx, struct idl_file *file, struct type *t,
                       uint64_t *size, unsigned *handles);

static void size_struct(struct compile_ctx *ctx, struct idl_file *file, struct decl *d);

/* The most bytes a field takes and its handle slots; optional adds a presence byte. */
static void check_field_type(struct compile_ctx *ctx, struct idl_file *file, struct field *f,
                             uint64_t *size, unsigned *handles)
{
    check_type(ctx, file, f->type, size, handles);
    if (!f->optional)
        return;
    if (f->type->kind == TYPE_HANDLE)
        return; /* an absent handle is an empty entry: no presence byte */
    if (*handles)
        fail_at(ctx, f->pos, "an optional field cannot hold handles");
    *size += 1;
}

void check_resolve(struct compile_ctx *ctx, struct idl_file *file, struct type *t)
{
    struct decl *d = find_decl(file, t->name);
    if (!d)
        fail_at(ctx, t->pos, "unknown type '%s'", t->name);
    t->decl = d;
    t->kind = d->kind == DECL_ENUM ? TYPE_ENUM : d->kind == DECL_FLAGS ? TYPE_FLAGS : TYPE_STRUCT;
}

static void check_type(struct compile_ctx *ctx, struct idl_file *file, struct type *t,
                       uint64_t *size, unsigned *handles)
{
    if (t->kind == TYPE_NAMED)
        check_resolve(ctx, file, t);
    *handles = 0;
    switch (t->kind) {
    case TYPE_INT:
        *size = (uint64_t)t->bits / 8;
        break;
    case TYPE_BOOL:
        *size = 1;
        break;
    case TYPE_ENUM:
    case TYPE_FLAGS:
        *size = (uint64_t)t->decl->base->bits / 8;
        break;
    case TYPE_STRUCT:
        size_struct(ctx, file, t->decl);
        *size = t->decl->max_size;
        *handles = t->decl->handles;
        break;
    case TYPE_STRING:
    case TYPE_BYTES:
        *size = check_prefix_size(t->bound) + (uint64_t)t->bound;
        break;
    case TYPE_VECTOR: {
        uint64_t elem;
        check_type(ctx, file, t->elem, &elem, handles);
        if (*handles)
            fail_at(ctx, t->pos, "a vector cannot hold handles");
        *size = check_prefix_size(t->bound) + elem * t->bound;
        break;
    }
    case TYPE_HANDLE:
        if (t->end_of && !strchr(t->end_of, '.') && !find_protocol(file, t->end_of))
            fail_at(ctx, t->pos, "unknown protocol '%s'", t->end_of);
        *size = 0;
        *handles = 1;
        break;
    case TYPE_NAMED:
    case TYPE_PTR: /* only in syscalls, checked by check_syscalls.c */
        break;
    }
    if (*size > CHECK_BODY_MAX)
        fail_at(ctx, t->pos, "this type can take %llu bytes, more than a message's %u",
                (unsigned long long)*size, CHECK_BODY_MAX);
}

/* Field names of one list: unique, not reserved, no clash with has_NAME of an option. */
static void check_field_names(struct compile_ctx *ctx, struct field *fields)
{
    for (struct field *f = fields; f; f = f->next) {
        check_c_name(ctx, f->name, f->pos);
        for (struct field *o = fields; o != f; o = o->next)
            if (strcmp(o->name, f->name) == 0)
                fail_at(ctx, f->pos, "field '%s' is declared twice", f->name);
        for (struct field *o = fields; o; o = o->next)
            if (o->optional && strncmp(f->name, "has_", 4) == 0 &&
                strcmp(f->name + 4, o->name) == 0)
                fail_at(ctx, f->pos, "field '%s' clashes with optional field '%s'", f->name,
                        o->name);
    }
}

void check_fields(struct compile_ctx *ctx, struct idl_file *file, struct field *fields,
                  uint64_t *size, unsigned *handles)
{
    *size = 0;
    *handles = 0;
    check_field_names(ctx, fields);
    for (struct field *f = fields; f; f = f->next) {
        uint64_t field_size;
        unsigned field_handles;
        check_field_type(ctx, file, f, &field_size, &field_handles);
        *size += field_size;
        *handles += field_handles;
        if (*size > CHECK_BODY_MAX)
            fail_at(ctx, f->pos,
                    "the fields up to '%s' can take %llu bytes, more than a "
                    "message's %u",
                    f->name, (unsigned long long)*size, CHECK_BODY_MAX);
        if (*handles > CHECK_ENTRIES)
            fail_at(ctx, f->pos, "more than %d handles", CHECK_ENTRIES);
    }
}

static void size_struct(struct compile_ctx *ctx, struct idl_file *file, struct decl *d)
{
    if (d->state == 2)
        return;
    if (d->state == 1)
        fail_at(ctx, d->pos, "struct '%s' contains itself", d->name);
    d->state = 1;
    if (!d->fields)
        fail_at(ctx, d->pos, "struct '%s' has no fields", d->name);
    for (struct field *f = d->fields; f; f = f->next)
        if (f->since)
            fail_at(ctx, f->pos, "@since is for the fields of a method, not of a struct");
    check_fields(ctx, file, d->fields, &d->max_size, &d->handles);
    d->state = 2;
}

void check_file(struct compile_ctx *ctx, struct idl_file *file)
{
    const char *c;
    for (c = file->library; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9' && c != file->library) ||
              *c == '_'))
            break;
    if (*c || !file->library[0])
        fail_at(ctx, file->library_pos, "the library name '%s' must be lower_case", file->library);
    check_decl_names(ctx, file);
    for (struct decl *d = file->decls; d; d = d->next)
        if (d->kind != DECL_STRUCT)
            check_members(ctx, d);
    for (struct decl *d = file->decls; d; d = d->next)
        if (d->kind == DECL_STRUCT)
            size_struct(ctx, file, d);
    for (struct protocol *p = file->protocols; p; p = p->next)
        check_protocol(ctx, file, p);
    if (file->syscalls)
        check_syscalls(ctx, file, file->syscalls);
}
