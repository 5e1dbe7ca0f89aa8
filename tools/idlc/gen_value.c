/* The generated size, put and get statements for one value (see gen.h), recursing through
 * vectors; `expr` is the C lvalue of the value, `depth` names the loop counters. */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "gen.h"
#include "ident.h"
#include "tables.h"

#define EXPR_MAX 512

static void line(struct gen *g, int indent, const char *text)
{
    out_printf(g->out, "%*s%s\n", indent * 4, "", text);
}

/* The C prefix of a declared enum's or flags' names: "LIB_COLOR". */
static const char *decl_upper(struct gen *g, const struct decl *d)
{
    char text[EXPR_MAX];
    snprintf(text, sizeof text, "%s_%s", g->file->library, d->name);
    return ident_upper(g->ctx, text);
}

static const char *decl_snake(struct gen *g, const struct decl *d)
{
    char text[EXPR_MAX];
    snprintf(text, sizeof text, "%s_%s", g->file->library, ident_snake(g->ctx, d->name));
    return arena_strndup(g->ctx, text, strlen(text));
}

static void item_expr(char *out, const char *expr, int depth)
{
    snprintf(out, EXPR_MAX, "%s.items[i%d]", expr, depth);
}

static void value_size(struct gen *g, const struct type *t, const char *expr, int depth, int in)
{
    struct out *o = g->out;
    unsigned prefix = check_prefix_size(t->bound);
    char inner[EXPR_MAX];
    switch (t->kind) {
    case TYPE_INT:
    case TYPE_BOOL:
        out_printf(o, "%*ssize += %d;\n", in * 4, "", t->kind == TYPE_BOOL ? 1 : t->bits / 8);
        break;
    case TYPE_ENUM:
        out_printf(o, "%*sif (!%s_valid(%s))\n%*sreturn IDL_INVALID_SIZE;\n", in * 4, "",
                   decl_snake(g, t->decl), expr, in * 4 + 4, "");
        out_printf(o, "%*ssize += %d;\n", in * 4, "", t->decl->base->bits / 8);
        break;
    case TYPE_FLAGS:
        out_printf(o, "%*sif (%s & ~%s_ALL)\n%*sreturn IDL_INVALID_SIZE;\n", in * 4, "", expr,
                   decl_upper(g, t->decl), in * 4 + 4, "");
        out_printf(o, "%*ssize += %d;\n", in * 4, "", t->decl->base->bits / 8);
        break;
    case TYPE_STRUCT:
        out_printf(o, "%*sif ((n = %s_size(&%s)) == IDL_INVALID_SIZE)\n%*sreturn n;\n", in * 4, "",
                   decl_snake(g, t->decl), expr, in * 4 + 4, "");
        out_printf(o, "%*ssize += n;\n", in * 4, "");
        break;
    case TYPE_STRING:
        out_printf(o, "%*sif ((n = idl_string_length(%s, %u)) == IDL_INVALID_SIZE)\n%*sreturn n;\n",
                   in * 4, "", expr, t->bound, in * 4 + 4, "");
        out_printf(o, "%*ssize += %u + n;\n", in * 4, "", prefix);
        break;
    case TYPE_BYTES:
        out_printf(o, "%*sif (%s.length > %u)\n%*sreturn IDL_INVALID_SIZE;\n", in * 4, "", expr,
                   t->bound, in * 4 + 4, "");
        out_printf(o, "%*ssize += %u + %s.length;\n", in * 4, "", prefix, expr);
        break;
    case TYPE_VECTOR:
        out_printf(o, "%*sif (%s.count > %u)\n%*sreturn IDL_INVALID_SIZE;\n", in * 4, "", expr,
                   t->bound, in * 4 + 4, "");
        out_printf(o, "%*ssize += %u;\n", in * 4, "", prefix);
        out_printf(o, "%*sfor (uint32_t i%d = 0; i%d < %s.count; i%d++) {\n", in * 4, "", depth,
                   depth, expr, depth);
        item_expr(inner, expr, depth);
        value_size(g, t->elem, inner, depth + 1, in + 1);
        line(g, in, "}");
        break;
    case TYPE_HANDLE:
    case TYPE_NAMED:
    case TYPE_PTR: /* syscalls only (gen_syscalls.c) */
        break;
    }
}

