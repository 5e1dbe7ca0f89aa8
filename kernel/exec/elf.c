/* ELF64 executable checking (see elf.h). The image is untrusted: headers are copied out with
 * memcpy (it may be unaligned), every offset and size is checked without overflow before use,
 * and what comes out is a list of PT_LOAD segments the loader can map page by page without
 * further checks. Field layouts follow the System V ABI's ELF64 definitions; x86_64 is
 * little-endian like the files it accepts, so fields are read as they are. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/exec/elf.h"
#include "lib/string.h"

#define ELF_PAGE_SIZE 4096ULL

/* e_ident bytes and values. */
#define EI_CLASS    4
#define EI_DATA     5
#define EI_VERSION  6
#define EI_NIDENT   16
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1

#define ET_EXEC   2
#define EM_X86_64 62
#define PN_XNUM   0xffff /* the real count hides in section header 0: not supported */

#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3

#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

struct elf64_header {
    uint8_t ident[EI_NIDENT];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff; /* program header table's file offset */
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
} __attribute__((packed));

struct elf64_program_header {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} __attribute__((packed));

_Static_assert(sizeof(struct elf64_header) == 64, "ELF64 file header is 64 bytes");
_Static_assert(sizeof(struct elf64_program_header) == 56, "ELF64 program header is 56 bytes");

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* Checks the file header and that the program header table lies inside the image. */
static enum wg_error elf_check_header(const struct elf64_header *header, size_t size)
{
    const uint8_t *ident = header->ident;
    if (memcmp(ident, elf_magic, sizeof(elf_magic)) != 0 || ident[EI_CLASS] != ELFCLASS64 ||
        ident[EI_DATA] != ELFDATA2LSB || ident[EI_VERSION] != EV_CURRENT)
        return WG_ERR_BAD_FORMAT;
    if (header->machine != EM_X86_64 || header->version != EV_CURRENT)
        return WG_ERR_BAD_FORMAT;
    if (header->type != ET_EXEC)
        return WG_ERR_NOT_SUPPORTED; /* ET_DYN (PIE, shared objects), ET_REL, ET_CORE */
    if (header->ehsize != sizeof(struct elf64_header) ||
        header->phentsize != sizeof(struct elf64_program_header))
        return WG_ERR_BAD_FORMAT;
    if (header->phnum == PN_XNUM)
        return WG_ERR_NOT_SUPPORTED;
    uint64_t table_size = (uint64_t)header->phnum * sizeof(struct elf64_program_header);
    if (header->phoff > size || table_size > size - header->phoff)
        return WG_ERR_BAD_FORMAT;
    return WG_ERR_OK;
}

/* First page and one past the last page a segment touches (vaddr + memsz is known not to
 * overflow and to stay below ELF_USER_TOP, which is page-aligned). */
static uint64_t elf_page_start(const struct elf_segment *segment)
{
    return segment->vaddr & ~(ELF_PAGE_SIZE - 1);
}

static uint64_t elf_page_end(const struct elf_segment *segment)
{
    return (segment->vaddr + segment->memory_size + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
}

/* Checks one PT_LOAD header with a non-zero memsz on its own and converts it. */
static enum wg_error elf_check_load(const struct elf64_program_header *ph, size_t size,
                                    struct elf_segment *segment)
{
    if (ph->offset > size || ph->filesz > size - ph->offset)
        return WG_ERR_OUT_OF_RANGE;
    if (ph->vaddr % ELF_PAGE_SIZE != ph->offset % ELF_PAGE_SIZE)
        return WG_ERR_BAD_FORMAT;
    if (ph->vaddr < ELF_USER_MIN || ph->vaddr >= ELF_USER_TOP ||
        ph->memsz > ELF_USER_TOP - ph->vaddr)
        return WG_ERR_OUT_OF_RANGE;
    if ((ph->flags & PF_W) && (ph->flags & PF_X))
        return WG_ERR_ACCESS_DENIED;

    segment->vaddr = ph->vaddr;
    segment->memory_size = ph->memsz;
    segment->file_offset = ph->offset;
    segment->file_size = ph->filesz;
    segment->flags = ((ph->flags & PF_R) ? ELF_SEGMENT_READ : 0) |
                     ((ph->flags & PF_W) ? ELF_SEGMENT_WRITE : 0) |
                     ((ph->flags & PF_X) ? ELF_SEGMENT_EXEC : 0);
    return WG_ERR_OK;
}

/* Checks one program header and appends it to `out` when it is a PT_LOAD with contents:
 * the segment limit, overlaps with earlier segments, and the running page total. */
static enum wg_error elf_add_segment(const struct elf64_program_header *ph, size_t size,
                                     struct elf_image *out, uint64_t *total_pages)
{
    if (ph->type == PT_INTERP || ph->type == PT_DYNAMIC)
        return WG_ERR_NOT_SUPPORTED;
    if (ph->type != PT_LOAD)
        return WG_ERR_OK;
    if (ph->filesz > ph->memsz)
        return WG_ERR_BAD_FORMAT;
    if (ph->memsz == 0)
        return WG_ERR_OK;
    if (out->segment_count == ELF_MAX_SEGMENTS)
        return WG_ERR_NOT_SUPPORTED;

    struct elf_segment segment;
    enum wg_error err = elf_check_load(ph, size, &segment);
    if (err != WG_ERR_OK)
        return err;
    uint64_t start = elf_page_start(&segment), end = elf_page_end(&segment);
    for (size_t i = 0; i < out->segment_count; i++) {
        if (start < elf_page_end(&out->segments[i]) && elf_page_start(&out->segments[i]) < end)
            return WG_ERR_ALREADY_EXISTS;
    }
    *total_pages += (end - start) / ELF_PAGE_SIZE;
    if (*total_pages > ELF_MAX_MEMORY / ELF_PAGE_SIZE)
        return WG_ERR_OUT_OF_RANGE;
    out->segments[out->segment_count++] = segment;
    return WG_ERR_OK;
}

/* True when `entry` lies inside an executable segment. */
static bool elf_entry_ok(const struct elf_image *image, uint64_t entry)
{
    for (size_t i = 0; i < image->segment_count; i++) {
        const struct elf_segment *segment = &image->segments[i];
        if ((segment->flags & ELF_SEGMENT_EXEC) && entry >= segment->vaddr &&
            entry - segment->vaddr < segment->memory_size)
            return true;
    }
    return false;
}

/* On an error *out holds partial results and means nothing. */
enum wg_error elf_parse(const void *image, size_t size, struct elf_image *out)
{
    const uint8_t *bytes = image;
    struct elf64_header header;
    if (size < sizeof(header))
        return WG_ERR_BAD_FORMAT;
    memcpy(&header, bytes, sizeof(header));
    enum wg_error err = elf_check_header(&header, size);
    if (err != WG_ERR_OK)
        return err;

    out->entry = header.entry;
    out->segment_count = 0;
    uint64_t total_pages = 0;
    for (uint16_t i = 0; i < header.phnum; i++) {
        struct elf64_program_header ph;
        memcpy(&ph, bytes + header.phoff + (size_t)i * sizeof(ph), sizeof(ph));
        err = elf_add_segment(&ph, size, out, &total_pages);
        if (err != WG_ERR_OK)
            return err;
    }
    if (out->segment_count == 0)
        return WG_ERR_BAD_FORMAT;
    if (!elf_entry_ok(out, header.entry))
        return WG_ERR_OUT_OF_RANGE;
    return WG_ERR_OK;
}
