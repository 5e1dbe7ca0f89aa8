/* The syscall mode's generators (idlc --syscalls, docs/idl.md "The syscall ABI"): from a
 * checked file with a `syscalls` block, five outputs in `outs`: the kernel's argument
 * structs and handler prototypes (NAME_kernel.h), their decoders and the dispatch table
 * (NAME_kernel.c), the user stubs' prototypes (NAME_user.h) and bodies (NAME_user.c), and
 * the syscall table for the docs (NAME.md). */
#pragma once

#include "ast.h"
#include "out.h"

void gen_syscalls(struct compile_ctx *ctx, const struct idl_file *file, const char *base,
                  struct out *outs);

/* For gen_syscalls_user.c: shared spellings. "space_create" -> "SPACE_CREATE". */
const char *gen_sys_upper(struct compile_ctx *ctx, const char *name);
/* The C type of an argument as the user stub takes it ("const struct wg_message *"). */
const char *gen_sys_user_type(struct compile_ctx *ctx, const struct type *t);
/* The argument's IDL spelling for the docs: "handle<space, manage>", "ptr<out, char, size>". */
const char *gen_sys_idl_type(struct compile_ctx *ctx, const struct type *t);
void gen_sys_user_header(struct out *o, const struct idl_file *file, const char *base);
void gen_sys_user_source(struct out *o, const struct idl_file *file, const char *base);
void gen_sys_docs(struct out *o, const struct idl_file *file);
