/* libFuzzer target for kernel/exec/elf.c: any byte string goes to elf_parse, and whenever it
 * says OK the result must satisfy everything the loader relies on; abort() otherwise. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/exec/elf.h"

#define PAGE 4096ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
    if (!condition)
        abort();
}

/* One segment on its own: inside the file, inside the user range, mappable page by page. */
static void check_segment(const struct elf_segment *s, size_t size)
{
    require(s->memory_size > 0 && s->file_size <= s->memory_size);
    require(s->file_offset <= size && s->file_size <= size - s->file_offset);
    require(s->vaddr >= ELF_USER_MIN && s->vaddr < ELF_USER_TOP);
    require(s->memory_size <= ELF_USER_TOP - s->vaddr);
    require(s->vaddr % PAGE == s->file_offset % PAGE);
    require((s->flags & ~(uint32_t)(ELF_SEGMENT_READ | ELF_SEGMENT_WRITE | ELF_SEGMENT_EXEC)) == 0);
    require(!((s->flags & ELF_SEGMENT_WRITE) && (s->flags & ELF_SEGMENT_EXEC)));
}

static uint64_t first_page(const struct elf_segment *s)
{
    return s->vaddr / PAGE;
}

static uint64_t end_page(const struct elf_segment *s)
{
    return (s->vaddr + s->memory_size + PAGE - 1) / PAGE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image image;
    memset(&image, 0xa5, sizeof(image));
    if (elf_parse(data, size, &image) != WG_ERR_OK)
        return 0;

    require(image.segment_count >= 1 && image.segment_count <= ELF_MAX_SEGMENTS);
    uint64_t pages = 0;
    int entry_ok = 0;
    for (size_t i = 0; i < image.segment_count; i++) {
        const struct elf_segment *s = &image.segments[i];
        check_segment(s, size);
        for (size_t j = 0; j < i; j++) {
            const struct elf_segment *t = &image.segments[j];
            require(end_page(s) <= first_page(t) || end_page(t) <= first_page(s));
        }
        pages += end_page(s) - first_page(s);
        if ((s->flags & ELF_SEGMENT_EXEC) && image.entry >= s->vaddr &&
            image.entry - s->vaddr < s->memory_size)
            entry_ok = 1;
    }
    require(pages * PAGE <= ELF_MAX_MEMORY);
    require(entry_ok);
    return 0;
}
