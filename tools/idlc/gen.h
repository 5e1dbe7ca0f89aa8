/* The C generators: gen_header prints NAME_idl.h (types, message structs, prototypes),
 * gen_source prints NAME_idl.c (codecs, client stubs, the server dispatcher, the decoder
 * table). gen_codec.c prints the per-type pieces both use. */
#pragma once

#include "ast.h"
#include "out.h"

struct gen {
    struct out *out;
    struct compile_ctx *ctx;
    const struct idl_file *file;
    const char *header_name; /* "names_idl.h" */
};

void gen_header(struct gen *g);
void gen_source(struct gen *g);

/* The C name of a declared type: "struct lib_name" or its integer type. */
const char *gen_decl_cname(struct gen *g, const struct decl *d);
/* "uint32_t", "int8_t"... for an integer type. */
const char *gen_int_type(const struct type *t);
/* A member declaration `TYPE NAME;` (with has_NAME first when optional), indented. */
void gen_field_decl(struct gen *g, const struct field *f, int indent);
/* The body of NAME_size / NAME_put / NAME_get for a field list read through `v->`; the
 * fields with @since may be missing from a received body. */
void gen_fields_size(struct gen *g, const struct field *fields);
void gen_fields_put(struct gen *g, const struct field *fields);
void gen_fields_get(struct gen *g, const struct field *fields);
