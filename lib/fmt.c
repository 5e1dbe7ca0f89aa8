/* Freestanding printf-style formatting: parses one conversion at a time and sends the
 * pieces to a sink. No allocation, no floating point, no recursion. */
#include "lib/fmt.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

enum {
    FLAG_LEFT = 1u << 0,  /* '-' */
    FLAG_ZERO = 1u << 1,  /* '0' */
    FLAG_PLUS = 1u << 2,  /* '+' */
    FLAG_SPACE = 1u << 3, /* ' ' */
    FLAG_ALT = 1u << 4,   /* '#' */
};

enum fmt_length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

struct fmt_spec {
    unsigned flags;
    int width;     /* 0 when absent */
    int precision; /* -1 when absent */
    enum fmt_length length;
    char conv;
};

struct fmt_out {
    fmt_sink sink;
    void *ctx;
    size_t count;
};

/* Octal needs 22 digits for 64 bits; leave room for any intmax_t up to 128 bits. */
#define FMT_DIGITS_MAX 48

static void emit(struct fmt_out *out, const char *chars, size_t count)
{
    if (count == 0)
        return;
    out->sink(out->ctx, chars, count);
    out->count += count;
}

/* Emits `count` copies of `ch` (a space or a zero) in chunks. */
static void emit_repeat(struct fmt_out *out, char ch, size_t count)
{
    static const char spaces[] = "                ";
    static const char zeros[] = "0000000000000000";
    const char *chunk = ch == '0' ? zeros : spaces;
    size_t chunk_len = sizeof(spaces) - 1;

    while (count > 0) {
        size_t n = count < chunk_len ? count : chunk_len;
        emit(out, chunk, n);
        count -= n;
    }
}

/* Emits `chars` space-padded to the spec's width, on the side the '-' flag chooses. */
static void emit_padded(struct fmt_out *out, const struct fmt_spec *spec, const char *chars,
                        size_t count)
{
    size_t width = (size_t)spec->width;
    size_t pad = width > count ? width - count : 0;

    if (!(spec->flags & FLAG_LEFT))
        emit_repeat(out, ' ', pad);
    emit(out, chars, count);
    if (spec->flags & FLAG_LEFT)
        emit_repeat(out, ' ', pad);
}

