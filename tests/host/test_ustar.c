/* Host tests for kernel/exec/ustar.c. A small writer builds ustar archives in memory (headers
 * with POSIX field layout and checksums); the tests look files up, walk archives, and check
 * that corrupt checksums, sizes and magics, truncation and odd names are handled. */
#include "test.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/exec/ustar.h"

#define BLOCK       512
#define ARCHIVE_MAX (64 * 1024)

static uint8_t archive[ARCHIVE_MAX];

/* Writes `value` as a zero-padded octal field of `width` bytes, NUL-terminated. */
static void put_octal(uint8_t *field, size_t width, uint64_t value)
{
    char text[32];
    snprintf(text, sizeof(text), "%0*llo", (int)(width - 1), (unsigned long long)value);
    memcpy(field, text, width);
}

/* Stores the header's checksum: unsigned sum (or signed, as some old tars did). */
static void put_checksum(uint8_t *header, bool signed_sum)
{
    memset(header + 148, ' ', 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++)
        sum += signed_sum ? (int8_t)header[i] : header[i];
    char text[8];
    snprintf(text, sizeof(text), "%06lo", (unsigned long)sum);
    memcpy(header + 148, text, 7); /* six digits, NUL, then the space already there */
}

/* Copies a string into a field; a string as long as the field fills it without a NUL. */
static void put_string(uint8_t *field, size_t width, const char *text)
{
    size_t length = strlen(text);
    memcpy(field, text, length < width ? length : width);
}

/* Appends one entry at `at`, its data padded to a block; returns the next offset. */
static size_t add_entry(size_t at, const char *prefix, const char *name, char type,
                        const void *data, size_t size)
{
    uint8_t *header = archive + at;
    memset(header, 0, BLOCK);
    put_string(header, 100, name);
    put_octal(header + 100, 8, 0644);
    put_octal(header + 108, 8, 1000);
    put_octal(header + 116, 8, 1000);
    put_octal(header + 124, 12, size);
    put_octal(header + 136, 12, 1700000000);
    header[156] = (uint8_t)type;
    memcpy(header + 257, "ustar", 6);
    memcpy(header + 263, "00", 2);
    put_string(header + 265, 32, "wing");
    put_string(header + 297, 32, "wing");
    put_string(header + 345, 155, prefix);
    put_checksum(header, false);
    size_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    memset(archive + at + BLOCK, 0, padded);
    if (size > 0)
        memcpy(archive + at + BLOCK, data, size);
    return at + BLOCK + padded;
}

static size_t add_file(size_t at, const char *name, const char *text)
{
    return add_entry(at, "", name, '0', text, strlen(text));
}

/* Two zero blocks end the archive. */
static size_t finish(size_t at)
{
    memset(archive + at, 0, 2 * BLOCK);
    return at + 2 * BLOCK;
}

static bool found_text(size_t size, const char *name, const char *text)
{
    struct ustar_file file;
    if (ustar_find(archive, size, name, &file) != WG_ERR_OK)
        return false;
    return file.size == strlen(text) && memcmp(file.data, text, file.size) == 0;
}

/* A three-file archive: "hello", "dir/" (a directory), "./init", "etc/motd"; returns its size. */
static size_t simple_archive(void)
{
    memset(archive, 0, sizeof(archive));
    size_t at = add_file(0, "hello", "hello, world\n");
    at = add_entry(at, "", "dir/", '5', NULL, 0);
    at = add_file(at, "./init", "\177ELF init");
    at = add_file(at, "etc/motd", "welcome");
    return finish(at);
}

TEST(finds_files)
{
    size_t size = simple_archive();
    CHECK(found_text(size, "hello", "hello, world\n"));
    CHECK(found_text(size, "etc/motd", "welcome"));
    struct ustar_file file;
    REQUIRE(ustar_find(archive, size, "etc/motd", &file) == WG_ERR_OK);
    CHECK_EQ(strcmp(file.name, "etc/motd"), 0);
    CHECK(file.name >= file.name_buffer && file.name < file.name_buffer + sizeof(file.name_buffer));
    CHECK(file.data == archive + 6 * BLOCK); /* after hello (2 blocks), dir, init (2), header */
}

