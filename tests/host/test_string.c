/* Host tests for lib/string.c. string_rename.h is force-included, so memcpy and friends here
 * are lib/string.c's (lib_memcpy, ...); results are checked against literal values and a
 * small reference copy written in this file, never against the host libc. */
#include "test.h"

#include "lib/string.h"

#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static bool bytes_equal(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

static void fill_pattern(unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 7 + 1);
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

TEST(memcpy_copies_exactly_n_bytes)
{
    unsigned char src[16], dst[20];
    fill_pattern(src, sizeof(src));
    for (size_t i = 0; i < sizeof(dst); i++)
        dst[i] = 0xee;

    CHECK(memcpy(dst + 2, src, 10) == dst + 2);
    CHECK(bytes_equal(dst + 2, src, 10));
    CHECK_EQ(dst[0], 0xee);
    CHECK_EQ(dst[1], 0xee);
    CHECK_EQ(dst[12], 0xee);
}

TEST(memcpy_zero_length)
{
    unsigned char a[4] = {1, 2, 3, 4}, b[4] = {9, 9, 9, 9};
    CHECK(memcpy(a, b, 0) == a);
    CHECK_EQ(a[0], 1);
    CHECK_EQ(a[3], 4);
}

/* The expected result of memmove(buf + dst, buf + src, n), built through a separate buffer. */
static void reference_move(unsigned char *buf, size_t dst, size_t src, size_t n)
{
    unsigned char tmp[64];
    for (size_t i = 0; i < n; i++)
        tmp[i] = buf[src + i];
    for (size_t i = 0; i < n; i++)
        buf[dst + i] = tmp[i];
}

TEST(memmove_overlap_forward_and_backward)
{
    unsigned char buf[10] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};

    /* Destination above the source: must copy from the end. */
    CHECK(memmove(buf + 2, buf, 6) == buf + 2);
    CHECK(bytes_equal(buf, "0101234589", 10));

    /* Destination below the source: must copy from the start. */
    unsigned char buf2[10] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};
    CHECK(memmove(buf2, buf2 + 3, 7) == buf2);
    CHECK(bytes_equal(buf2, "3456789789", 10));
}

TEST(memmove_same_pointer_and_zero_length)
{
    unsigned char buf[4] = {1, 2, 3, 4};
    CHECK(memmove(buf, buf, 4) == buf);
    CHECK(bytes_equal(buf, "\1\2\3\4", 4));
    CHECK(memmove(buf + 1, buf, 0) == buf + 1);
    CHECK(bytes_equal(buf, "\1\2\3\4", 4));
}

TEST(memmove_every_offset_and_length)
{
    enum { SIZE = 24 };
    int bad = 0;

    for (size_t dst = 0; dst < SIZE; dst++)
        for (size_t src = 0; src < SIZE; src++)
            for (size_t n = 0; n + (dst > src ? dst : src) <= SIZE; n++) {
                unsigned char got[SIZE], want[SIZE];
                fill_pattern(got, SIZE);
                fill_pattern(want, SIZE);
                memmove(got + dst, got + src, n);
                reference_move(want, dst, src, n);
                bad += !bytes_equal(got, want, SIZE);
            }
    CHECK_EQ(bad, 0);
}

TEST(memset_fills_with_low_byte)
{
    unsigned char buf[8] = {0};
    CHECK(memset(buf + 1, 0x1ab, 5) == buf + 1);
    CHECK(bytes_equal(buf, "\0\xab\xab\xab\xab\xab\0\0", 8));
    memset(buf, -1, 8);
    for (size_t i = 0; i < 8; i++)
        CHECK_EQ(buf[i], 0xff);
    memset(buf, 0, 0);
    CHECK_EQ(buf[0], 0xff);
}

TEST(memcmp_sign_and_limits)
{
    CHECK_EQ(memcmp("abc", "abc", 3), 0);
    CHECK_EQ(memcmp("abc", "abd", 0), 0);
    CHECK_EQ(memcmp("abX", "abY", 2), 0);
    CHECK_EQ(sign(memcmp("abc", "abd", 3)), -1);
    CHECK_EQ(sign(memcmp("abd", "abc", 3)), 1);
    /* Bytes compare as unsigned char: 0x80 is greater than 0x7f. */
    CHECK_EQ(sign(memcmp("\x80", "\x7f", 1)), 1);
    CHECK_EQ(sign(memcmp("\x01", "\xff", 1)), -1);
    /* The first difference decides, not later ones; NUL bytes are ordinary bytes. */
    CHECK_EQ(sign(memcmp("a\0z", "a\0\xff", 3)), -1);
    CHECK_EQ(sign(memcmp("\x02\x01", "\x01\xff", 2)), 1);
}

