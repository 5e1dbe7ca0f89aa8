/* Writes the fuzzers' seed corpora: a minimal valid static x86_64 ELF executable (a text and a
 * data segment) for fuzz_elf, a short operation program for fuzz_handle_table, a ustar
 * archive of one file for fuzz_ustar, and ACPI tables (RSDP, RSDT, MADT with two CPUs and an
 * I/O APIC, SLIT) laid out from physical 0x1000 for fuzz_acpi.
 * Usage: make_seed ELF_DIR HANDLE_TABLE_DIR USTAR_DIR ACPI_DIR */
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

static uint8_t tar[4 * 512];

/* One regular file "sysfuzz" of 5 bytes, then the two zero blocks that end an archive. */
static void make_tar(void)
{
    memcpy(tar, "sysfuzz", 7);
    memcpy(tar + 100, "0000444", 7);
    memcpy(tar + 124, "00000000005", 11);
    memcpy(tar + 136, "00000000000", 11);
    tar[156] = '0';
    memcpy(tar + 257, "ustar", 6);
    memcpy(tar + 263, "00", 2);
    memset(tar + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += tar[i];
    snprintf((char *)tar + 148, 8, "%06o", sum);
    tar[155] = ' ';
    memcpy(tar + 512, "hello", 5);
}

#define ACPI_BASE 0x1000u
static uint8_t acpi[0x300];

static void acpi_put(size_t phys, uint64_t value, size_t width)
{
    for (size_t i = 0; i < width; i++)
        acpi[phys - ACPI_BASE + i] = (uint8_t)(value >> (8 * i));
}

/* A table header at `phys`; the checksum byte makes the `length` bytes sum to 0. */
static void acpi_table(size_t phys, const char *signature, uint32_t length)
{
    uint8_t *t = acpi + (phys - ACPI_BASE), sum = 0;
    memcpy(t, signature, 4);
    acpi_put(phys + 4, length, 4);
    t[8] = 1;
    memcpy(t + 10, "WINGOS", 6);
    t[9] = 0;
    for (uint32_t i = 0; i < length; i++)
        sum = (uint8_t)(sum + t[i]);
    t[9] = (uint8_t)-sum;
}

static void make_acpi(void)
{
    memcpy(acpi, "RSD PTR ", 8);
    memcpy(acpi + 9, "WINGOS", 6);
    acpi_put(ACPI_BASE + 16, 0x1040, 4); /* revision 0: the RSDT */
    uint8_t sum = 0;
    for (int i = 0; i < 20; i++)
        sum = (uint8_t)(sum + acpi[i]);
    acpi[8] = (uint8_t)-sum;
    acpi_put(0x1100 + 36, 0xfee00000u, 4); /* MADT: local APIC address, flags */
    acpi_put(0x1100 + 40, 1, 4);
    for (unsigned cpu = 0; cpu < 2; cpu++) { /* processor local APIC: uid, id, enabled */
        size_t at = 0x1100 + 44 + cpu * 8;
        acpi_put(at, 0, 1), acpi_put(at + 1, 8, 1), acpi_put(at + 2, cpu, 1);
        acpi_put(at + 3, cpu, 1), acpi_put(at + 4, 1, 4);
    }
    acpi_put(0x1100 + 60, 1, 1), acpi_put(0x1100 + 61, 12, 1); /* I/O APIC */
    acpi_put(0x1100 + 64, 0xfec00000u, 4);
    acpi_table(0x1100, "APIC", 72);
    acpi_put(0x1200 + 36, 2, 8); /* SLIT: 2 localities */
    acpi_put(0x1200 + 44, 0x0a14140a, 4);
    acpi_table(0x1200, "SLIT", 48);
    acpi_put(0x1040 + 36, 0x1100, 4); /* RSDT: the MADT and the SLIT */
    acpi_put(0x1040 + 40, 0x1200, 4);
    acpi_table(0x1040, "RSDT", 44);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s ELF_DIR HANDLE_TABLE_DIR USTAR_DIR ACPI_DIR\n", argv[0]);
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
    make_tar();
    make_acpi();
    return write_file(argv[1], "valid.elf", elf, sizeof(elf)) |
           write_file(argv[2], "program", program, sizeof(program)) |
           write_file(argv[3], "one_file.tar", tar, sizeof(tar)) |
           write_file(argv[4], "machine", acpi, sizeof(acpi));
}
