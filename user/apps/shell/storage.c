/* Storage commands (storage.h). */
#include <wingos.h>

#include "block.h"
#include "pci.h"
#include "args.h"
#include "storage.h"
#include "term.h"

#define DISKS_LISTED 8
#define BLK_MAP      0x440000000000ull

static void print_device(const struct pci_device *d)
{
    term_printf("%02x:%02x.%x %04x:%04x %s (class %02x:%02x:%02x)\n", d->bus, d->device,
                d->function, d->vendor, d->device_id, pci_class_name(d->class_code, d->subclass),
                d->class_code, d->subclass, d->prog_if);
    for (int i = 0; i < PCI_BARS; i++) {
        const struct pci_bar *bar = &d->bars[i];
        if (bar->size)
            term_printf("    BAR%d %s %#llx size %#llx%s%s\n", i,
                        (bar->flags & PCI_BAR_IO) ? "I/O" : "memory", (unsigned long long)bar->base,
                        (unsigned long long)bar->size, (bar->flags & PCI_BAR_64) ? " 64-bit" : "",
                        (bar->flags & PCI_BAR_PREFETCH) ? " prefetchable" : "");
    }
    if (d->cap_count) {
        term_puts("    capabilities:");
        for (int i = 0; i < d->cap_count && i < PCI_CAPS_LISTED; i++)
            term_printf(" %02x@%02x", d->cap_id[i], d->cap_offset[i]);
        term_puts("\n");
    }
}

void storage_lspci(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    wg_handle pci;
    enum wg_error err = wg_connect_by_name(PCI_SERVICE_NAME, &pci);
    struct pci_device device;
    for (uint32_t i = 0; err == WG_ERR_OK; i++) {
        err = pci_device_get(pci, i, &device);
        if (err == WG_ERR_OK)
            print_device(&device);
    }
    if (err != WG_ERR_NOT_FOUND)
        term_printf("error: lspci: %s\n", wg_error_name(err));
    else
        wg_asset_release(WG_SELF, pci);
}

void storage_disks(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    int found = 0;
    for (int i = 0; i < DISKS_LISTED; i++) {
        char name[8];
        uint64_t address;
        snprintf(name, sizeof name, "blk%d", i);
        if (wg_name_lookup(name, &address) != WG_ERR_OK)
            continue;
        struct block_client c;
        enum wg_error err = block_open(name, &c);
        if (err != WG_ERR_OK) {
            term_printf("%s: %s\n", name, wg_error_name(err));
            continue;
        }
        term_printf("%s  %-7s %llu MiB, %llu sectors of %u bytes%s\n", name, c.info.driver,
                    (unsigned long long)(c.info.sectors * c.info.sector_size >> 20),
                    (unsigned long long)c.info.sectors, c.info.sector_size,
                    (c.info.flags & BLOCK_INFO_READ_ONLY) ? ", read-only" : "");
        block_close(&c);
        found++;
    }
    if (!found)
        term_puts("no disks\n");
}

static bool parse_u64(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    if (!*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || value > UINT64_MAX / 10)
            return false;
        value = value * 10 + (uint64_t)(*text - '0');
    }
    *out = value;
    return true;
}

static void hex_dump(const uint8_t *bytes, uint32_t size)
{
    for (uint32_t at = 0; at < size; at += 16) {
        term_printf("%04x ", at);
        for (uint32_t i = 0; i < 16; i++)
            term_printf(" %02x", bytes[at + i]);
        term_puts("  ");
        for (uint32_t i = 0; i < 16; i++)
            term_printf("%c", bytes[at + i] >= 32 && bytes[at + i] < 127 ? bytes[at + i] : '.');
        term_puts("\n");
    }
}

void storage_blk(int argc, char **argv)
{
    uint64_t lba;
    if (argc != 4 || strcmp(argv[1], "read") != 0 || !parse_u64(argv[3], &lba)) {
        term_puts("usage: blk read DEV LBA\n");
        return;
    }
    struct block_client c;
    enum wg_error err = block_open(argv[2], &c);
    if (err == WG_ERR_OK) {
        err = block_attach(&c, 2, BLK_MAP);
        if (err == WG_ERR_OK) {
            *(struct block_request *)c.buffer =
                (struct block_request){BLOCK_READ, 0, lba, 1, 0, 4096};
            err = block_run(&c, 0, 1);
        }
        if (err == WG_ERR_OK)
            hex_dump(c.buffer + 4096, c.info.sector_size);
        block_close(&c);
    }
    if (err != WG_ERR_OK)
        term_printf("error: blk read %s %s: %s\n", argv[2], argv[3], wg_error_name(err));
}
