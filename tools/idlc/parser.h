/* The IDL parser: recursive descent over the lexer's tokens into the tree of ast.h. The
 * grammar is in docs/idl.md; the parser checks syntax only (names are resolved by check.c). */
#pragma once

#include "arena.h"

struct idl_file *parser_parse(struct compile_ctx *ctx, const char *text, size_t length);
