/* The IDL checker: resolves type names, checks every rule the grammar cannot say (unique
 * names, values that fit, bounds, handles where slots exist, evolution attributes) and
 * annotates the tree with what the generators need: the most bytes each type and message
 * body can take, handle slot counts and method ordinals. */
#pragma once

#include "arena.h"

/* The most bytes a message body may take (a body travels inline or in one memory asset). */
#define CHECK_BODY_MAX (256u * 1024u)
/* Entries after the header: handles first, then the inline body or (memory asset, length). */
#define CHECK_ENTRIES    5
#define CHECK_INLINE_MAX (CHECK_ENTRIES * 8)

void check_file(struct compile_ctx *ctx, struct idl_file *file);

/* For check_protocol.c: a protocol's rules; a field list's names, most bytes and handle
 * slots; a name that would break the generated C. */
void check_protocol(struct compile_ctx *ctx, struct idl_file *file, struct protocol *p);
void check_fields(struct compile_ctx *ctx, struct idl_file *file, struct field *fields,
                  uint64_t *size, unsigned *handles);
void check_c_name(struct compile_ctx *ctx, const char *name, struct pos pos);
/* A named type resolved to its enum, flags or struct declaration. */
void check_resolve(struct compile_ctx *ctx, struct idl_file *file, struct type *t);

/* check_syscalls.c: the `syscalls` block's rules (arguments a register can carry). */
#define CHECK_SYSCALL_ARGS 6
void check_syscalls(struct compile_ctx *ctx, struct idl_file *file, struct protocol *s);

/* The ordinal of "library/Protocol.member": FNV-1a, 32 bits. */
uint32_t check_ordinal(const char *library, const char *protocol, const char *member);

/* Bytes of the length or count prefix of a string, bytes or vector with this bound. */
unsigned check_prefix_size(uint32_t bound);
