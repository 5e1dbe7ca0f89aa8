/* The pieces of NAME_idl.c, one file each: message codecs and stubs (gen_client.c), the
 * dispatcher (gen_server.c). */
#pragma once

#include "gen.h"

void gen_codec(struct gen *g, const char *name, const char *ctype, const struct field *fields,
               bool is_static);
void gen_method_source(struct gen *g, const struct protocol *p, const struct method *m);
void gen_event_wait(struct gen *g, const struct protocol *p);
void gen_dispatch(struct gen *g, const struct protocol *p);

/* Prints `text` with each "$c" replaced by vars[c - 'a'] (a lower-case letter). */
void gen_template(struct gen *g, const char *text, const char *const vars[26]);
