/* The user heap: malloc, free, calloc and realloc with their C meanings. Memory comes from
 * the kernel (PMEM_CREATE + VMEM_MAP in the task's own space) in chunks of at least
 * MALLOC_CHUNK bytes, mapped one after another from MALLOC_HEAP_BASE; it is reused but never
 * given back. Every pointer returned is 16-byte aligned. Safe to call from several tasks of one
 * space. free and realloc end the task (wg_panic) when handed a pointer malloc did not return
 * or one already freed (as far as that can be seen). */
#pragma once

#include <stddef.h>

#define MALLOC_HEAP_BASE  0x0000600000000000ull
#define MALLOC_HEAP_LIMIT 0x0000700000000000ull /* the heap never reaches this address */
#define MALLOC_CHUNK      (64u * 1024u)

/* NULL when the kernel has no more memory (or size is absurd). malloc(0) returns a unique
 * pointer that free accepts. */
void *malloc(size_t size);
/* free(NULL) does nothing. */
void free(void *pointer);
/* Zero-filled; NULL when count * size overflows. */
void *calloc(size_t count, size_t size);
/* realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL. On failure p is
 * untouched and NULL returned. */
void *realloc(void *pointer, size_t size);