static void value_put(struct gen *g, const struct type *t, const char *expr, int depth, int in)
{
    struct out *o = g->out;
    unsigned prefix = check_prefix_size(t->bound);
    char inner[EXPR_MAX];
    int bits = t->kind == TYPE_ENUM || t->kind == TYPE_FLAGS ? t->decl->base->bits : t->bits;
    switch (t->kind) {
    case TYPE_INT:
    case TYPE_ENUM:
    case TYPE_FLAGS:
        out_printf(o, "%*sidl_put_u%d(w, (uint%d_t)%s);\n", in * 4, "", bits, bits, expr);
        break;
    case TYPE_BOOL:
        out_printf(o, "%*sidl_put_u8(w, %s ? 1 : 0);\n", in * 4, "", expr);
        break;
    case TYPE_STRUCT:
        out_printf(o, "%*s%s_put(w, &%s);\n", in * 4, "", decl_snake(g, t->decl), expr);
        break;
    case TYPE_STRING:
        out_printf(o, "%*sn = idl_string_length(%s, %u);\n", in * 4, "", expr, t->bound);
        out_printf(o, "%*sidl_put_count(w, n <= %u ? (uint32_t)n : 0, %u);\n", in * 4, "", t->bound,
                   prefix);
        out_printf(o, "%*sidl_put_raw(w, %s, n <= %u ? n : 0);\n", in * 4, "", expr, t->bound);
        break;
    case TYPE_BYTES:
        out_printf(o, "%*sidl_put_count(w, %s.length, %u);\n", in * 4, "", expr, prefix);
        out_printf(o, "%*sidl_put_raw(w, %s.data, %s.length <= %u ? %s.length : 0);\n", in * 4, "",
                   expr, expr, t->bound, expr);
        break;
    case TYPE_VECTOR:
        out_printf(o, "%*sidl_put_count(w, %s.count, %u);\n", in * 4, "", expr, prefix);
        out_printf(o, "%*sfor (uint32_t i%d = 0; i%d < %s.count && i%d < %u; i%d++) {\n", in * 4,
                   "", depth, depth, expr, depth, t->bound, depth);
        item_expr(inner, expr, depth);
        value_put(g, t->elem, inner, depth + 1, in + 1);
        line(g, in, "}");
        break;
    case TYPE_HANDLE:
    case TYPE_NAMED:
    case TYPE_PTR: /* syscalls only (gen_syscalls.c) */ {
        char rights[256];
        tables_rights_c(t->rights, rights, sizeof rights);
        out_printf(o, "%*sidl_put_handle(w, %s, %s);\n", in * 4, "", expr,
                   t->keep_rights ? "IDL_KEEP_RIGHTS" : rights);
        break;
    }
    }
}

/* Reads an integer of `bits` through a temporary into `expr`, converted to `ctype`. */
static void get_int(struct gen *g, int bits, const char *ctype, const char *expr, int depth, int in)
{
    out_printf(g->out, "%*suint%d_t t%d;\n", in * 4, "", bits, depth);
    out_printf(g->out, "%*sif (!idl_get_u%d(r, &t%d))\n%*sreturn false;\n", in * 4, "", bits, depth,
               in * 4 + 4, "");
    out_printf(g->out, "%*s%s = (%s)t%d;\n", in * 4, "", expr, ctype, depth);
}

