/* The IDL compiler as a library: one .idl text in, a C header and source out (or the first
 * error as "file:line:col: message"). main.c and the fuzz target call it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

struct idlc_result {
    bool ok;
    char error[IDLC_ERROR_MAX];
    char *header, *source; /* malloc'd, NUL-terminated; NULL on error */
    size_t header_length, source_length;
};

/* Compiles `text` (`length` bytes, any bytes) read from `path`; `base` names the outputs
 * ("names" -> names_idl.h, which the source includes). Never crashes on any input. */
struct idlc_result idlc_compile(const char *path, const char *base, const char *text,
                                size_t length);
void idlc_result_free(struct idlc_result *result);
