/* Reading the initrd, a POSIX ustar archive (see ustar.h). The archive is a run of 512-byte
 * headers, each followed by its file's data padded to 512 bytes; a zero block (normally two)
 * or the end of the data ends it. Each header's magic, checksum and size are checked before
 * anything in it is trusted, and the size against what is left of the archive. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/exec/ustar.h"
#include "lib/string.h"

#define USTAR_BLOCK 512

/* Header fields: offset and length. */
#define USTAR_NAME        0
#define USTAR_NAME_SIZE   100
#define USTAR_SIZE        124
#define USTAR_SIZE_SIZE   12
#define USTAR_CHKSUM      148
#define USTAR_CHKSUM_SIZE 8
#define USTAR_TYPEFLAG    156
#define USTAR_MAGIC       257 /* "ustar" then NUL (POSIX) or ' ' (old GNU) */
#define USTAR_PREFIX      345
#define USTAR_PREFIX_SIZE 155

_Static_assert(USTAR_PREFIX_SIZE + 1 + USTAR_NAME_SIZE + 1 <=
                   sizeof(((struct ustar_file *)0)->name_buffer),
               "name_buffer holds prefix/name");

/* Parses an octal number field: optional leading spaces, at least one digit, then only NULs
 * or spaces. Returns false for anything else (GNU's base-256 sizes included). */
static bool ustar_octal(const uint8_t *field, size_t length, uint64_t *value)
{
    size_t i = 0;
    uint64_t result = 0;
    while (i < length && field[i] == ' ')
        i++;
    size_t first_digit = i;
    while (i < length && field[i] >= '0' && field[i] <= '7')
        result = result * 8 + (uint64_t)(field[i++] - '0');
    if (i == first_digit)
        return false;
    for (; i < length; i++) {
        if (field[i] != '\0' && field[i] != ' ')
            return false;
    }
    *value = result;
    return true;
}

/* The checksum is the sum of the header's bytes with the checksum field read as spaces. The
 * standard sums unsigned bytes; some old tars summed signed ones, which is also accepted. */
static bool ustar_checksum_ok(const uint8_t *header)
{
    uint64_t stored;
    if (!ustar_octal(header + USTAR_CHKSUM, USTAR_CHKSUM_SIZE, &stored))
        return false;
    int64_t unsigned_sum = 0, signed_sum = 0;
    for (size_t i = 0; i < USTAR_BLOCK; i++) {
        bool in_field = i >= USTAR_CHKSUM && i < USTAR_CHKSUM + USTAR_CHKSUM_SIZE;
        int byte = in_field ? ' ' : header[i];
        unsigned_sum += byte;
        signed_sum += byte < 128 ? byte : byte - 256;
    }
    return (int64_t)stored == unsigned_sum || (int64_t)stored == signed_sum;
}

static bool ustar_is_zero_block(const uint8_t *block)
{
    for (size_t i = 0; i < USTAR_BLOCK; i++) {
        if (block[i] != 0)
            return false;
    }
    return true;
}

/* Checks a header's magic and checksum and reads its size; false if it is malformed. */
static bool ustar_check_header(const uint8_t *header, uint64_t *size)
{
    if (memcmp(header + USTAR_MAGIC, "ustar", 5) != 0 ||
        (header[USTAR_MAGIC + 5] != '\0' && header[USTAR_MAGIC + 5] != ' '))
        return false;
    if (!ustar_checksum_ok(header))
        return false;
    return ustar_octal(header + USTAR_SIZE, USTAR_SIZE_SIZE, size);
}

/* Builds "prefix/name" (or "name") in file->name_buffer; file->name skips a leading "./". */
static void ustar_read_name(const uint8_t *header, struct ustar_file *file)
{
    const char *prefix = (const char *)header + USTAR_PREFIX;
    const char *name = (const char *)header + USTAR_NAME;
    size_t prefix_length = strnlen(prefix, USTAR_PREFIX_SIZE);
    size_t name_length = strnlen(name, USTAR_NAME_SIZE);
    char *cursor = file->name_buffer;

    memcpy(cursor, prefix, prefix_length);
    cursor += prefix_length;
    if (prefix_length > 0)
        *cursor++ = '/';
    memcpy(cursor, name, name_length);
    cursor[name_length] = '\0';
    file->name = file->name_buffer;
    if (file->name[0] == '.' && file->name[1] == '/')
        file->name += 2;
}

enum wg_error ustar_for_each(const void *archive, size_t archive_size,
                             bool (*fn)(void *ctx, const struct ustar_file *file), void *ctx)
{
    const uint8_t *base = archive;
    size_t offset = 0;
    struct ustar_file file;

    while (archive_size - offset >= USTAR_BLOCK) {
        const uint8_t *header = base + offset;
        uint64_t size;
        if (ustar_is_zero_block(header))
            return WG_ERR_OK;
        if (!ustar_check_header(header, &size) || size > archive_size - offset - USTAR_BLOCK)
            return WG_ERR_BAD_FORMAT;
        char type = (char)header[USTAR_TYPEFLAG];
        if (type == '0' || type == '\0') {
            ustar_read_name(header, &file);
            file.data = header + USTAR_BLOCK;
            file.size = (size_t)size;
            if (!fn(ctx, &file))
                return WG_ERR_OK;
        }
        /* The last file's padding may be cut off: that is the end of the archive. */
        uint64_t advance = USTAR_BLOCK + ((size + USTAR_BLOCK - 1) & ~(uint64_t)(USTAR_BLOCK - 1));
        offset = advance > archive_size - offset ? archive_size : offset + (size_t)advance;
    }
    return offset == archive_size ? WG_ERR_OK : WG_ERR_BAD_FORMAT; /* a partial header */
}

struct ustar_search {
    const char *name;
    struct ustar_file *out;
    bool found;
};

static bool ustar_match(void *ctx, const struct ustar_file *file)
{
    struct ustar_search *search = ctx;
    if (strcmp(file->name, search->name) != 0)
        return true;
    *search->out = *file;
    search->out->name = search->out->name_buffer + (file->name - file->name_buffer);
    search->found = true;
    return false;
}

enum wg_error ustar_find(const void *archive, size_t archive_size, const char *name,
                         struct ustar_file *out)
{
    if (name[0] == '.' && name[1] == '/')
        name += 2;
    struct ustar_search search = {.name = name, .out = out, .found = false};
    enum wg_error err = ustar_for_each(archive, archive_size, ustar_match, &search);
    if (search.found)
        return WG_ERR_OK;
    return err != WG_ERR_OK ? err : WG_ERR_NOT_FOUND;
}
