/* ELF64 executable checking: turns an image into a list of loadable segments, or refuses it.
 *
 * Pure logic (unit- and fuzz-tested on the host). Accepts only static x86_64 executables
 * (ET_EXEC) whose PT_LOAD segments lie in [ELF_USER_MIN, ELF_USER_TOP), do not overlap (at
 * page granularity), are not writable and executable at once, fit inside the file, and whose
 * entry point lies in an executable segment. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_USER_MIN     0x10000ULL            /* the first 64 KiB stay unmapped (null) */
#define ELF_USER_TOP     0x00007f0000000000ULL /* stacks and mappings live above */
#define ELF_MAX_MEMORY   (1ULL << 30)          /* all segments together: 1 GiB */

#define ELF_SEGMENT_READ  1u
#define ELF_SEGMENT_WRITE 2u
#define ELF_SEGMENT_EXEC  4u

struct elf_segment {
    uint64_t vaddr;       /* as in the file (not necessarily page-aligned) */
    uint64_t memory_size; /* >= file_size; the rest is zero-filled */
    uint64_t file_offset;
    uint64_t file_size;
    uint32_t flags; /* ELF_SEGMENT_* */
};

struct elf_image {
    uint64_t entry;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    size_t segment_count;
};

/* WG_ERR_OK and *out filled, or WG_ERR_BAD_FORMAT (not an ELF64 x86_64 executable, or a
 * malformed header/table), WG_ERR_NOT_SUPPORTED (dynamic, not ET_EXEC, too many segments),
 * WG_ERR_OUT_OF_RANGE (segment outside the user range, beyond the file, too big, entry not
 * in an executable segment), WG_ERR_ACCESS_DENIED (a writable and executable segment),
 * WG_ERR_ALREADY_EXISTS (overlapping segments). */
enum wg_error elf_parse(const void *image, size_t size, struct elf_image *out);