TEST(missing_file)
{
    size_t size = simple_archive();
    struct ustar_file file;
    CHECK_EQ(ustar_find(archive, size, "nothing", &file), WG_ERR_NOT_FOUND);
    CHECK_EQ(ustar_find(archive, size, "dir/", &file), WG_ERR_NOT_FOUND); /* not regular */
    CHECK_EQ(ustar_find(archive, size, "dir", &file), WG_ERR_NOT_FOUND);
    CHECK_EQ(ustar_find(archive, size, "hell", &file), WG_ERR_NOT_FOUND);
    CHECK_EQ(ustar_find(archive, size, "", &file), WG_ERR_NOT_FOUND);
    CHECK_EQ(ustar_find(archive, 0, "hello", &file), WG_ERR_NOT_FOUND);
    CHECK_EQ(ustar_find(NULL, 0, "hello", &file), WG_ERR_NOT_FOUND);
}

TEST(dot_slash_names)
{
    size_t size = simple_archive();
    CHECK(found_text(size, "init", "\177ELF init"));
    CHECK(found_text(size, "./init", "\177ELF init"));
    CHECK(found_text(size, "./hello", "hello, world\n"));
    struct ustar_file file;
    REQUIRE(ustar_find(archive, size, "init", &file) == WG_ERR_OK);
    CHECK_EQ(strcmp(file.name, "init"), 0);
    CHECK_EQ(strcmp(file.name_buffer, "./init"), 0);
}

struct walk {
    int count;
    int stop_after;
    char names[8][300];
    size_t sizes[8];
};

static bool collect(void *ctx, const struct ustar_file *file)
{
    struct walk *walk = ctx;
    if (walk->count < 8) {
        snprintf(walk->names[walk->count], sizeof(walk->names[0]), "%s", file->name);
        walk->sizes[walk->count] = file->size;
    }
    walk->count++;
    return walk->count != walk->stop_after;
}

TEST(for_each_in_order_and_stops_early)
{
    size_t size = simple_archive();
    struct walk walk = {0};
    CHECK_EQ(ustar_for_each(archive, size, collect, &walk), WG_ERR_OK);
    REQUIRE(walk.count == 3);
    CHECK_EQ(strcmp(walk.names[0], "hello"), 0);
    CHECK_EQ(strcmp(walk.names[1], "init"), 0);
    CHECK_EQ(strcmp(walk.names[2], "etc/motd"), 0);
    CHECK_EQ(walk.sizes[2], 7u);

    struct walk stop = {.stop_after = 2};
    CHECK_EQ(ustar_for_each(archive, size, collect, &stop), WG_ERR_OK);
    CHECK_EQ(stop.count, 2);
}

TEST(end_of_archive)
{
    size_t size = simple_archive();
    struct walk walk = {0};
    /* Without the zero blocks: the end of the data ends it. */
    CHECK_EQ(ustar_for_each(archive, size - 2 * BLOCK, collect, &walk), WG_ERR_OK);
    CHECK_EQ(walk.count, 3);
    /* One zero block ends it; what follows is not read. */
    memset(archive + size - BLOCK, 0xff, BLOCK);
    walk.count = 0;
    CHECK_EQ(ustar_for_each(archive, size, collect, &walk), WG_ERR_OK);
    CHECK_EQ(walk.count, 3);
    /* The last file's padding may be missing. */
    walk.count = 0;
    CHECK_EQ(ustar_for_each(archive, size - 2 * BLOCK - BLOCK + 7, collect, &walk), WG_ERR_OK);
    CHECK_EQ(walk.count, 3);
    CHECK(found_text(size - 2 * BLOCK - BLOCK + 7, "etc/motd", "welcome"));
    /* A partial header is not an end. */
    CHECK_EQ(ustar_for_each(archive, size - 2 * BLOCK + 100, collect, &walk), WG_ERR_BAD_FORMAT);
    CHECK_EQ(ustar_for_each(archive, 0, collect, &walk), WG_ERR_OK);
}

