/* SHA-256 (FIPS 180-4), incremental. Pure logic, host-tested against the standard's vectors
 * (tests/host/test_sha256.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST 32

struct sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    uint32_t used; /* bytes waiting in `block` */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t size);
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST]);
/* The digest as 64 lower-case hex digits and a NUL. */
void sha256_hex(const uint8_t digest[SHA256_DIGEST], char out[2 * SHA256_DIGEST + 1]);
