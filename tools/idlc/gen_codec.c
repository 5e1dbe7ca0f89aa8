/* The generated C's member declarations (see gen.h); gen_value.c prints their codecs. */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "gen.h"
#include "ident.h"
#include "tables.h"

#define EXPR_MAX 512

const char *gen_int_type(const struct type *t)
{
    static const char *const names[2][4] = {{"uint8_t", "uint16_t", "uint32_t", "uint64_t"},
                                            {"int8_t", "int16_t", "int32_t", "int64_t"}};
    int index = t->bits == 8 ? 0 : t->bits == 16 ? 1 : t->bits == 32 ? 2 : 3;
    return names[t->is_signed][index];
}

const char *gen_decl_cname(struct gen *g, const struct decl *d)
{
    if (d->kind != DECL_STRUCT)
        return gen_int_type(d->base);
    char text[EXPR_MAX];
    snprintf(text, sizeof text, "struct %s_%s", g->file->library, ident_snake(g->ctx, d->name));
    return arena_strndup(g->ctx, text, strlen(text));
}

static void indent_to(struct gen *g, int indent)
{
    out_printf(g->out, "%*s", indent * 4, "");
}

/* `TYPE DECLARATOR`, where the declarator may already carry array suffixes. */
static void print_decl(struct gen *g, const struct type *t, const char *declarator, int indent)
{
    char inner[EXPR_MAX];
    switch (t->kind) {
    case TYPE_INT:
        out_printf(g->out, "%s %s", gen_int_type(t), declarator);
        break;
    case TYPE_BOOL:
        out_printf(g->out, "bool %s", declarator);
        break;
    case TYPE_ENUM:
    case TYPE_FLAGS:
    case TYPE_STRUCT:
        out_printf(g->out, "%s %s", gen_decl_cname(g, t->decl), declarator);
        break;
    case TYPE_STRING:
        out_printf(g->out, "char %s[%u]", declarator, t->bound + 1);
        break;
    case TYPE_BYTES:
        out_printf(g->out, "struct {\n");
        indent_to(g, indent + 1);
        out_printf(g->out, "uint32_t length;\n");
        indent_to(g, indent + 1);
        out_printf(g->out, "uint8_t data[%u];\n", t->bound);
        indent_to(g, indent);
        out_printf(g->out, "} %s", declarator);
        break;
    case TYPE_VECTOR:
        out_printf(g->out, "struct {\n");
        indent_to(g, indent + 1);
        out_printf(g->out, "uint32_t count;\n");
        indent_to(g, indent + 1);
        snprintf(inner, sizeof inner, "items[%u]", t->bound);
        print_decl(g, t->elem, inner, indent + 1);
        out_printf(g->out, ";\n");
        indent_to(g, indent);
        out_printf(g->out, "} %s", declarator);
        break;
    case TYPE_HANDLE:
    case TYPE_NAMED:
    case TYPE_PTR: /* syscalls only (gen_syscalls.c) */
        out_printf(g->out, "wg_handle %s", declarator);
        break;
    }
}

void gen_field_decl(struct gen *g, const struct field *f, int indent)
{
    if (f->optional && f->type->kind != TYPE_HANDLE) {
        indent_to(g, indent);
        out_printf(g->out, "bool has_%s;\n", f->name);
    }
    indent_to(g, indent);
    print_decl(g, f->type, f->name, indent);
    out_printf(g->out, ";");
    if (f->type->kind == TYPE_HANDLE) {
        out_printf(g->out, " /* %s%s", f->type->end_of ? f->type->end_of : f->type->name,
                   f->type->end_of ? (f->type->name[4] == 'C' ? " client end" : " server end")
                                   : " asset");
        if (f->type->rights) {
            char rights[128];
            tables_rights_text(f->type->rights, rights, sizeof rights);
            out_printf(g->out, ", rights %s%s", rights, f->type->keep_rights ? ", keep" : "");
        }
        out_printf(g->out, "%s */", f->optional ? ", 0 when absent" : "");
    }
    if (f->since)
        out_printf(g->out, " /* @since(%d) */", f->since);
    out_printf(g->out, "\n");
}
