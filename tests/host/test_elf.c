/* Host tests for kernel/exec/elf.c. A small builder writes valid ELF64 executables into a
 * buffer; each test then corrupts one thing (header fields, the program header table, segment
 * ranges, flags, the entry point) and checks the precise error, and every truncation of a valid
 * image is refused. */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include "kernel/exec/elf.h"

#define PAGE       4096u
#define IMAGE_MAX  (64 * 1024)
#define KERNEL_VA  0xffff800000000000ULL
#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PT_NOTE    4
#define PT_PHDR    6
#define PF_X       1u
#define PF_W       2u
#define PF_R       4u

/* Field offsets in the file header and in a program header (ELF64). */
enum {
    EH_TYPE = 16,
    EH_MACHINE = 18,
    EH_VERSION = 20,
    EH_ENTRY = 24,
    EH_PHOFF = 32,
    EH_EHSIZE = 52,
    EH_PHENTSIZE = 54,
    EH_PHNUM = 56,
    EH_SIZE = 64,
    PH_TYPE = 0,
    PH_FLAGS = 4,
    PH_OFFSET = 8,
    PH_VADDR = 16,
    PH_FILESZ = 32,
    PH_MEMSZ = 40,
    PH_ALIGN = 48,
    PH_SIZE = 56,
};

struct seg_spec {
    uint32_t type;
    uint32_t flags;
    uint64_t page; /* vaddr = page + file offset % PAGE, as a linker would lay it out */
    uint64_t filesz;
    uint64_t memsz;
};

static uint8_t image[IMAGE_MAX];

static void put16(size_t at, uint16_t v)
{
    memcpy(image + at, &v, 2);
}

static void put32(size_t at, uint32_t v)
{
    memcpy(image + at, &v, 4);
}

static void put64(size_t at, uint64_t v)
{
    memcpy(image + at, &v, 8);
}

static uint64_t get64(size_t at)
{
    uint64_t v;
    memcpy(&v, image + at, 8);
    return v;
}

static size_t ph(int i, size_t field)
{
    return EH_SIZE + (size_t)i * PH_SIZE + field;
}

/* Writes an executable with the given program headers into `image` and returns its size.
 * Segment contents follow the table back to back; the entry is the first executable
 * segment's start. */
static size_t build(const struct seg_spec *segs, int count)
{
    memset(image, 0, sizeof(image));
    memcpy(image, "\177ELF", 4);
    image[4] = 2; /* ELFCLASS64 */
    image[5] = 1; /* ELFDATA2LSB */
    image[6] = 1; /* EV_CURRENT */
    put16(EH_TYPE, 2);
    put16(EH_MACHINE, 62);
    put32(EH_VERSION, 1);
    put64(EH_PHOFF, EH_SIZE);
    put16(EH_EHSIZE, EH_SIZE);
    put16(EH_PHENTSIZE, PH_SIZE);
    put16(EH_PHNUM, (uint16_t)count);

    size_t cursor = EH_SIZE + (size_t)count * PH_SIZE;
    uint64_t entry = 0;
    for (int i = 0; i < count; i++) {
        uint64_t vaddr = segs[i].page + cursor % PAGE;
        put32(ph(i, PH_TYPE), segs[i].type);
        put32(ph(i, PH_FLAGS), segs[i].flags);
        put64(ph(i, PH_OFFSET), cursor);
        put64(ph(i, PH_VADDR), vaddr);
        put64(ph(i, PH_FILESZ), segs[i].filesz);
        put64(ph(i, PH_MEMSZ), segs[i].memsz);
        put64(ph(i, PH_ALIGN), PAGE);
        memset(image + cursor, 0xc0 + i, segs[i].filesz);
        cursor += segs[i].filesz;
        if (entry == 0 && segs[i].type == PT_LOAD && (segs[i].flags & PF_X))
            entry = vaddr;
    }
    put64(EH_ENTRY, entry);
    return cursor;
}

static const struct seg_spec standard[] = {
    {PT_LOAD, PF_R | PF_X, 0x400000, 300, 300},   /* text */
    {PT_NOTE, PF_R, 0, 16, 16},                   /* ignored */
    {PT_LOAD, PF_R, 0x600000, 200, 200},          /* rodata */
    {PT_LOAD, PF_R | PF_W, 0x800000, 100, 20000}, /* data and bss */
};
#define STANDARD_COUNT 4

static enum wg_error parse(size_t size)
{
    struct elf_image out;
    return elf_parse(image, size, &out);
}

