/* Spelling IDL names as C names: "FileSystem" -> "file_system" -> "FILE_SYSTEM". */
#pragma once

#include "arena.h"

const char *ident_snake(struct compile_ctx *ctx, const char *name);
const char *ident_upper(struct compile_ctx *ctx, const char *name);
