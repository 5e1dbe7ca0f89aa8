/* I/O-port assets: the port range. Opening it in a space, and closing it again when the
 * space lets go of the asset, is the space's business (kernel/space/space_io.c). */
#include "kernel/driver/ioport_asset.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/space/asset.h"
#include "kernel/space/space_io.h"

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
    return space_io_enable(space, asset, ports->first, ports->count, load_now);
}