static void value_get(struct gen *g, const struct type *t, const char *expr, int depth, int in,
                      bool optional)
{
    struct out *o = g->out;
    unsigned prefix = check_prefix_size(t->bound);
    char inner[EXPR_MAX];
    bool block = t->kind == TYPE_INT || t->kind == TYPE_ENUM || t->kind == TYPE_FLAGS;
    if (block)
        line(g, in++, "{");
    switch (t->kind) {
    case TYPE_INT:
        get_int(g, t->bits, gen_int_type(t), expr, depth, in);
        break;
    case TYPE_ENUM:
        get_int(g, t->decl->base->bits, gen_int_type(t->decl->base), expr, depth, in);
        out_printf(o, "%*sif (!%s_valid(%s))\n%*sreturn idl_fail(r, WG_ERR_BAD_FORMAT);\n", in * 4,
                   "", decl_snake(g, t->decl), expr, in * 4 + 4, "");
        break;
    case TYPE_FLAGS:
        get_int(g, t->decl->base->bits, gen_int_type(t->decl->base), expr, depth, in);
        out_printf(o, "%*sif (%s & ~%s_ALL)\n%*sreturn idl_fail(r, WG_ERR_BAD_FORMAT);\n", in * 4,
                   "", expr, decl_upper(g, t->decl), in * 4 + 4, "");
        break;
    case TYPE_BOOL:
        out_printf(o, "%*sif (!idl_get_bool(r, &%s))\n%*sreturn false;\n", in * 4, "", expr,
                   in * 4 + 4, "");
        break;
    case TYPE_STRUCT:
        out_printf(o, "%*sif (!%s_get(r, &%s))\n%*sreturn false;\n", in * 4, "",
                   decl_snake(g, t->decl), expr, in * 4 + 4, "");
        break;
    case TYPE_STRING:
        out_printf(o, "%*sif (!idl_get_string(r, %s, %u, %u))\n%*sreturn false;\n", in * 4, "",
                   expr, t->bound, prefix, in * 4 + 4, "");
        break;
    case TYPE_BYTES:
        out_printf(o, "%*sif (!idl_get_count(r, &%s.length, %u, %u) ||\n", in * 4, "", expr,
                   t->bound, prefix);
        out_printf(o, "%*s!idl_get_raw(r, %s.data, %s.length))\n%*sreturn false;\n", in * 4 + 4, "",
                   expr, expr, in * 4 + 4, "");
        break;
    case TYPE_VECTOR:
        out_printf(o, "%*sif (!idl_get_count(r, &%s.count, %u, %u))\n%*sreturn false;\n", in * 4,
                   "", expr, t->bound, prefix, in * 4 + 4, "");
        out_printf(o, "%*sfor (uint32_t i%d = 0; i%d < %s.count; i%d++) {\n", in * 4, "", depth,
                   depth, expr, depth);
        item_expr(inner, expr, depth);
        value_get(g, t->elem, inner, depth + 1, in + 1, false);
        line(g, in, "}");
        break;
    case TYPE_HANDLE:
    case TYPE_NAMED:
    case TYPE_PTR: /* syscalls only (gen_syscalls.c) */ {
        char rights[256];
        tables_rights_c(t->rights, rights, sizeof rights);
        out_printf(o, "%*sif (!idl_get_handle(r, WG_ASSET_%s, %s, %s, &%s))\n%*sreturn false;\n",
                   in * 4, "", t->name, rights, optional ? "true" : "false", expr, in * 4 + 4, "");
        break;
    }
    }
    if (block)
        line(g, --in, "}");
}

static bool has_presence(const struct field *f)
{
    return f->optional && f->type->kind != TYPE_HANDLE;
}

void gen_fields_size(struct gen *g, const struct field *fields)
{
    char expr[EXPR_MAX];
    line(g, 1, "size_t size = 0, n = 0;");
    line(g, 1, "(void)v;");
    line(g, 1, "(void)n;");
    for (const struct field *f = fields; f; f = f->next) {
        snprintf(expr, sizeof expr, "v->%s", f->name);
        if (has_presence(f)) {
            line(g, 1, "size += 1;");
            out_printf(g->out, "    if (v->has_%s) {\n", f->name);
            value_size(g, f->type, expr, 0, 2);
            line(g, 1, "}");
        } else {
            value_size(g, f->type, expr, 0, 1);
        }
    }
    line(g, 1, "return size;");
}

void gen_fields_put(struct gen *g, const struct field *fields)
{
    char expr[EXPR_MAX];
    line(g, 1, "size_t n = 0;");
    line(g, 1, "(void)w;");
    line(g, 1, "(void)v;");
    line(g, 1, "(void)n;");
    for (const struct field *f = fields; f; f = f->next) {
        snprintf(expr, sizeof expr, "v->%s", f->name);
        if (has_presence(f)) {
            out_printf(g->out, "    idl_put_u8(w, v->has_%s ? 1 : 0);\n", f->name);
            out_printf(g->out, "    if (v->has_%s) {\n", f->name);
            value_put(g, f->type, expr, 0, 2);
            line(g, 1, "}");
        } else {
            value_put(g, f->type, expr, 0, 1);
        }
    }
}

void gen_fields_get(struct gen *g, const struct field *fields)
{
    char expr[EXPR_MAX];
    int since = 0;
    line(g, 1, "(void)r;");
    line(g, 1, "(void)v;");
    for (const struct field *f = fields; f; f = f->next) {
        if (f->since && f->since != since) /* an older peer's body ends before these */
            line(g, 1, "if (idl_at_end(r))\n        return true;");
        since = f->since;
        snprintf(expr, sizeof expr, "v->%s", f->name);
        if (has_presence(f)) {
            out_printf(g->out, "    if (!idl_get_bool(r, &v->has_%s))\n        return false;\n",
                       f->name);
            out_printf(g->out, "    if (v->has_%s) {\n", f->name);
            value_get(g, f->type, expr, 0, 2, false);
            line(g, 1, "}");
        } else {
            value_get(g, f->type, expr, 0, 1, f->optional);
        }
    }
    line(g, 1, "return true;");
}
