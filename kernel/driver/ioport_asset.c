/* I/O-port assets: the port range, and opening it in a space's I/O permission bitmap, which
 * the arch layer loads for the space's tasks at every switch (arch_prepare_switch). */
#include "kernel/driver/ioport_asset.h"
#include "kernel/arch.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/space/asset.h"
#include "kernel/space/space.h"
#include "lib/string.h"

struct ioport_asset {
    struct asset asset;
    uint32_t first, count;
};

static void ioport_asset_destroy(struct asset *asset)
{
    kfree(asset);
}

struct ioport_asset_result ioport_asset_create(uint32_t first, uint32_t count)
{
    struct ioport_asset *ports = kcalloc(1, sizeof(*ports));
    if (!ports)
        return (struct ioport_asset_result){WG_ERR_NO_MEMORY, NULL};
    ports->first = first;
    ports->count = count;
    asset_init(&ports->asset, WG_ASSET_IO_PORT, ioport_asset_destroy);
    return (struct ioport_asset_result){WG_ERR_OK, &ports->asset};
}

enum wg_error ioport_asset_enable(struct space *space, struct asset *asset, bool load_now)
{
    struct ioport_asset *ports = (struct ioport_asset *)asset;
    uint8_t *fresh = !space->io_bitmap ? kmalloc(ARCH_IO_BITMAP_BYTES) : NULL;
    if (fresh)
        memset(fresh, 0xff, ARCH_IO_BITMAP_BYTES); /* a set bit denies the port */
    uint64_t flags = spin_lock_irqsave(&space->lock);
    if (!space->io_bitmap) {
        space->io_bitmap = fresh;
        fresh = NULL;
    }
    for (uint32_t p = ports->first; space->io_bitmap && p < ports->first + ports->count; p++)
        space->io_bitmap[p / 8] &= (uint8_t) ~(1u << (p % 8));
    enum wg_error err = space->io_bitmap ? WG_ERR_OK : WG_ERR_NO_MEMORY;
    spin_unlock_irqrestore(&space->lock, flags);
    kfree(fresh);
    if (err == WG_ERR_OK && load_now) {
        flags = arch_irq_save();
        arch_set_io_bitmap(space->io_bitmap);
        arch_irq_restore(flags);
    }
    return err;
}
