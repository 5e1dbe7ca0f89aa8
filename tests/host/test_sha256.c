/* Host tests for user/lib/sha256.c: the FIPS 180-4 / NIST example vectors, one million 'a',
 * and the same digest whatever the pieces the input is fed in. */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include "user/lib/sha256.h"

static void digest_of(const void *data, size_t size, char hex[65])
{
    struct sha256 s;
    uint8_t digest[SHA256_DIGEST];
    sha256_init(&s);
    sha256_update(&s, data, size);
    sha256_final(&s, digest);
    sha256_hex(digest, hex);
}

TEST(sha256_empty)
{
    char hex[65];
    digest_of("", 0, hex);
    CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
}

TEST(sha256_abc)
{
    char hex[65];
    digest_of("abc", 3, hex);
    CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
}

TEST(sha256_two_blocks)
{
    const char *text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];
    digest_of(text, strlen(text), hex);
    CHECK(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
}

TEST(sha256_896_bits)
{
    const char *text =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
        "klmnopqrlmnopqrsmnopqrstnopqrstu";
    char hex[65];
    digest_of(text, strlen(text), hex);
    CHECK(strcmp(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1") == 0);
}

TEST(sha256_million_a_in_odd_pieces)
{
    static uint8_t a[1000000];
    memset(a, 'a', sizeof a);
    struct sha256 s;
    uint8_t digest[SHA256_DIGEST];
    char hex[65];
    sha256_init(&s);
    for (size_t at = 0, piece = 1; at < sizeof a; at += piece, piece = piece * 3 % 4099 + 1)
        sha256_update(&s, a + at, piece < sizeof a - at ? piece : sizeof a - at);
    sha256_final(&s, digest);
    sha256_hex(digest, hex);
    CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
}

TEST(sha256_padding_boundaries)
{
    /* 55, 56, 63, 64 and 65 bytes: one or two padding blocks; split or whole agree. */
    uint8_t data[65];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    size_t sizes[] = {55, 56, 63, 64, 65};
    for (size_t k = 0; k < 5; k++) {
        char whole[65], split[65];
        digest_of(data, sizes[k], whole);
        struct sha256 s;
        uint8_t digest[SHA256_DIGEST];
        sha256_init(&s);
        for (size_t i = 0; i < sizes[k]; i++)
            sha256_update(&s, data + i, 1);
        sha256_final(&s, digest);
        sha256_hex(digest, split);
        CHECK(strcmp(whole, split) == 0);
    }
}