TEST(strlen_and_strnlen)
{
    CHECK_EQ(strlen(""), 0u);
    CHECK_EQ(strlen("a"), 1u);
    CHECK_EQ(strlen("hello"), 5u);
    CHECK_EQ(strlen("ab\0cd"), 2u);

    CHECK_EQ(strnlen("hello", 0), 0u);
    CHECK_EQ(strnlen("hello", 3), 3u);
    CHECK_EQ(strnlen("hello", 5), 5u);
    CHECK_EQ(strnlen("hello", 100), 5u);
    CHECK_EQ(strnlen("", 10), 0u);
    CHECK_EQ(strnlen("hello", SIZE_MAX), 5u);

    /* An unterminated buffer: strnlen must not look past max (ASan would report it). */
    const char raw[4] = {'w', 'i', 'n', 'g'};
    CHECK_EQ(strnlen(raw, sizeof(raw)), 4u);
}

TEST(strcmp_order)
{
    CHECK_EQ(strcmp("", ""), 0);
    CHECK_EQ(strcmp("wing", "wing"), 0);
    CHECK_EQ(sign(strcmp("abc", "abd")), -1);
    CHECK_EQ(sign(strcmp("abd", "abc")), 1);
    /* A proper prefix sorts first. */
    CHECK_EQ(sign(strcmp("ab", "abc")), -1);
    CHECK_EQ(sign(strcmp("abc", "ab")), 1);
    CHECK_EQ(sign(strcmp("", "a")), -1);
    /* Characters compare as unsigned char. */
    CHECK_EQ(sign(strcmp("\xe9", "z")), 1);
    CHECK_EQ(sign(strcmp("a", "a\x80")), -1);
}

TEST(strncmp_limits)
{
    CHECK_EQ(strncmp("abc", "xyz", 0), 0);
    CHECK_EQ(strncmp("abcX", "abcY", 3), 0);
    CHECK_EQ(sign(strncmp("abcX", "abcY", 4)), -1);
    CHECK_EQ(sign(strncmp("abcY", "abcX", 100)), 1);
    /* Nothing after a common NUL is compared. */
    CHECK_EQ(strncmp("ab\0x", "ab\0y", 4), 0);
    CHECK_EQ(sign(strncmp("ab", "abc", 3)), -1);
    CHECK_EQ(sign(strncmp("ab", "abc", 2)), 0);
    CHECK_EQ(sign(strncmp("\x80", "\x7f", 1)), 1);
    CHECK_EQ(strncmp("same", "same", SIZE_MAX), 0);

    /* Unterminated buffers: nothing past n may be read (ASan would report it). */
    const char a[3] = {'k', 'e', 'y'}, b[3] = {'k', 'e', 'y'};
    CHECK_EQ(strncmp(a, b, sizeof(a)), 0);
}

TEST(strchr_finds_first_or_terminator)
{
    const char *s = "banana";
    CHECK(strchr(s, 'b') == s);
    CHECK(strchr(s, 'a') == s + 1);
    CHECK(strchr(s, 'n') == s + 2);
    CHECK(strchr(s, 'z') == NULL);
    /* The terminator counts as part of the string. */
    CHECK(strchr(s, '\0') == s + 6);
    CHECK(strchr("", '\0') != NULL);
    CHECK(strchr("", 'a') == NULL);
    /* c is converted to char first. */
    CHECK(strchr(s, 'n' + 256) == s + 2);
    const char *accent = "caf\xe9!";
    CHECK(strchr(accent, 0xe9) == accent + 3);
    CHECK(strchr(accent, (char)0xe9) == accent + 3);
}

TEST(strchr_returns_mutable_pointer)
{
    char buf[] = "key=value";
    char *eq = strchr(buf, '=');
    REQUIRE(eq != NULL);
    *eq = '\0';
    CHECK_EQ(strcmp(buf, "key"), 0);
    CHECK_EQ(strcmp(eq + 1, "value"), 0);
    CHECK_EQ(ARRAY_LEN(buf), 10u);
}

TEST(strlcpy_truncates_and_terminates)
{
    char buf[8];
    CHECK_EQ(strlcpy(buf, "hello", sizeof(buf)), 5u);
    CHECK(memcmp(buf, "hello", 6) == 0);
    CHECK_EQ(strlcpy(buf, "a longer string", sizeof(buf)), 15u);
    CHECK(memcmp(buf, "a longe", 8) == 0);
    buf[0] = 'x';
    CHECK_EQ(strlcpy(buf, "abc", 0), 3u);
    CHECK(buf[0] == 'x');
    CHECK_EQ(strlcpy(buf, "", 1), 0u);
    CHECK(buf[0] == '\0');
}
