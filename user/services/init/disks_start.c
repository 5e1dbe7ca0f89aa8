/* Starting the PCI service and the disk drivers (disks_start.h). Each new space gets its
 * assets moved in before its program starts, with their handle values as arguments. */
#include "disks_start.h"
#include "user/lib/pci.h"

#define PCI_MAX_BUSES 16  /* of the ECAM window mapped for the PCI service (16 MiB) */
#define DMA_PAGES     520 /* rings, headers and 64 bounce slots of 32 KiB (drivers' layout) */
#define PAGE_SIZE     4096ull
#define ARGS_MAX      12
#define CONFIG_MAPS   0x430000000000ull /* driver i's configuration page at + i pages */
#define CMD_MASTER    (1u << 2)

static struct disk_driver drivers[DISKS_MAX];
static int driver_count;
static struct wg_process pci_process;

struct launch {
    wg_handle space;
    int argc;
    const char *argv[ARGS_MAX];
    char text[ARGS_MAX][24];
};

/* Moves a just-created asset into the launch's space and appends its handle there as the
 * next argument (or "0" for `created` = an absent asset with err NOT_FOUND). */
static enum wg_error add_asset(struct launch *l, struct wg_result created)
{
    uint64_t handle = 0;
    if (created.err != WG_ERR_OK && created.err != WG_ERR_NOT_FOUND)
        return created.err;
    if (created.err == WG_ERR_OK) {
        struct wg_result moved = wg_asset_move(WG_SELF, created.value, l->space);
        if (!wg_ok(moved)) {
            wg_asset_release(WG_SELF, created.value);
            return moved.err;
        }
        handle = moved.value;
    }
    snprintf(l->text[l->argc], sizeof l->text[0], "%llu", (unsigned long long)handle);
    l->argv[l->argc] = l->text[l->argc];
    l->argc++;
    return WG_ERR_OK;
}

static void add_text(struct launch *l, const char *text)
{
    l->argv[l->argc++] = text;
}

/* Starts the program of `l` (argv[0]) in its space; destroys the space on failure. */
static enum wg_error launch(struct launch *l, enum wg_error err, struct wg_process *out)
{
    wg_handle task = 0;
    if (err == WG_ERR_OK)
        err = wg_spawn_in(l->space, l->argv[0], l->argc, l->argv, &task);
    if (err != WG_ERR_OK) {
        wg_space_destroy(WG_SELF, l->space);
        return err;
    }
    *out = (struct wg_process){l->space, task};
    return WG_ERR_OK;
}

static enum wg_error start_pci(void)
{
    struct launch l = {0};
    struct wg_result space = wg_space_create(WG_SELF, 0);
    if (!wg_ok(space))
        return space.err;
    l.space = space.value;
    add_text(&l, "pci");
    struct wg_pci_ecam ecam;
    enum wg_error err;
    if (wg_ok(wg_pci_ecam(&ecam))) {
        unsigned buses = ecam.last_bus + 1u < PCI_MAX_BUSES ? ecam.last_bus + 1u : PCI_MAX_BUSES;
        add_text(&l, "ecam");
        err = add_asset(&l, wg_mmio_create(WG_SELF, ecam.base, buses * 256ull));
        snprintf(l.text[l.argc], sizeof l.text[0], "%u", buses);
        add_text(&l, l.text[l.argc]);
        snprintf(l.text[l.argc], sizeof l.text[0], "%llu", (unsigned long long)ecam.base);
        add_text(&l, l.text[l.argc]);
    } else {
        add_text(&l, "ports");
        err = add_asset(&l, wg_ioport_create(WG_SELF, 0xcf8, 8));
    }
    return launch(&l, err, &pci_process);
}

