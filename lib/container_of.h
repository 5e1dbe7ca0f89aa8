/* container_of: from a pointer to a member embedded in a struct back to the struct. Shared by
 * the kernel, the user library and the host tests (lib/list.h builds list_entry on it). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The `type` whose field `member` lives at `ptr`. Goes through uintptr_t so a pointer to a
 * const member works too (the caller picks the constness of the result). */
#define container_of(ptr, type, member) ((type *)((uintptr_t)(ptr)-offsetof(type, member)))
