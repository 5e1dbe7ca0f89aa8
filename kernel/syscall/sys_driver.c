/* Driver assets: interrupt lines, I/O ports and device memory. Only the root space (init)
 * may create them; init moves them to the services that need them. These handlers decode
 * and check; the assets' logic is in kernel/driver/ (and pmem for device memory). */
#include "kernel/driver/ioport_asset.h"
#include "kernel/driver/irq_asset.h"
#include "kernel/ipc/ipc.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

static struct syscall_result insert_new(struct space *space, struct asset *asset)
{
    struct handle_result handle = space_insert(space, asset);
    asset_put(asset);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}

struct syscall_result sys_IRQ_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args[1] >= IRQ_ASSET_LINES || args[1] == IRQ_ASSET_CASCADE)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, 0);
    struct irq_asset_result irq = irq_asset_create((unsigned)args[1]);
    struct syscall_result result =
        irq.err == WG_ERR_OK ? insert_new(space, irq.asset) : SYSCALL_ERR(irq.err);
    space_put(space);
    return result;
}

struct syscall_result sys_IRQ_BIND(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct asset *irq = space_lookup(space, args[1], WG_ASSET_INTERRUPT, &err);
    struct asset *server = irq ? space_lookup(space, args[2], WG_ASSET_IPC_SERVER, &err) : NULL;
    if (irq && server)
        irq_asset_bind(irq, asset_server(server));
    if (server)
        asset_put(server);
    if (irq)
        asset_put(irq);
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IRQ_ACK(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct asset *irq = space_lookup(space, args[1], WG_ASSET_INTERRUPT, &err);
    if (irq) {
        err = irq_asset_ack(irq);
        asset_put(irq);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IOPORT_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args[2] == 0 || args[1] > 0xffff || args[2] > 0x10000 - args[1])
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, 0);
    struct ioport_asset_result ports = ioport_asset_create((uint32_t)args[1], (uint32_t)args[2]);
    struct syscall_result result =
        ports.err == WG_ERR_OK ? insert_new(space, ports.asset) : SYSCALL_ERR(ports.err);
    space_put(space);
    return result;
}

/* Opens the ports for every task of `space`; the calling task sees them at once. */
struct syscall_result sys_IOPORT_ENABLE(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct asset *ports = space_lookup(space, args[1], WG_ASSET_IO_PORT, &err);
    if (ports) {
        err = ioport_asset_enable(space, ports, space == syscall_space());
        asset_put(ports);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_MMIO_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct pmem *device = pmem_create_device(args[1], args[2], &err);
    struct syscall_result result = device ? insert_new(space, &device->asset) : SYSCALL_ERR(err);
    space_put(space);
    return result;
}