TEST(valid_image)
{
    size_t size = build(standard, STANDARD_COUNT);
    struct elf_image out;
    REQUIRE(elf_parse(image, size, &out) == WG_ERR_OK);
    REQUIRE(out.segment_count == 3);
    CHECK_EQ(out.entry, get64(ph(0, PH_VADDR)));

    const int source[3] = {0, 2, 3};
    const uint32_t flags[3] = {ELF_SEGMENT_READ | ELF_SEGMENT_EXEC, ELF_SEGMENT_READ,
                               ELF_SEGMENT_READ | ELF_SEGMENT_WRITE};
    for (int i = 0; i < 3; i++) {
        int p = source[i];
        CHECK_EQ(out.segments[i].vaddr, get64(ph(p, PH_VADDR)));
        CHECK_EQ(out.segments[i].file_offset, get64(ph(p, PH_OFFSET)));
        CHECK_EQ(out.segments[i].file_size, standard[p].filesz);
        CHECK_EQ(out.segments[i].memory_size, standard[p].memsz);
        CHECK_EQ(out.segments[i].flags, flags[i]);
    }
}

TEST(unaligned_image)
{
    static uint8_t shifted[IMAGE_MAX + 1];
    size_t size = build(standard, STANDARD_COUNT);
    memcpy(shifted + 1, image, size);
    struct elf_image out;
    CHECK_EQ(elf_parse(shifted + 1, size, &out), WG_ERR_OK);
    CHECK_EQ(out.segment_count, 3u);
}

TEST(every_truncation_fails)
{
    size_t size = build(standard, STANDARD_COUNT);
    int accepted = 0;
    for (size_t length = 0; length < size; length++) {
        if (parse(length) == WG_ERR_OK)
            accepted++;
    }
    CHECK_EQ(accepted, 0);
    CHECK_EQ(parse(size), WG_ERR_OK);
    CHECK_EQ(parse(size + 100), WG_ERR_OK); /* trailing bytes (section headers) are fine */
    CHECK_EQ(elf_parse(NULL, 0, &(struct elf_image){0}), WG_ERR_BAD_FORMAT);
}

TEST(bad_identification)
{
    size_t size = build(standard, STANDARD_COUNT);
    for (int i = 0; i < 4; i++) {
        build(standard, STANDARD_COUNT);
        image[i] ^= 0x20;
        CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    }
    const struct {
        size_t at;
        uint8_t value;
    } idents[] = {{4, 1}, {4, 0}, {4, 3}, {5, 2}, {5, 0}, {6, 0}, {6, 2}};
    for (size_t i = 0; i < sizeof(idents) / sizeof(idents[0]); i++) {
        build(standard, STANDARD_COUNT);
        image[idents[i].at] = idents[i].value;
        CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    }
}

TEST(bad_header_fields)
{
    size_t size = build(standard, STANDARD_COUNT);
    put16(EH_MACHINE, 3); /* EM_386 */
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    build(standard, STANDARD_COUNT);
    put16(EH_MACHINE, 183); /* EM_AARCH64 */
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    build(standard, STANDARD_COUNT);
    put32(EH_VERSION, 0);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    build(standard, STANDARD_COUNT);
    put16(EH_EHSIZE, 52);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    build(standard, STANDARD_COUNT);
    put16(EH_PHENTSIZE, 32);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    build(standard, STANDARD_COUNT);
    put16(EH_PHENTSIZE, 64);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
}

TEST(not_an_executable)
{
    size_t size = build(standard, STANDARD_COUNT);
    const uint16_t types[] = {0, 1 /* ET_REL */, 3 /* ET_DYN */, 4 /* ET_CORE */, 0xfe00};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        put16(EH_TYPE, types[i]);
        CHECK_EQ(parse(size), WG_ERR_NOT_SUPPORTED);
    }
}

TEST(program_header_table_bounds)
{
    size_t size = build(standard, STANDARD_COUNT);
    put64(EH_PHOFF, size);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    put64(EH_PHOFF, size + 1000);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    put64(EH_PHOFF, UINT64_MAX - 10); /* phoff + table size overflows */
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    put64(EH_PHOFF, size - PH_SIZE + 1); /* the last entry sticks out by one byte */
    put16(EH_PHNUM, 1);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);

    build(standard, STANDARD_COUNT);
    put16(EH_PHNUM, 1000);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    put16(EH_PHNUM, 0xfffe);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    put16(EH_PHNUM, 0xffff); /* PN_XNUM: extended numbering */
    CHECK_EQ(parse(size), WG_ERR_NOT_SUPPORTED);
    put16(EH_PHNUM, 0);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT); /* no PT_LOAD at all */
}

TEST(table_anywhere_in_the_file)
{
    /* The table may also sit at an odd offset after the contents. */
    size_t size = build(standard, STANDARD_COUNT);
    memcpy(image + size + 3, image + EH_SIZE, STANDARD_COUNT * PH_SIZE);
    memset(image + EH_SIZE, 0xee, STANDARD_COUNT * PH_SIZE);
    put64(EH_PHOFF, size + 3);
    CHECK_EQ(parse(size + 3 + STANDARD_COUNT * PH_SIZE), WG_ERR_OK);
    CHECK(parse(size + 3 + STANDARD_COUNT * PH_SIZE - 1) != WG_ERR_OK);
}