/* Length of `s`, looking at no more than `max` characters. */
static size_t bounded_length(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *parse_flags(const char *p, unsigned *flags)
{
    for (;; p++) {
        switch (*p) {
        case '-':
            *flags |= FLAG_LEFT;
            break;
        case '0':
            *flags |= FLAG_ZERO;
            break;
        case '+':
            *flags |= FLAG_PLUS;
            break;
        case ' ':
            *flags |= FLAG_SPACE;
            break;
        case '#':
            *flags |= FLAG_ALT;
            break;
        default:
            return p;
        }
    }
}

/* Parses a run of decimal digits, saturating at INT_MAX. */
static const char *parse_decimal(const char *p, int *value)
{
    int v = 0;
    for (; is_digit(*p); p++) {
        int digit = *p - '0';
        v = v > (INT_MAX - digit) / 10 ? INT_MAX : v * 10 + digit;
    }
    *value = v;
    return p;
}

/* Width: digits or '*'; a negative '*' argument means '-' with its magnitude. */
static const char *parse_width(const char *p, va_list *ap, struct fmt_spec *spec)
{
    if (*p != '*')
        return parse_decimal(p, &spec->width);
    int w = va_arg(*ap, int);
    if (w < 0) {
        spec->flags |= FLAG_LEFT;
        w = w == INT_MIN ? INT_MAX : -w;
    }
    spec->width = w;
    return p + 1;
}

/* Precision: '.' then digits or '*'; a lone '.' means 0, a negative '*' means none. */
static const char *parse_precision(const char *p, va_list *ap, struct fmt_spec *spec)
{
    spec->precision = -1;
    if (*p != '.')
        return p;
    p++;
    if (*p != '*')
        return parse_decimal(p, &spec->precision);
    int prec = va_arg(*ap, int);
    spec->precision = prec < 0 ? -1 : prec;
    return p + 1;
}

static const char *parse_length(const char *p, enum fmt_length *length)
{
    switch (*p) {
    case 'h':
        *length = p[1] == 'h' ? LEN_HH : LEN_H;
        return p + (p[1] == 'h' ? 2 : 1);
    case 'l':
        *length = p[1] == 'l' ? LEN_LL : LEN_L;
        return p + (p[1] == 'l' ? 2 : 1);
    case 'z':
        *length = LEN_Z;
        return p + 1;
    case 'j':
        *length = LEN_J;
        return p + 1;
    case 't':
        *length = LEN_T;
        return p + 1;
    default:
        *length = LEN_NONE;
        return p;
    }
}

/* Parses the spec after a '%'; returns the position of the conversion character. */
static const char *parse_spec(const char *p, va_list *ap, struct fmt_spec *spec)
{
    spec->flags = 0;
    p = parse_flags(p, &spec->flags);
    p = parse_width(p, ap, spec);
    p = parse_precision(p, ap, spec);
    p = parse_length(p, &spec->length);
    spec->conv = *p;
    return p;
}

/* Reads a signed argument of the spec's length, widened to intmax_t. */
static intmax_t read_signed(const struct fmt_spec *spec, va_list *ap)
{
    switch (spec->length) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        return va_arg(*ap, ptrdiff_t); /* the signed type of size_t's width */
    case LEN_J:
        return va_arg(*ap, intmax_t);
    case LEN_T:
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

/* Reads an unsigned argument of the spec's length, widened to uintmax_t. */
static uintmax_t read_unsigned(const struct fmt_spec *spec, va_list *ap)
{
    switch (spec->length) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    case LEN_J:
        return va_arg(*ap, uintmax_t);
    case LEN_T:
        return va_arg(*ap, size_t); /* the unsigned type of ptrdiff_t's width */
    default:
        return va_arg(*ap, unsigned);
    }
}

/* Writes the digits of `value` ending at `end`; returns where they start. */
static char *write_digits(char *end, uintmax_t value, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        *--end = digits[value % base];
        value /= base;
    } while (value != 0);
    return end;
}

/* Emits prefix, precision zeros and digits, padded to the width as the flags ask. */
static void emit_number(struct fmt_out *out, const struct fmt_spec *spec, const char *prefix,
                        size_t prefix_len, const char *digits, size_t ndigits)
{
    size_t precision = spec->precision < 0 ? 0 : (size_t)spec->precision;
    size_t zeros = precision > ndigits ? precision - ndigits : 0;

    /* '#' with 'o' makes the first digit a zero, adding one only if there is none. */
    if (spec->conv == 'o' && (spec->flags & FLAG_ALT) && zeros == 0 &&
        (ndigits == 0 || digits[0] != '0'))
        zeros = 1;

    size_t body = prefix_len + zeros + ndigits;
    size_t width = (size_t)spec->width;
    size_t pad = width > body ? width - body : 0;
    if ((spec->flags & (FLAG_ZERO | FLAG_LEFT)) == FLAG_ZERO && spec->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(spec->flags & FLAG_LEFT))
        emit_repeat(out, ' ', pad);
    emit(out, prefix, prefix_len);
    emit_repeat(out, '0', zeros);
    emit(out, digits, ndigits);
    if (spec->flags & FLAG_LEFT)
        emit_repeat(out, ' ', pad);
}

/* %d %i %u %x %X %o: reads the argument and picks the sign or base prefix. */
static void format_integer(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
    char buf[FMT_DIGITS_MAX];
    char *end = buf + sizeof(buf);
    bool is_signed = spec->conv == 'd' || spec->conv == 'i';
    unsigned base = spec->conv == 'o' ? 8 : (spec->conv == 'x' || spec->conv == 'X') ? 16 : 10;
    const char *prefix = "";
    uintmax_t magnitude;

    if (is_signed) {
        intmax_t v = read_signed(spec, ap);
        magnitude = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
        if (v < 0)
            prefix = "-";
        else if (spec->flags & FLAG_PLUS)
            prefix = "+";
        else if (spec->flags & FLAG_SPACE)
            prefix = " ";
    } else {
        magnitude = read_unsigned(spec, ap);
        if (base == 16 && (spec->flags & FLAG_ALT) && magnitude != 0)
            prefix = spec->conv == 'X' ? "0X" : "0x";
    }

    char *digits = write_digits(end, magnitude, base, spec->conv == 'X');
    size_t ndigits = (size_t)(end - digits);
    if (magnitude == 0 && spec->precision == 0)
        ndigits = 0; /* an explicit zero precision prints no digits for zero */
    emit_number(out, spec, prefix, bounded_length(prefix, 2), digits, ndigits);
}

