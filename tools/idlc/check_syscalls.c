/* The rules of a `syscalls` block (docs/idl.md, "The syscall ABI"): unique entry names, at
 * most six arguments, each one a register can carry (an integer, enum, flags, handle or user
 * pointer), a pointer's count naming an integer argument, a result of at most one value, and
 * no evolution attributes (a syscall's number is its position). */
#include <string.h>
#include "check.h"

static const struct field *find_arg(const struct field *args, const char *name)
{
    for (const struct field *f = args; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* One argument or result: resolved, of a kind a register carries. */
static void check_register_type(struct compile_ctx *ctx, struct idl_file *file, struct field *f,
                                bool result)
{
    struct type *t = f->type;
    if (t->kind == TYPE_NAMED)
        check_resolve(ctx, file, t);
    if (f->optional)
        fail_at(ctx, f->pos, "a syscall argument cannot be optional");
    if (t->kind == TYPE_HANDLE && t->end_of)
        fail_at(ctx, f->pos, "syscalls take handle<...>, not protocol ends");
    bool ok = t->kind == TYPE_INT || t->kind == TYPE_ENUM || t->kind == TYPE_FLAGS ||
              t->kind == TYPE_HANDLE || (t->kind == TYPE_PTR && !result);
    if (!ok)
        fail_at(ctx, f->pos, "'%s' cannot travel in a register", f->name);
}

static void check_args(struct compile_ctx *ctx, struct idl_file *file, struct method *m)
{
    unsigned count = 0;
    for (struct field *f = m->request; f; f = f->next) {
        if (++count > CHECK_SYSCALL_ARGS)
            fail_at(ctx, f->pos, "more than %d arguments", CHECK_SYSCALL_ARGS);
        check_register_type(ctx, file, f, false);
        if (f->type->kind != TYPE_PTR || !f->type->count)
            continue;
        const struct field *n = find_arg(m->request, f->type->count);
        if (!n || n->type->kind != TYPE_INT)
            fail_at(ctx, f->type->pos, "'%s' is not an integer argument of '%s'", f->type->count,
                    m->name);
    }
}

static void check_entry(struct compile_ctx *ctx, struct idl_file *file, struct method *m)
{
    check_c_name(ctx, m->name, m->pos);
    if (m->is_event || m->since || m->removed)
        fail_at(ctx, m->pos, "syscalls have no events, @since or @removed");
    for (struct field *f = m->request; f; f = f->next) {
        check_c_name(ctx, f->name, f->pos);
        for (struct field *o = m->request; o != f; o = o->next)
            if (strcmp(o->name, f->name) == 0)
                fail_at(ctx, f->pos, "argument '%s' is declared twice", f->name);
    }
    check_args(ctx, file, m);
    if (m->response && m->response->next)
        fail_at(ctx, m->response->next->pos, "a syscall returns at most one value");
    if (m->response)
        check_register_type(ctx, file, m->response, true);
}

void check_syscalls(struct compile_ctx *ctx, struct idl_file *file, struct protocol *s)
{
    if (file->protocols)
        fail_at(ctx, file->protocols->pos, "a file with syscalls has no protocols");
    if (!s->methods)
        fail_at(ctx, s->pos, "no syscalls");
    for (struct method *m = s->methods; m; m = m->next) {
        check_entry(ctx, file, m);
        for (struct method *o = s->methods; o != m; o = o->next)
            if (strcmp(o->name, m->name) == 0)
                fail_at(ctx, m->pos, "syscall '%s' is declared twice", m->name);
    }
}
