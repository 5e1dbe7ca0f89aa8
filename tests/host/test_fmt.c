/* Host tests for lib/fmt.c: compares fmt_snprintf with the host's snprintf over many
 * format/value combinations, then checks WingOS-specific output, truncation and bad input. */
#include "test.h"

#include "lib/fmt.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define OUT_MAX 512

static int mismatches_printed;

/* Formats with both fmt_vsnprintf and the host's vsnprintf; true when text and return value
 * agree. Prints the first few disagreements. */
__attribute__((format(printf, 1, 2))) static bool same_as_host(const char *format, ...)
{
    char ours[OUT_MAX], host[OUT_MAX];
    va_list args, copy;

    va_start(args, format);
    va_copy(copy, args);
    size_t ours_len = fmt_vsnprintf(ours, sizeof(ours), format, args);
    int host_len = vsnprintf(host, sizeof(host), format, copy);
    va_end(copy);
    va_end(args);

    bool same = host_len >= 0 && ours_len == (size_t)host_len && strcmp(ours, host) == 0;
    if (!same && mismatches_printed++ < 20)
        printf("  format \"%s\": ours \"%s\" (%zu), host \"%s\" (%d)\n", format, ours, ours_len,
               host, host_len);
    return same;
}

#define CHECK_HOST(...) CHECK(same_as_host(__VA_ARGS__))

/* fmt_vsnprintf without the format attribute, for formats the compiler would reject. */
static size_t raw_snprintf(char *buffer, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    size_t n = fmt_vsnprintf(buffer, size, format, args);
    va_end(args);
    return n;
}

/* True when fmt_snprintf into a large buffer gives exactly `expected`. */
#define CHECK_OUT(expected, ...)                                       \
    do {                                                               \
        char out_[OUT_MAX];                                            \
        size_t n_ = raw_snprintf(out_, sizeof(out_), __VA_ARGS__);     \
        CHECK(strcmp(out_, (expected)) == 0);                          \
        CHECK_EQ(n_, strlen(expected));                                \
        if (strcmp(out_, (expected)) != 0)                             \
            printf("  got \"%s\", wanted \"%s\"\n", out_, (expected)); \
    } while (0)

TEST(plain_text)
{
    CHECK_HOST("%s", "");
    CHECK_HOST("hello");
    CHECK_HOST("100%% sure %%");
    CHECK_HOST("%d%s%c", 1, "two", '3');
}

TEST(basic_conversions)
{
    CHECK_HOST("%d %i %u", 42, -42, 42u);
    CHECK_HOST("%x %X %o", 0xbeefu, 0xbeefu, 0755u);
    CHECK_HOST("%c%c%c", 'a', 'B', '0');
    CHECK_HOST("[%s] [%s]", "text", "");
    CHECK_HOST("%d %d %d", 0, INT_MAX, INT_MIN);
    CHECK_HOST("%u %x %o", UINT_MAX, UINT_MAX, UINT_MAX);
}