TEST(no_loadable_segment)
{
    const struct seg_spec notes[] = {{PT_NOTE, PF_R, 0, 16, 16}, {PT_PHDR, PF_R, 0, 0, 0}};
    CHECK_EQ(parse(build(notes, 2)), WG_ERR_BAD_FORMAT);
    const struct seg_spec empty[] = {{PT_LOAD, PF_R | PF_X, 0x400000, 0, 0}};
    CHECK_EQ(parse(build(empty, 1)), WG_ERR_BAD_FORMAT);
}

TEST(dynamic_executables)
{
    const struct seg_spec interp[] = {{PT_INTERP, PF_R, 0, 28, 28},
                                      {PT_LOAD, PF_R | PF_X, 0x400000, 300, 300}};
    CHECK_EQ(parse(build(interp, 2)), WG_ERR_NOT_SUPPORTED);
    const struct seg_spec dynamic[] = {{PT_LOAD, PF_R | PF_X, 0x400000, 300, 300},
                                       {PT_DYNAMIC, PF_R | PF_W, 0x600000, 64, 64}};
    CHECK_EQ(parse(build(dynamic, 2)), WG_ERR_NOT_SUPPORTED);
}

TEST(overlapping_segments)
{
    const struct seg_spec same_page[] = {{PT_LOAD, PF_R | PF_X, 0x400000, 300, 300},
                                         {PT_LOAD, PF_R, 0x400000, 100, 100}};
    CHECK_EQ(parse(build(same_page, 2)), WG_ERR_ALREADY_EXISTS);

    /* The bss of the first runs into the second's page. */
    const struct seg_spec bss[] = {{PT_LOAD, PF_R | PF_X, 0x400000, 300, 300},
                                   {PT_LOAD, PF_R | PF_W, 0x600000, 100, 0x3000},
                                   {PT_LOAD, PF_R, 0x602000, 100, 100}};
    CHECK_EQ(parse(build(bss, 3)), WG_ERR_ALREADY_EXISTS);

    /* Contained entirely inside another one, listed first. */
    const struct seg_spec inside[] = {{PT_LOAD, PF_R, 0x500000, 10, 10},
                                      {PT_LOAD, PF_R | PF_X, 0x4ff000, 300, 0x5000}};
    CHECK_EQ(parse(build(inside, 2)), WG_ERR_ALREADY_EXISTS);

    /* Back to back on page boundaries: no overlap. */
    size_t size = build(bss, 3);
    put64(ph(1, PH_MEMSZ), 0x2000 - get64(ph(1, PH_VADDR)) % PAGE);
    CHECK_EQ(parse(size), WG_ERR_OK);
    put64(ph(1, PH_MEMSZ), 0x2000 - get64(ph(1, PH_VADDR)) % PAGE + 1);
    CHECK_EQ(parse(size), WG_ERR_ALREADY_EXISTS);
}

TEST(segment_address_range)
{
    size_t size = build(standard, STANDARD_COUNT);
    uint64_t page_offset = get64(ph(2, PH_VADDR)) % PAGE;
    const uint64_t bad_vaddrs[] = {KERNEL_VA, 0xffffffffffff0000ULL, ELF_USER_TOP, 0,
                                   ELF_USER_MIN - PAGE};
    for (size_t i = 0; i < sizeof(bad_vaddrs) / sizeof(bad_vaddrs[0]); i++) {
        build(standard, STANDARD_COUNT);
        put64(ph(2, PH_VADDR), bad_vaddrs[i] + page_offset);
        CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    }

    /* Ending exactly at the top is fine, one byte more is not. */
    build(standard, STANDARD_COUNT);
    put64(ph(2, PH_VADDR), ELF_USER_TOP - PAGE + page_offset);
    put64(ph(2, PH_MEMSZ), PAGE - page_offset);
    put64(ph(2, PH_FILESZ), 10);
    CHECK_EQ(parse(size), WG_ERR_OK);
    put64(ph(2, PH_MEMSZ), PAGE - page_offset + 1);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    /* vaddr + memsz wraps around. */
    put64(ph(2, PH_MEMSZ), UINT64_MAX);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    put64(ph(2, PH_MEMSZ), UINT64_MAX - ELF_USER_TOP + 2 * PAGE);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
}

