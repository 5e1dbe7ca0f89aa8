/* What the file-system library needs from its surroundings: fixed-width types, memory and
 * string functions, malloc. Freestanding (WingOS userspace) it takes them from user/lib and
 * lib/string.h; hosted (host tests, fuzzers) from the C library. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#if __STDC_HOSTED__
#include <stdlib.h>
#include <string.h>
#else
#include <lib/string.h>
#include "malloc.h"
#endif

/* Little-endian loads and stores at any alignment (x86_64 is little-endian; memcpy keeps
 * UBSan happy about alignment). */
static inline uint16_t fs_le16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t fs_le32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void fs_put16(void *p, uint16_t v)
{
    memcpy(p, &v, sizeof v);
}

static inline void fs_put32(void *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}