TEST(integer_extremes_of_every_width)
{
    CHECK_HOST("%hhd %hhd %hhu %hhx", (signed char)SCHAR_MIN, (signed char)SCHAR_MAX,
               (unsigned char)UCHAR_MAX, (unsigned char)UCHAR_MAX);
    CHECK_HOST("%hd %hd %hu %ho", (short)SHRT_MIN, (short)SHRT_MAX, (unsigned short)USHRT_MAX,
               (unsigned short)USHRT_MAX);
    CHECK_HOST("%ld %ld %lu %lX", LONG_MIN, LONG_MAX, ULONG_MAX, ULONG_MAX);
    CHECK_HOST("%lld %lld %llu %llo", LLONG_MIN, LLONG_MAX, ULLONG_MAX, ULLONG_MAX);
    CHECK_HOST("%jd %jd %ju %jx", INTMAX_MIN, INTMAX_MAX, UINTMAX_MAX, UINTMAX_MAX);
    CHECK_HOST("%zu %zx %zd %zd", SIZE_MAX, SIZE_MAX, (ptrdiff_t)PTRDIFF_MIN,
               (ptrdiff_t)PTRDIFF_MAX);
    CHECK_HOST("%td %td %tu %tx", PTRDIFF_MIN, PTRDIFF_MAX, (size_t)SIZE_MAX, (size_t)SIZE_MAX);
    CHECK_HOST("%lld|%+lld|% lld|%30lld|%-30lld|", (long long)INT64_MIN, (long long)INT64_MIN,
               (long long)INT64_MIN, (long long)INT64_MIN, (long long)INT64_MIN);
    CHECK_OUT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    CHECK_OUT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    CHECK_OUT("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
}

TEST(narrow_lengths_convert_the_argument)
{
    /* hh and h print the argument converted to the narrow type. */
    CHECK_HOST("%hhd %hhu %hhx", 0x1ff, 0x1ff, 0x1ff);
    CHECK_HOST("%hd %hu %hx", 0x18000, 0x18000, 0x18000);
    CHECK_HOST("%hhd %hd", -129, -32769);
}

/* These samples combine flags on purpose, which GCC warns are ignored. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
TEST(flags_width_precision_samples)
{
    CHECK_HOST("[%5d] [%-5d] [%05d] [%+d] [% d] [%+ d]", 42, 42, 42, 42, 42, 42);
    CHECK_HOST("[%05d] [%-05d] [%+05d] [% 05d]", -42, -42, 42, 42);
    CHECK_HOST("[%.5d] [%8.5d] [%-8.5d] [%08.5d]", -42, 42, 42, 42);
    CHECK_HOST("[%.0d] [%.0u] [%.0x] [%#.0x] [%#.0o] [%5.0d]", 0, 0u, 0u, 0u, 0u, 0);
    CHECK_HOST("[%#x] [%#X] [%#o] [%#x] [%#o]", 255u, 255u, 8u, 0u, 0u);
    CHECK_HOST("[%#10x] [%#-10x] [%#010x] [%#.6x]", 255u, 255u, 255u, 255u);
    CHECK_HOST("[%#.3o] [%#.4o] [%#5o]", 8u, 8u, 8u);
    CHECK_HOST("[%+u] [% u] [%+x]", 5u, 5u, 5u);
}
#pragma GCC diagnostic pop

TEST(star_width_and_precision)
{
    CHECK_HOST("[%*d] [%*d] [%-*d]", 6, 42, -6, 42, 6, 42);
    CHECK_HOST("[%.*d] [%.*d] [%*.*d]", 4, 7, -1, 7, 8, 3, 7);
    CHECK_HOST("[%.*s] [%.*s] [%*s]", 3, "abcdef", -2, "abcdef", -8, "ab");
    CHECK_HOST("[%0*d] [%0*d]", 5, -3, -5, -3);
    CHECK_OUT("[42    ]", "[%*d]", -6, 42);
}

TEST(char_and_string)
{
    CHECK_HOST("[%5c] [%-5c] [%c]", 'x', 'y', 'z');
    CHECK_HOST("[%10s] [%-10s] [%.3s] [%10.3s] [%-10.3s]", "abcdef", "abcdef", "abcdef", "abcdef",
               "abcdef");
    CHECK_HOST("[%.0s] [%.10s] [%3s]", "abc", "abc", "abcdef");
    CHECK_HOST("[%s]", "a string that is rather longer than the others in this test case");
}

TEST(precision_does_not_read_past_it)
{
    /* %.Ns must stop after N characters even without a NUL. */
    const char unterminated[3] = {'a', 'b', 'c'};
    CHECK_OUT("ab", "%.2s", unterminated);
    CHECK_OUT("abc", "%.3s", unterminated);
}

TEST(null_string)
{
    CHECK_OUT("(null)", "%s", (const char *)NULL);
    CHECK_OUT("[  (null)]", "[%8s]", (const char *)NULL);
    CHECK_OUT("[(null)  ]", "[%-8s]", (const char *)NULL);
    CHECK_OUT("(nu", "%.3s", (const char *)NULL);
}

TEST(pointer_is_fixed_width)
{
    CHECK_OUT("0x0000000000001234", "%p", (void *)0x1234);
    CHECK_OUT("0x0000000000000000", "%p", (void *)NULL);
    CHECK_OUT("0xffffffff80000000", "%p", (void *)0xffffffff80000000ull);
    CHECK_OUT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
    CHECK_OUT("[  0x00000000deadbeef]", "[%20p]", (void *)0xdeadbeef);
    CHECK_OUT("[0x00000000deadbeef  ]", "[%-20p]", (void *)0xdeadbeef);
    CHECK_OUT("[0x00000000deadbeef]", "[%5p]", (void *)0xdeadbeef);
    /* Flags other than '-' and any precision do not change %p. */
    CHECK_OUT("[0x00000000deadbeef]", "[%+#0.3p]", (void *)0xdeadbeef);
}

