/* The IDL compiler as a library: one .idl text in, C files out (or the first error as
 * "file:line:col: message"). main.c and the fuzz target call it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

#define IDLC_OUTPUTS_MAX 5

/* One generated file: BASE + suffix ("names" + "_idl.h"). */
struct idlc_output {
    const char *suffix;
    char *text; /* malloc'd, NUL-terminated */
    size_t length;
};

struct idlc_result {
    bool ok;
    char error[IDLC_ERROR_MAX];
    struct idlc_output outputs[IDLC_OUTPUTS_MAX];
    unsigned output_count; /* 0 on error */
};

enum idlc_mode {
    IDLC_PROTOCOLS, /* NAME_idl.h, NAME_idl.c */
    IDLC_SYSCALLS,  /* NAME_kernel.h/.c, NAME_user.h/.c, NAME.md (gen_syscalls.h) */
};

/* Compiles `text` (`length` bytes, any bytes) read from `path`; `base` names the outputs
 * ("names" -> names_idl.h, which the source includes). Never crashes on any input. */
struct idlc_result idlc_compile(const char *path, const char *base, const char *text, size_t length,
                                enum idlc_mode mode);
void idlc_result_free(struct idlc_result *result);
