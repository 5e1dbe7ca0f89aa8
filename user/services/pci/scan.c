/* Bus enumeration (scan.h). */
#include "scan.h"
#include "bar.h"

#define REG_ID      0x00
#define REG_COMMAND 0x04
#define REG_CLASS   0x08
#define REG_HEADER  0x0c
#define REG_BAR0    0x10
#define REG_CAPS    0x34
#define STATUS_CAPS (1u << 20) /* in the command/status dword */
#define DECODE_BITS 3u         /* command: I/O space, memory space */
#define CAPS_MAX    48         /* a looping list is cut here */

struct function {
    const struct pci_config *config;
    unsigned bus, device, function;
};

static uint32_t rd(const struct function *f, unsigned offset)
{
    return pci_config_read(f->config, f->bus, f->device, f->function, offset);
}

static void wr(const struct function *f, unsigned offset, uint32_t value)
{
    pci_config_write(f->config, f->bus, f->device, f->function, offset, value);
}

/* Writes all ones to a BAR slot and returns what it reads back, restoring the slot. */
static uint32_t probe(const struct function *f, unsigned offset, uint32_t original)
{
    wr(f, offset, 0xffffffffu);
    uint32_t mask = rd(f, offset);
    wr(f, offset, original);
    return mask;
}

static void scan_bars(const struct function *f, struct pci_device *out)
{
    uint32_t command = rd(f, REG_COMMAND);
    wr(f, REG_COMMAND, command & ~DECODE_BITS); /* no half-written BAR decodes meanwhile */
    for (unsigned slot = 0; slot < PCI_BARS; slot++) {
        unsigned offset = REG_BAR0 + slot * 4;
        uint32_t low = rd(f, offset), low_mask = probe(f, offset, low);
        bool wide = pci_bar_is_64(low) && slot + 1 < PCI_BARS;
        uint32_t high = wide ? rd(f, offset + 4) : 0;
        uint32_t high_mask = wide ? probe(f, offset + 4, high) : 0;
        bool uses_next;
        pci_bar_decode(low, low_mask, high, high_mask, &out->bars[slot], &uses_next);
        slot += uses_next;
    }
    wr(f, REG_COMMAND, command & 0xffff);
}

static void scan_caps(const struct function *f, struct pci_device *out)
{
    if (!(rd(f, REG_COMMAND) & STATUS_CAPS))
        return;
    unsigned at = rd(f, REG_CAPS) & 0xfc;
    for (unsigned n = 0; at >= 0x40 && n < CAPS_MAX; n++) {
        uint32_t header = rd(f, at);
        if (out->cap_count < PCI_CAPS_LISTED) {
            out->cap_id[out->cap_count] = (uint8_t)header;
            out->cap_offset[out->cap_count] = (uint8_t)at;
        }
        out->cap_count++;
        at = (header >> 8) & 0xfc;
    }
}

static void describe(const struct function *f, uint32_t id, struct pci_device *out)
{
    uint32_t class_reg = rd(f, REG_CLASS), header = rd(f, REG_HEADER);
    *out = (struct pci_device){
        .bus = (uint8_t)f->bus,
        .device = (uint8_t)f->device,
        .function = (uint8_t)f->function,
        .vendor = (uint16_t)id,
        .device_id = (uint16_t)(id >> 16),
        .revision = (uint8_t)class_reg,
        .prog_if = (uint8_t)(class_reg >> 8),
        .subclass = (uint8_t)(class_reg >> 16),
        .class_code = (uint8_t)(class_reg >> 24),
        .header_type = (uint8_t)(header >> 16),
        .ecam_page = pci_config_page(f->config, f->bus, f->device, f->function),
    };
    if ((out->header_type & 0x7f) == 0) /* bridges' BARs and windows are not drivers' */
        scan_bars(f, out);
    scan_caps(f, out);
}

size_t pci_scan(const struct pci_config *config, struct pci_device *devices)
{
    size_t count = 0;
    for (unsigned bus = 0; bus < config->buses; bus++) {
        for (unsigned device = 0; device < 32; device++) {
            for (unsigned function = 0; function < 8 && count < PCI_SCAN_MAX; function++) {
                struct function f = {config, bus, device, function};
                uint32_t id = rd(&f, REG_ID);
                if ((id & 0xffff) == 0xffff) {
                    if (function == 0)
                        break;
                    continue;
                }
                describe(&f, id, &devices[count++]);
                if (function == 0 && !(devices[count - 1].header_type & 0x80))
                    break; /* not multi-function */
            }
        }
    }
    return count;
}