TEST(unknown_and_incomplete_conversions)
{
    CHECK_OUT("%y", "%y");
    CHECK_OUT("a%5yb", "a%5yb");
    CHECK_OUT("[%-08.3Q] 7", "[%-08.3Q] %d", 7);
    CHECK_OUT("%n", "%n");
    CHECK_OUT("%f", "%f");
    CHECK_OUT("abc%", "abc%");
    CHECK_OUT("abc%-05.", "abc%-05.");
    CHECK_OUT("abc%ll", "abc%ll");
    CHECK_OUT("%L", "%L");
}

TEST(percent_with_flags)
{
    CHECK_OUT("%", "%-5%");
    CHECK_OUT("1%2", "%d%%%d", 1, 2);
}

TEST(huge_width_in_text_saturates)
{
    /* Widths and precisions too big for an int saturate instead of overflowing (UBSan would
     * catch the overflow); the unknown conversion keeps the output small. */
    CHECK_OUT("%99999999999999999999y", "%99999999999999999999y");
    CHECK_OUT("%.99999999999999999999y", "%.99999999999999999999y");
    CHECK_OUT("[%2147483648.2147483648y]", "[%2147483648.2147483648y]");
}

/* Every buffer size from 0 to beyond the output: same bytes written, nothing past them. */
TEST(truncation_at_every_size)
{
    const char *format = "id=%d name=%-8s hex=%#x end";
    char expected[OUT_MAX];
    int full = snprintf(expected, sizeof(expected), format, -1234, "wing", 0xabcu);
    REQUIRE(full > 0);

    for (size_t size = 0; size <= (size_t)full + 3; size++) {
        char ours[OUT_MAX], host[OUT_MAX];
        memset(ours, '#', sizeof(ours));
        memset(host, '#', sizeof(host));
        size_t n = fmt_snprintf(ours, size, format, -1234, "wing", 0xabcu);
        int hn = snprintf(host, size, format, -1234, "wing", 0xabcu);
        CHECK_EQ(n, (size_t)full);
        CHECK_EQ(hn, full);
        CHECK(memcmp(ours, host, sizeof(ours)) == 0);
        if (size > 0)
            CHECK_EQ(ours[size - 1 < (size_t)full ? size - 1 : (size_t)full], '\0');
        CHECK_EQ(ours[size], '#');
    }
}

TEST(size_zero)
{
    CHECK_EQ(fmt_snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9u);
    char buf[4] = {'x', 'x', 'x', 'x'};
    CHECK_EQ(fmt_snprintf(buf, 0, "%d", 7), 1u);
    CHECK_EQ(buf[0], 'x');
    CHECK_EQ(fmt_snprintf(buf, 1, "%d", 7), 1u);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(buf[1], 'x');
    /* A NULL buffer with a non-zero size is treated as size 0 rather than dereferenced. */
    CHECK_EQ(fmt_snprintf(NULL, 16, "%s", "abc"), 3u);
}

TEST(null_format)
{
    char buf[4] = "xyz";
    CHECK_EQ(raw_snprintf(buf, sizeof(buf), NULL), 0u);
    CHECK_EQ(buf[0], '\0');
}

TEST(nul_character)
{
    char buf[8];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "a%cb", '\0'), 3u);
    CHECK(memcmp(buf, "a\0b\0", 4) == 0);
}

struct collect {
    char text[OUT_MAX];
    size_t len;
    int calls;
    bool empty_chunk;
};

static void collect_sink(void *ctx, const char *chars, size_t count)
{
    struct collect *c = ctx;
    if (count == 0)
        c->empty_chunk = true;
    for (size_t i = 0; i < count && c->len < sizeof(c->text) - 1; i++)
        c->text[c->len++] = chars[i];
    c->text[c->len] = '\0';
    c->calls++;
}

TEST(format_to_sink)
{
    struct collect c = {{0}, 0, 0, false};
    size_t n = fmt_format(collect_sink, &c, "pad[%40d] %s", 7, "done");
    char expected[OUT_MAX];
    snprintf(expected, sizeof(expected), "pad[%40d] %s", 7, "done");
    CHECK_EQ(n, strlen(expected));
    CHECK(strcmp(c.text, expected) == 0);
    CHECK(!c.empty_chunk);
    CHECK(c.calls > 1);

    struct collect none = {{0}, 0, 0, false};
    CHECK_EQ(fmt_format(collect_sink, &none, "%s", ""), 0u);
    CHECK_EQ(none.calls, 0);
}

/* ---- Exhaustive sweep over flags, widths, precisions, lengths and conversions. ---- */

static const char *const sweep_flags[] = {"",   "-",  "0",  "+",  " ",  "#",  "-0",   "+0",
                                          "- ", "+ ", "#0", "#-", "0+", " 0", "-+#0 "};