TEST(corrupt_checksum)
{
    size_t size = simple_archive();
    archive[5 * BLOCK + 10] ^= 1;                       /* the header of etc/motd */
    CHECK(found_text(size, "hello", "hello, world\n")); /* before the corruption */
    struct ustar_file file;
    CHECK_EQ(ustar_find(archive, size, "etc/motd", &file), WG_ERR_BAD_FORMAT);
    CHECK_EQ(ustar_find(archive, size, "nothing", &file), WG_ERR_BAD_FORMAT);
    struct walk walk = {0};
    CHECK_EQ(ustar_for_each(archive, size, collect, &walk), WG_ERR_BAD_FORMAT);
    CHECK_EQ(walk.count, 2);

    simple_archive();
    memcpy(archive + 148, "0x1234\0 ", 8); /* not octal */
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
    memcpy(archive + 148, "        ", 8); /* empty */
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
}

TEST(signed_checksum_accepted)
{
    memset(archive, 0, sizeof(archive));
    size_t at = add_file(0, "caf\xc3\xa9", "coffee"); /* bytes above 127 in the name */
    put_checksum(archive, true);
    size_t size = finish(at);
    CHECK(found_text(size, "caf\xc3\xa9", "coffee"));
    /* Any other value is still refused. */
    archive[148 + 5]++;
    CHECK(!found_text(size, "caf\xc3\xa9", "coffee"));
}

TEST(bad_magic)
{
    size_t size = simple_archive();
    archive[257] = 'U';
    put_checksum(archive, false);
    struct ustar_file file;
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
    memcpy(archive + 257, "ustar  ", 8); /* old GNU magic and version */
    put_checksum(archive, false);
    CHECK(found_text(size, "hello", "hello, world\n"));
    memcpy(archive + 257, "ustarX", 6);
    put_checksum(archive, false);
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
}

/* Rewrites the first header's size field and fixes its checksum. */
static void set_size_field(const char *text, size_t length)
{
    memset(archive + 124, 0, 12);
    memcpy(archive + 124, text, length);
    put_checksum(archive, false);
}

TEST(size_field)
{
    size_t size = simple_archive();
    struct ustar_file file;
    const char *garbage[] = {"0000000009", "abc", "", "      ", "00000000015x", "-1", "1 2"};
    for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
        set_size_field(garbage[i], strlen(garbage[i]));
        CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
    }
    set_size_field("\x80\0\0\0\0\0\0\0\0\0\0\x0d", 12); /* GNU base-256 */
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);

    /* Leading spaces, a space terminator, and all 12 digits without a terminator. */
    set_size_field("     15 ", 8);
    CHECK(found_text(size, "hello", "hello, world\n"));
    set_size_field("000000000015", 12);
    CHECK(found_text(size, "hello", "hello, world\n"));
    set_size_field("1", 1);
    REQUIRE(ustar_find(archive, size, "hello", &file) == WG_ERR_OK);
    CHECK_EQ(file.size, 1u);
}

TEST(size_past_the_end)
{
    size_t size = simple_archive();
    struct ustar_file file;
    char text[16];
    snprintf(text, sizeof(text), "%011o", (unsigned)(size - BLOCK + 1));
    set_size_field(text, 11); /* one byte more than the archive has after the header */
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
    set_size_field("77777777777", 11);
    CHECK_EQ(ustar_find(archive, size, "hello", &file), WG_ERR_BAD_FORMAT);
    snprintf(text, sizeof(text), "%011o", (unsigned)(size - BLOCK));
    set_size_field(text, 11); /* exactly the rest: the whole archive is this file */
    REQUIRE(ustar_find(archive, size, "hello", &file) == WG_ERR_OK);
    CHECK_EQ(file.size, size - BLOCK);
    CHECK_EQ(ustar_find(archive, size, "etc/motd", &file), WG_ERR_NOT_FOUND);
}

TEST(prefix_and_name)
{
    memset(archive, 0, sizeof(archive));
    char prefix[156], name[101], expected[300];
    memset(prefix, 'p', 155);
    prefix[155] = '\0';
    memset(name, 'n', 100);
    name[100] = '\0';
    size_t at = add_entry(0, "usr/lib", "libc.a", '0', "archive", 7);
    at = add_entry(at, prefix, name, '0', "longest", 7); /* both fields full, no NULs */
    at = add_entry(at, "", name, '\0', "old regular", 11);
    size_t size = finish(at);

    CHECK(found_text(size, "usr/lib/libc.a", "archive"));
    CHECK(!found_text(size, "libc.a", "archive"));
    snprintf(expected, sizeof(expected), "%s/%s", prefix, name);
    CHECK_EQ(strlen(expected), 256u);
    CHECK(found_text(size, expected, "longest"));
    CHECK(found_text(size, name, "old regular"));
}

