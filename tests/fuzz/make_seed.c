/* Writes the fuzzers' seed corpora: a minimal valid static x86_64 ELF executable (a text and a
 * data segment) for fuzz_elf, and a short operation program for fuzz_handle_table.
 * Usage: make_seed ELF_DIR HANDLE_TABLE_DIR */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT_OFFSET 176 /* after the file header (64) and two program headers (2 x 56) */
#define TEXT_SIZE   16
#define DATA_SIZE   16
#define FILE_SIZE   (TEXT_OFFSET + TEXT_SIZE + DATA_SIZE)

static uint8_t elf[FILE_SIZE];

static void put(size_t at, uint64_t value, size_t width)
{
    for (size_t i = 0; i < width; i++)
        elf[at + i] = (uint8_t)(value >> (8 * i));
}

/* One program header: type, flags, offset, vaddr, paddr, filesz, memsz, align. */
static void program_header(int n, uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz,
                           uint64_t memsz)
{
    size_t at = 64 + (size_t)n * 56;
    put(at, 1, 4); /* PT_LOAD */
    put(at + 4, flags, 4);
    put(at + 8, offset, 8);
    put(at + 16, vaddr, 8);
    put(at + 24, vaddr, 8);
    put(at + 32, filesz, 8);
    put(at + 40, memsz, 8);
    put(at + 48, 4096, 8);
}

static int write_file(const char *dir, const char *name, const void *data, size_t size)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *file = fopen(path, "wb");
    if (file == NULL || fwrite(data, 1, size, file) != size || fclose(file) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ELF_DIR HANDLE_TABLE_DIR\n", argv[0]);
        return 2;
    }
    memcpy(elf, "\177ELF\x02\x01\x01", 7); /* ELFCLASS64, ELFDATA2LSB, EV_CURRENT */
    put(16, 2, 2);                         /* ET_EXEC */
    put(18, 62, 2);                        /* EM_X86_64 */
    put(20, 1, 4);                         /* EV_CURRENT */
    put(24, 0x401000 + TEXT_OFFSET, 8);    /* entry: the start of the text */
    put(32, 64, 8);                        /* phoff */
    put(52, 64, 2);                        /* ehsize */
    put(54, 56, 2);                        /* phentsize */
    put(56, 2, 2);                         /* phnum */
    program_header(0, 5, TEXT_OFFSET, 0x401000 + TEXT_OFFSET, TEXT_SIZE, TEXT_SIZE); /* R X */
    program_header(1, 6, TEXT_OFFSET + TEXT_SIZE, 0x600000 + TEXT_OFFSET + TEXT_SIZE, DATA_SIZE,
                   0x2000);                     /* R W, with bss */
    memset(elf + TEXT_OFFSET, 0xf4, TEXT_SIZE); /* hlt */

    /* limit 40; insert x3, lookup, remove, stale, pop, for_each, age, insert, made-up. */
    static const uint8_t program[] = {39, 0, 1, 0, 2, 1, 3, 3, 1, 2, 0, 4, 0, 6,
                                      7,  8, 0, 0, 9, 5, 1, 1, 0, 1, 2, 3, 0};
    return write_file(argv[1], "valid.elf", elf, sizeof(elf)) |
           write_file(argv[2], "program", program, sizeof(program));
}
