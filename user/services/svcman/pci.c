/* PCI entries (svcman.h): once the PCI service is registered, every function it lists that
 * a PCI entry matches (`grant pci VVVV:DDDD` or `grant pci class CC:SS:PP`, the first entry
 * in the file wins) becomes an instance numbered in PCI order per name pattern ("blk#"),
 * granted exactly that device: its 4 KiB configuration page, DMA memory, one MSI vector and
 * its BARs. Arguments: NAME CONFIG DMA MSI BAR0..BAR5 (user/lib/pci_driver.c). */
#include "svcman.h"
#include "user/lib/test/rootcall.h"

#define DMA_PAGES   520 /* rings, headers and 64 bounce slots of 32 KiB (the drivers' layout) */
#define PAGE_SIZE   4096ull
#define CONFIG_MAPS 0x430000000000ull /* instance i's configuration page at + i pages */

static bool matches(const struct svc_grant *g, const struct pci_device *d)
{
    if (g->kind == SVC_GRANT_PCI_ID)
        return d->vendor == g->a && d->device_id == g->b;
    return g->kind == SVC_GRANT_PCI_CLASS && d->class_code == g->a && d->subclass == g->b &&
           d->prog_if == g->c;
}

/* The first PCI entry (not blocked) that matches `d`, or -1. */
static int entry_for(const struct pci_device *d)
{
    for (int i = 0; i < svcman.config.count; i++)
        for (int g = 0; g < svcman.config.entries[i].grants_count && !svcman.blocked[i]; g++)
            if (matches(&svcman.config.entries[i].grants[g], d))
                return i;
    return -1;
}

/* The next number of `entry`'s first numbered name: instances so far with that pattern. */
static int next_number(int entry)
{
    const struct svc_entry *e = &svcman.config.entries[entry];
    int count = 0;
    for (int i = 0; i < svcman.count; i++) {
        const struct svc_entry *other = &svcman.config.entries[svcman.instances[i].entry];
        for (int p = 0; p < other->provides_count && e->provides_count > 0; p++)
            count += strcmp(other->provides[p], e->provides[0]) == 0;
    }
    return count;
}

static struct wg_result bar_asset(const struct pci_bar *bar)
{
    if (bar->flags & PCI_BAR_IO)
        return svcman_asset(ROOTCALL_IOPORT_CREATE, bar->base, bar->size, 0);
    return svcman_asset(ROOTCALL_MMIO_CREATE, bar->base & ~(PAGE_SIZE - 1),
                        (bar->size + PAGE_SIZE - 1) / PAGE_SIZE, 0);
}

/* Makes the device's assets, keeps them and maps its configuration page here. */
static enum wg_error acquire_device(struct svc_instance *s, int slot)
{
    svcman_item(s, -1, s->provides[0][0] ? s->provides[0] : s->name);
    enum wg_error err =
        svcman_keep(s, svcman_asset(ROOTCALL_MMIO_CREATE, s->device.ecam_page, 1, 0));
    uintptr_t address = CONFIG_MAPS + (uint64_t)slot * PAGE_SIZE;
    struct wg_result map = {err, 0};
    if (err == WG_ERR_OK)
        map = wg_vmem_map(WG_SELF, s->assets[0], address, WG_MAP_READ | WG_MAP_WRITE);
    if (wg_ok(map)) {
        s->config_map = map.value;
        s->config = (volatile uint32_t *)address;
    }
    err = map.err;
    if (err == WG_ERR_OK)
        err = svcman_keep(
            s, svcman_asset(ROOTCALL_PMEM_CREATE, DMA_PAGES, WG_PMEM_DMA, WG_PMEM_ANY_NODE));
    if (err == WG_ERR_OK)
        err = svcman_keep(s, svcman_asset(ROOTCALL_MSI_CREATE, 0, 0, 0));
    for (int i = 0; i < PCI_BARS && err == WG_ERR_OK; i++)
        err = s->device.bars[i].size == 0
                  ? (svcman_item(s, -1, "0") ? WG_ERR_OK : WG_ERR_OUT_OF_RANGE)
                  : svcman_keep(s, bar_asset(&s->device.bars[i]));
    s->acquired = err == WG_ERR_OK;
    return err;
}

/* Drops the instance just added (the last one) and whatever of its device it was given. */
static void forget_last(struct svc_instance *s)
{
    if (s->config_map)
        wg_asset_release(WG_SELF, s->config_map);
    for (int i = 0; i < s->asset_count; i++)
        wg_asset_release(WG_SELF, s->assets[i]);
    memset(s, 0, sizeof *s);
    svcman.count--;
}

/* Fills the instance's names and assets for device `d`. */
static void add_device(int entry, const struct pci_device *d)
{
    const struct svc_entry *e = &svcman.config.entries[entry];
    int number = next_number(entry);
    struct svc_instance *s = svcman_add(entry);
    if (!s) {
        printf("svcman: %s: no room for another instance\n", e->name);
        return;
    }
    s->pci = true;
    s->device = *d;
    snprintf(s->name, sizeof s->name, "%s%d", e->name, number);
    for (int p = 0; p < e->provides_count; p++) {
        size_t stem = strlen(e->provides[p]) - 1;
        snprintf(s->provides[p], sizeof s->provides[p], "%.*s%d", (int)stem, e->provides[p],
                 number);
    }
    enum wg_error err =
        d->ecam_page ? acquire_device(s, (int)(s - svcman.instances)) : WG_ERR_NOT_SUPPORTED;
    if (err != WG_ERR_OK) { /* skipped, as if absent: "blk#" needs do not wait for it */
        printf("svcman: %02x:%02x.%x: cannot grant its device to %s (%s); skipped\n", d->bus,
               d->device, d->function, e->program, wg_error_name(err));
        forget_last(s);
    }
}

bool svcman_enumerate(void)
{
    wg_handle pci;
    if (wg_connect_by_name(PCI_SERVICE_NAME, &pci) != WG_ERR_OK)
        return false;
    struct pci_device device;
    for (uint32_t i = 0; pci_device_get(pci, i, &device) == WG_ERR_OK; i++) {
        int entry = entry_for(&device);
        if (entry >= 0 && !svcman.enumerated[entry])
            add_device(entry, &device);
    }
    wg_asset_release(WG_SELF, pci);
    for (int i = 0; i < svcman.config.count; i++)
        for (int g = 0; g < svcman.config.entries[i].grants_count; g++)
            if (svcman.config.entries[i].grants[g].kind == SVC_GRANT_PCI_ID ||
                svcman.config.entries[i].grants[g].kind == SVC_GRANT_PCI_CLASS)
                svcman.enumerated[i] = true;
    return true;
}