/* %p: always "0x" and 16 hex digits so that kernel logs line up. */
static void format_pointer(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
    char buf[FMT_DIGITS_MAX];
    char *end = buf + sizeof(buf);
    uintptr_t value = (uintptr_t)va_arg(*ap, void *);
    struct fmt_spec fixed = {spec->flags & FLAG_LEFT, spec->width, 16, LEN_NONE, 'p'};

    char *digits = write_digits(end, value, 16, false);
    emit_number(out, &fixed, "0x", 2, digits, (size_t)(end - digits));
}

static void format_string(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
    const char *s = va_arg(*ap, const char *);
    size_t max = spec->precision < 0 ? SIZE_MAX : (size_t)spec->precision;

    if (s == NULL)
        s = "(null)";
    emit_padded(out, spec, s, bounded_length(s, max));
}

/* Formats the conversion starting at the '%' at `p`; returns where the text goes on. */
static const char *format_one(struct fmt_out *out, const char *p, va_list *ap)
{
    struct fmt_spec spec;
    const char *conv = parse_spec(p + 1, ap, &spec);
    char ch;

    switch (spec.conv) {
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        format_integer(out, &spec, ap);
        break;
    case 'c':
        ch = (char)va_arg(*ap, int);
        emit_padded(out, &spec, &ch, 1);
        break;
    case 's':
        format_string(out, &spec, ap);
        break;
    case 'p':
        format_pointer(out, &spec, ap);
        break;
    case '%':
        emit(out, "%", 1);
        break;
    case '\0': /* the format ended inside a spec: print what there was */
        emit(out, p, (size_t)(conv - p));
        return conv;
    default: /* unknown conversion: print it as written */
        emit(out, p, (size_t)(conv + 1 - p));
        break;
    }
    return conv + 1;
}

size_t fmt_vformat(fmt_sink sink, void *ctx, const char *format, va_list args)
{
    struct fmt_out out = {sink, ctx, 0};
    va_list ap;

    if (format == NULL)
        return 0;
    va_copy(ap, args);
    const char *p = format;
    while (*p != '\0') {
        const char *start = p;
        while (*p != '\0' && *p != '%')
            p++;
        emit(&out, start, (size_t)(p - start));
        if (*p == '%')
            p = format_one(&out, p, &ap);
    }
    va_end(ap);
    return out.count;
}

size_t fmt_format(fmt_sink sink, void *ctx, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    size_t n = fmt_vformat(sink, ctx, format, args);
    va_end(args);
    return n;
}

struct snprintf_ctx {
    char *buffer;
    size_t size; /* room for characters, not counting the NUL */
    size_t used;
};

static void snprintf_sink(void *ctx, const char *chars, size_t count)
{
    struct snprintf_ctx *s = ctx;
    size_t room = s->size - s->used;
    size_t n = count < room ? count : room;

    for (size_t i = 0; i < n; i++)
        s->buffer[s->used + i] = chars[i];
    s->used += n;
}

size_t fmt_vsnprintf(char *buffer, size_t size, const char *format, va_list args)
{
    struct snprintf_ctx s = {buffer, 0, 0};

    if (buffer != NULL && size > 0)
        s.size = size - 1;
    size_t n = fmt_vformat(snprintf_sink, &s, format, args);
    if (buffer != NULL && size > 0)
        buffer[s.used] = '\0';
    return n;
}

size_t fmt_snprintf(char *buffer, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    size_t n = fmt_vsnprintf(buffer, size, format, args);
    va_end(args);
    return n;
}