static const char *const sweep_widths[] = {"", "1", "4", "12", "25"};
static const char *const sweep_precisions[] = {"", ".", ".0", ".1", ".3", ".12", ".25"};
static const char *const sweep_lengths[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};

static const int64_t sweep_signed[] = {
    0,   1,     -1,     7,     -7,    42,        -42,       127,        -128,      255,
    300, 32767, -32768, 65535, 70000, INT32_MAX, INT32_MIN, UINT32_MAX, INT64_MAX, INT64_MIN};
static const uint64_t sweep_unsigned[] = {
    0,         1,         7,     8,          42,         255,        256,
    0x1ff,     65535,     65536, 0x7fffffff, 0x80000000, UINT32_MAX, 0x123456789abcdefull,
    INT64_MAX, UINT64_MAX};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Passes `v` as the type a signed conversion with length `len` expects. */
static bool sweep_one_signed(const char *format, const char *len, int64_t v)
{
    if (strcmp(len, "l") == 0)
        return same_as_host(format, (long)v);
    if (strcmp(len, "ll") == 0)
        return same_as_host(format, (long long)v);
    if (strcmp(len, "z") == 0 || strcmp(len, "t") == 0)
        return same_as_host(format, (ptrdiff_t)v);
    if (strcmp(len, "j") == 0)
        return same_as_host(format, (intmax_t)v);
    return same_as_host(format, (int)v); /* none, h and hh take an int */
}

/* Passes `v` as the type an unsigned conversion with length `len` expects. */
static bool sweep_one_unsigned(const char *format, const char *len, uint64_t v)
{
    if (strcmp(len, "l") == 0)
        return same_as_host(format, (unsigned long)v);
    if (strcmp(len, "ll") == 0)
        return same_as_host(format, (unsigned long long)v);
    if (strcmp(len, "z") == 0 || strcmp(len, "t") == 0)
        return same_as_host(format, (size_t)v);
    if (strcmp(len, "j") == 0)
        return same_as_host(format, (uintmax_t)v);
    return same_as_host(format, (unsigned)v);
}

/* Runs every value through one format; returns how many disagreed with the host. */
static int sweep_format(const char *format, const char *len, char conv)
{
    int bad = 0;
    if (conv == 'd' || conv == 'i') {
        for (size_t i = 0; i < ARRAY_LEN(sweep_signed); i++)
            bad += !sweep_one_signed(format, len, sweep_signed[i]);
    } else {
        for (size_t i = 0; i < ARRAY_LEN(sweep_unsigned); i++)
            bad += !sweep_one_unsigned(format, len, sweep_unsigned[i]);
    }
    return bad;
}

TEST(sweep_integers_against_host)
{
    const char convs[] = "diuxXo";
    char format[64];
    int bad = 0, formats = 0;

    for (size_t f = 0; f < ARRAY_LEN(sweep_flags); f++)
        for (size_t w = 0; w < ARRAY_LEN(sweep_widths); w++)
            for (size_t p = 0; p < ARRAY_LEN(sweep_precisions); p++)
                for (size_t l = 0; l < ARRAY_LEN(sweep_lengths); l++)
                    for (const char *c = convs; *c; c++) {
                        /* '#' with d, i or u is undefined in C; skip it. */
                        if (strchr(sweep_flags[f], '#') && strchr("diu", *c))
                            continue;
                        snprintf(format, sizeof(format), "<%%%s%s%s%s%c>", sweep_flags[f],
                                 sweep_widths[w], sweep_precisions[p], sweep_lengths[l], *c);
                        bad += sweep_format(format, sweep_lengths[l], *c);
                        formats++;
                    }
    CHECK(formats > 10000);
    CHECK_EQ(bad, 0);
}

TEST(sweep_strings_against_host)
{
    static const char *const strings[] = {"", "a", "hello", "hello, world of long strings"};
    static const char *const flags[] = {"", "-"};
    char format[64];
    int bad = 0;

    for (size_t f = 0; f < ARRAY_LEN(flags); f++)
        for (size_t w = 0; w < ARRAY_LEN(sweep_widths); w++) {
            for (size_t p = 0; p < ARRAY_LEN(sweep_precisions); p++)
                for (size_t s = 0; s < ARRAY_LEN(strings); s++) {
                    snprintf(format, sizeof(format), "<%%%s%s%ss>", flags[f], sweep_widths[w],
                             sweep_precisions[p]);
                    bad += !same_as_host(format, strings[s]);
                }
            snprintf(format, sizeof(format), "<%%%s%sc>", flags[f], sweep_widths[w]);
            bad += !same_as_host(format, 'q');
        }
    CHECK_EQ(bad, 0);
}