TEST(segment_file_range)
{
    size_t size = build(standard, STANDARD_COUNT);
    put64(ph(2, PH_FILESZ), 300); /* > memsz */
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);

    build(standard, STANDARD_COUNT);
    put64(ph(3, PH_FILESZ), 101); /* one byte past the end of the file */
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);

    build(standard, STANDARD_COUNT);
    put64(ph(2, PH_OFFSET), size + PAGE);
    put64(ph(2, PH_VADDR), 0x600000 + (size + PAGE) % PAGE);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);

    build(standard, STANDARD_COUNT);
    uint64_t huge = UINT64_MAX - 50; /* offset + filesz wraps */
    put64(ph(2, PH_OFFSET), huge);
    put64(ph(2, PH_VADDR), 0x600000 + huge % PAGE);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
}

TEST(segment_page_offset_must_match)
{
    size_t size = build(standard, STANDARD_COUNT);
    put64(ph(2, PH_VADDR), get64(ph(2, PH_VADDR)) + 8);
    CHECK_EQ(parse(size), WG_ERR_BAD_FORMAT);
    build(standard, STANDARD_COUNT);
    put64(ph(2, PH_VADDR), get64(ph(2, PH_VADDR)) + PAGE); /* whole pages are fine */
    CHECK_EQ(parse(size), WG_ERR_OK);
}

TEST(writable_and_executable)
{
    size_t size = build(standard, STANDARD_COUNT);
    put32(ph(3, PH_FLAGS), PF_R | PF_W | PF_X);
    CHECK_EQ(parse(size), WG_ERR_ACCESS_DENIED);
    put32(ph(3, PH_FLAGS), PF_W | PF_X);
    CHECK_EQ(parse(size), WG_ERR_ACCESS_DENIED);
    put32(ph(3, PH_FLAGS), 0); /* no access at all is odd but allowed */
    struct elf_image out;
    REQUIRE(elf_parse(image, size, &out) == WG_ERR_OK);
    CHECK_EQ(out.segments[2].flags, 0u);
}

TEST(entry_point)
{
    size_t size = build(standard, STANDARD_COUNT);
    uint64_t text = get64(ph(0, PH_VADDR)), data = get64(ph(3, PH_VADDR));
    put64(EH_ENTRY, text + 299);
    CHECK_EQ(parse(size), WG_ERR_OK);
    put64(EH_ENTRY, text + 300);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    put64(EH_ENTRY, text - 1);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    put64(EH_ENTRY, 0);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    put64(EH_ENTRY, data); /* readable, writable, but not executable */
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
    put64(EH_ENTRY, KERNEL_VA);
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);

    /* The zero-filled tail of an executable segment counts. */
    put64(ph(0, PH_MEMSZ), 1000);
    put64(EH_ENTRY, text + 999);
    CHECK_EQ(parse(size), WG_ERR_OK);
}

TEST(segment_count_limit)
{
    struct seg_spec many[ELF_MAX_SEGMENTS + 6];
    for (int i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        many[i] = (struct seg_spec){PT_LOAD, i == 0 ? PF_R | PF_X : PF_R,
                                    0x400000 + (uint64_t)i * 0x10000, 8, 8};
    CHECK_EQ(parse(build(many, ELF_MAX_SEGMENTS + 1)), WG_ERR_NOT_SUPPORTED);
    CHECK_EQ(parse(build(many, ELF_MAX_SEGMENTS)), WG_ERR_OK);

    /* Empty PT_LOADs and other kinds do not count. */
    for (int i = ELF_MAX_SEGMENTS; i < ELF_MAX_SEGMENTS + 6; i++)
        many[i] = (struct seg_spec){i % 2 ? PT_LOAD : PT_NOTE, PF_R, 0x400000, 0, 0};
    struct elf_image out;
    size_t size = build(many, ELF_MAX_SEGMENTS + 6);
    REQUIRE(elf_parse(image, size, &out) == WG_ERR_OK);
    CHECK_EQ(out.segment_count, (size_t)ELF_MAX_SEGMENTS);
}

TEST(total_memory_limit)
{
    const uint64_t half = ELF_MAX_MEMORY / 2;
    struct seg_spec big[] = {{PT_LOAD, PF_R | PF_X, 0x1000000, 100, 0},
                             {PT_LOAD, PF_R | PF_W, 0x1000000 + 2 * half, 100, 0}};
    size_t size = build(big, 2);
    /* Pages touched: exactly half each, so exactly the limit. */
    put64(ph(0, PH_MEMSZ), half - get64(ph(0, PH_VADDR)) % PAGE);
    put64(ph(1, PH_MEMSZ), half - get64(ph(1, PH_VADDR)) % PAGE);
    CHECK_EQ(parse(size), WG_ERR_OK);
    put64(ph(1, PH_MEMSZ), half - get64(ph(1, PH_VADDR)) % PAGE + 1); /* one more page */
    CHECK_EQ(parse(size), WG_ERR_OUT_OF_RANGE);
}
