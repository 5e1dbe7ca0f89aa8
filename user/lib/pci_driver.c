/* A PCI driver's start (pci_driver.h). */
#include "pci_driver.h"
#include "printf.h"
#include "result.h"
#include "syscall.h"

#define CONFIG_ADDRESS 0x300000000000ull
#define DMA_ADDRESS    0x310000000000ull
#define BAR_ADDRESS    0x320000000000ull /* BAR i at + i * BAR_SPAN */
#define BAR_SPAN       0x10000000000ull
#define ARG_COUNT      11
#define CMD_MEMORY     (1u << 1)
#define CMD_MASTER     (1u << 2)
#define CMD_NO_INTX    (1u << 10)
#define MSIX_ENABLE    (1u << 15)
#define MSIX_MASK_ALL  (1u << 14)

static bool parse(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    for (; *text >= '0' && *text <= '9'; text++)
        value = value * 10 + (uint64_t)(*text - '0');
    *out = value;
    return *text == 0;
}

/* Maps `handle` at `address`; its size in *size. */
static enum wg_error map(uint64_t handle, uintptr_t address, uint64_t *size)
{
    struct wg_asset_info info;
    enum wg_error err = wg_asset_info(WG_SELF, handle, &info).err;
    if (err == WG_ERR_OK)
        err = wg_vmem_map(WG_SELF, handle, address, WG_MAP_READ | WG_MAP_WRITE).err;
    *size = info.size;
    return err;
}

static enum wg_error open_assets(const uint64_t *h, struct pci_driver *d)
{
    uint64_t size;
    enum wg_error err = map(h[0], CONFIG_ADDRESS, &size);
    if (err == WG_ERR_OK)
        err = map(h[1], DMA_ADDRESS, &d->dma_size);
    struct wg_result phys = wg_pmem_phys_addr(WG_SELF, h[1]);
    if (err == WG_ERR_OK)
        err = phys.err;
    if (err == WG_ERR_OK)
        err = wg_msi_message(WG_SELF, h[2], &d->message).err;
    for (int i = 0; i < PCI_BARS && err == WG_ERR_OK; i++)
        if (h[3 + i] != 0)
            err = map(h[3 + i], BAR_ADDRESS + (uint64_t)i * BAR_SPAN, &d->bar_size[i]);
    d->config = (volatile uint8_t *)CONFIG_ADDRESS;
    d->dma = (uint8_t *)DMA_ADDRESS;
    d->dma_phys = phys.value;
    d->msi = h[2];
    for (int i = 0; i < PCI_BARS; i++)
        d->bar[i] = h[3 + i] ? (volatile uint8_t *)(BAR_ADDRESS + (uint64_t)i * BAR_SPAN) : 0;
    return err;
}

bool pci_driver_open(int argc, char **argv, struct pci_driver *out)
{
    uint64_t handles[ARG_COUNT - 2];
    bool ok = argc == ARG_COUNT;
    for (int i = 2; ok && i < ARG_COUNT; i++)
        ok = parse(argv[i], &handles[i - 2]);
    if (!ok) {
        printf("%s: usage: %s NAME CONFIG DMA MSI BAR0..BAR5\n", argv[0], argv[0]);
        return false;
    }
    *out = (struct pci_driver){.name = argv[1]};
    enum wg_error err = open_assets(handles, out);
    if (err != WG_ERR_OK) {
        printf("%s: cannot map its assets: %s\n", argv[0], wg_error_name(err));
        return false;
    }
    uint32_t command = pci_cfg_read32(out, 4) & 0xffff;
    pci_cfg_write32(out, 4, command | CMD_MEMORY | CMD_MASTER | CMD_NO_INTX);
    return true;
}

unsigned pci_driver_find_cap(const struct pci_driver *driver, uint8_t id, unsigned after)
{
    if (!(pci_cfg_read32(driver, 4) & (1u << 20)))
        return 0;
    unsigned at =
        after ? (pci_cfg_read32(driver, after) >> 8) & 0xfc : pci_cfg_read32(driver, 0x34) & 0xfc;
    for (int n = 0; at >= 0x40 && n < 48; n++) {
        uint32_t header = pci_cfg_read32(driver, at);
        if ((header & 0xff) == id)
            return at;
        at = (header >> 8) & 0xfc;
    }
    return 0;
}

bool pci_driver_enable_msix(struct pci_driver *d)
{
    unsigned cap = pci_driver_find_cap(d, PCI_CAP_MSIX, 0);
    if (!cap)
        return false;
    uint32_t control = pci_cfg_read32(d, cap) >> 16, table = pci_cfg_read32(d, cap + 4);
    unsigned bir = table & 7, entries = (control & 0x7ff) + 1;
    uint64_t offset = table & ~7u;
    if (bir >= PCI_BARS || !d->bar[bir] || offset + entries * 16ull > d->bar_size[bir])
        return false;
    volatile uint32_t *entry = (volatile uint32_t *)(d->bar[bir] + offset);
    pci_cfg_write32(d, cap, (control | MSIX_ENABLE | MSIX_MASK_ALL) << 16);
    for (unsigned i = 0; i < entries; i++)
        entry[i * 4 + 3] = 1; /* masked: only entry 0 may interrupt */
    entry[0] = (uint32_t)d->message.address;
    entry[1] = (uint32_t)(d->message.address >> 32);
    entry[2] = d->message.data;
    entry[3] = 0;
    pci_cfg_write32(d, cap, ((control | MSIX_ENABLE) & ~MSIX_MASK_ALL) << 16);
    return true;
}