TEST(other_entry_types_skipped)
{
    memset(archive, 0, sizeof(archive));
    size_t at = add_entry(0, "", "link", '2', NULL, 0);
    at = add_entry(at, "", "PaxHeaders/x", 'x', "30 path=some/very/long/name\n", 28);
    at = add_entry(at, "", "fifo", '6', NULL, 0);
    at = add_file(at, "after", "ok");
    size_t size = finish(at);
    struct walk walk = {0};
    CHECK_EQ(ustar_for_each(archive, size, collect, &walk), WG_ERR_OK);
    CHECK_EQ(walk.count, 1);
    CHECK(found_text(size, "after", "ok"));
    struct ustar_file file;
    CHECK_EQ(ustar_find(archive, size, "link", &file), WG_ERR_NOT_FOUND);
}

static bool inside_archive(void *ctx, const struct ustar_file *file)
{
    size_t *size = ctx;
    const uint8_t *data = file->data;
    CHECK(data >= archive && data + file->size <= archive + *size);
    CHECK(strlen(file->name_buffer) < sizeof(file->name_buffer));
    return true;
}

TEST(every_truncation_is_safe)
{
    size_t full = simple_archive();
    for (size_t length = 0; length <= full; length++) {
        struct walk walk = {0};
        enum wg_error err = ustar_for_each(archive, length, collect, &walk);
        CHECK(err == WG_ERR_OK || err == WG_ERR_BAD_FORMAT);
        ustar_for_each(archive, length, inside_archive, &length);
        struct ustar_file file;
        err = ustar_find(archive, length, "etc/motd", &file);
        if (err == WG_ERR_OK)
            CHECK(file.size == 7 && memcmp(file.data, "welcome", 7) == 0);
        /* Found exactly when its header and data are all there. */
        CHECK_EQ(err == WG_ERR_OK, length >= 6 * BLOCK + 7);
    }
}

/* An initrd the way the build would make one: directories, a binary, empty and
 * block-sized files, padded out to a 10 KiB tar record. */
TEST(initrd_like_archive)
{
    static uint8_t binary[3000], block[512];
    for (size_t i = 0; i < sizeof(binary); i++)
        binary[i] = (uint8_t)(i * 7 + 3);
    memset(block, 'b', sizeof(block));
    memset(archive, 0, sizeof(archive));
    size_t at = add_entry(0, "", "./", '5', NULL, 0);
    at = add_entry(at, "", "./bin/", '5', NULL, 0);
    at = add_entry(at, "", "./bin/init", '0', binary, sizeof(binary));
    at = add_entry(at, "", "./bin/block", '0', block, sizeof(block));
    at = add_entry(at, "", "./etc/empty", '0', NULL, 0);
    at = add_entry(at, "", "./etc/one", '0', "1", 1);
    at = finish(at);
    size_t size = (at + 10239) / 10240 * 10240;

    struct ustar_file file;
    REQUIRE(ustar_find(archive, size, "bin/init", &file) == WG_ERR_OK);
    CHECK(file.size == sizeof(binary) && memcmp(file.data, binary, sizeof(binary)) == 0);
    REQUIRE(ustar_find(archive, size, "bin/block", &file) == WG_ERR_OK);
    CHECK(file.size == 512 && memcmp(file.data, block, 512) == 0);
    REQUIRE(ustar_find(archive, size, "etc/empty", &file) == WG_ERR_OK);
    CHECK_EQ(file.size, 0u);
    CHECK(found_text(size, "etc/one", "1"));
    CHECK_EQ(ustar_find(archive, size, "bin", &file), WG_ERR_NOT_FOUND);
    struct walk walk = {0};
    CHECK_EQ(ustar_for_each(archive, size, collect, &walk), WG_ERR_OK);
    CHECK_EQ(walk.count, 4);
}
