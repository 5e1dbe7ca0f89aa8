/* Names the generators print, and the per-protocol pieces of the header. */
#pragma once

#include "gen.h"

/* "lib" + "FooBar" -> "lib_foo_bar"; gen_upper2 -> "LIB_FOO_BAR". */
const char *gen_snake2(struct gen *g, const char *prefix, const char *name);
const char *gen_upper2(struct gen *g, const char *prefix, const char *name);

void gen_struct_body(struct gen *g, const char *cname, const struct field *fields);
void gen_protocol_header(struct gen *g, const struct protocol *p);