/* The device's BAR `index` as device memory or I/O ports; NOT_FOUND when unused. */
static struct wg_result bar_asset(const struct pci_device *device, int index)
{
    const struct pci_bar *bar = &device->bars[index];
    if (bar->size == 0)
        return (struct wg_result){WG_ERR_NOT_FOUND, 0};
    if (bar->flags & PCI_BAR_IO)
        return wg_ioport_create(WG_SELF, (uint32_t)bar->base, (uint32_t)bar->size);
    return wg_mmio_create(WG_SELF, bar->base & ~(PAGE_SIZE - 1),
                          (bar->size + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* Keeps what init needs to stop the device later (see struct disk_driver): a mapping of
 * the configuration page and a copy of the DMA memory. Returns `created` for add_asset. */
static struct wg_result keep(struct wg_result created, struct disk_driver *driver, bool config)
{
    if (!wg_ok(created))
        return created;
    int index = (int)(driver - drivers);
    uintptr_t address = CONFIG_MAPS + (uint64_t)index * 4096;
    struct wg_result kept =
        config ? wg_vmem_map(WG_SELF, created.value, address, WG_MAP_READ | WG_MAP_WRITE)
               : wg_asset_copy(WG_SELF, created.value, WG_SELF);
    if (!wg_ok(kept)) {
        wg_asset_release(WG_SELF, created.value);
        return kept;
    }
    if (config) {
        driver->config_map = kept.value;
        driver->config = (volatile uint32_t *)address;
    } else {
        driver->dma_keep = kept.value;
    }
    return created;
}

/* Stops the device's DMA (bus mastering off), then lets its DMA memory go. */
static void release_kept(struct disk_driver *driver)
{
    if (driver->config)
        driver->config[1] = driver->config[1] & 0xffff & ~CMD_MASTER;
    if (driver->config_map)
        wg_asset_release(WG_SELF, driver->config_map);
    if (driver->dma_keep)
        wg_asset_release(WG_SELF, driver->dma_keep);
    driver->config = NULL;
    driver->config_map = driver->dma_keep = 0;
}

/* Arguments: PROGRAM NAME CONFIG DMA MSI BAR0..BAR5 (handles; 0 for an unused BAR). */
static enum wg_error start_driver(const char *program, const struct pci_device *device)
{
    struct disk_driver *driver = &drivers[driver_count];
    struct launch l = {0};
    struct wg_result space = wg_space_create(WG_SELF, 0);
    if (!wg_ok(space))
        return space.err;
    l.space = space.value;
    *driver = (struct disk_driver){0};
    snprintf(driver->name, sizeof driver->name, "blk%d", driver_count);
    add_text(&l, program);
    add_text(&l, driver->name);
    enum wg_error err =
        add_asset(&l, keep(wg_mmio_create(WG_SELF, device->ecam_page, 1), driver, true));
    if (err == WG_ERR_OK)
        err = add_asset(&l, keep(wg_pmem_create(WG_SELF, DMA_PAGES, WG_PMEM_DMA, WG_PMEM_ANY_NODE),
                                 driver, false));
    if (err == WG_ERR_OK)
        err = add_asset(&l, wg_msi_create(WG_SELF));
    for (int i = 0; i < PCI_BARS && err == WG_ERR_OK; i++)
        err = add_asset(&l, bar_asset(device, i));
    err = launch(&l, err, &driver->process);
    if (err != WG_ERR_OK)
        release_kept(driver);
    if (err == WG_ERR_OK) {
        driver->program = program;
        driver_count++;
    }
    return err;
}

static const char *driver_for(const struct pci_device *d)
{
    if (d->vendor == PCI_VENDOR_VIRTIO && d->device_id == PCI_DEVICE_VIRTIO_BLK)
        return "virtio_blk";
    if (d->class_code == PCI_CLASS_STORAGE && d->subclass == PCI_SUBCLASS_NVME && d->prog_if == 2)
        return "nvme";
    return NULL;
}

bool disks_start_pci(void)
{
    enum wg_error err = start_pci();
    if (err != WG_ERR_OK)
        printf("init: cannot start the PCI service: %s\n", wg_error_name(err));
    return err == WG_ERR_OK;
}

int disks_start(void)
{
    return disks_start_pci() ? disks_start_drivers() : 0;
}

/* Connects to the PCI service, waiting up to 5 s for it to register. */
static enum wg_error connect_pci(wg_handle *pci)
{
    enum wg_error err = wg_connect_by_name(PCI_SERVICE_NAME, pci);
    for (int tries = 0; err == WG_ERR_NOT_FOUND && tries < 500; tries++) {
        wg_sleep(10000000ull);
        err = wg_connect_by_name(PCI_SERVICE_NAME, pci);
    }
    return err;
}

int disks_start_drivers(void)
{
    wg_handle pci;
    enum wg_error err = connect_pci(&pci);
    if (err != WG_ERR_OK) {
        printf("init: no PCI service: %s\n", wg_error_name(err));
        return 0;
    }
    struct pci_device device;
    for (uint32_t i = 0; driver_count < DISKS_MAX && pci_device_get(pci, i, &device) == WG_ERR_OK;
         i++) {
        const char *program = driver_for(&device);
        if (!program)
            continue;
        if (device.ecam_page == 0) {
            printf("init: %02x:%02x.%x: no ECAM page to give its driver; skipped\n", device.bus,
                   device.device, device.function);
            continue;
        }
        err = start_driver(program, &device);
        if (err != WG_ERR_OK)
            printf("init: cannot start %s for %02x:%02x.%x: %s\n", program, device.bus,
                   device.device, device.function, wg_error_name(err));
    }
    wg_asset_release(WG_SELF, pci);
    return driver_count;
}

void disks_stop(struct disk_driver *driver)
{
    if (driver->process.space)
        wg_process_destroy(&driver->process);
    release_kept(driver);
}

void disks_stop_all(void)
{
    for (int i = 0; i < driver_count; i++)
        disks_stop(&drivers[i]);
    driver_count = 0;
}

struct disk_driver *disks_started(int *count)
{
    *count = driver_count;
    return drivers;
}
