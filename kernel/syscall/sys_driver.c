/* Driver assets: interrupt lines, I/O ports and device memory. Only the root space (init)
 * may create them; init moves them to the services that need them. These handlers decode
 * and check; the assets' logic is in kernel/driver/ (and pmem for device memory). */
#include "kernel/driver/ioport_asset.h"
#include "kernel/driver/irq_asset.h"
#include "kernel/ipc/ipc.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_result sys_IRQ_CREATE(const struct sys_irq_create_args *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args->irq >= IRQ_ASSET_LINES || args->irq == IRQ_ASSET_CASCADE)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct irq_asset_result irq = irq_asset_create((unsigned)args->irq);
    struct syscall_result result =
        irq.err == WG_ERR_OK ? syscall_insert_new(space, irq.asset) : SYSCALL_ERR(irq.err);
    space_put(space);
    return result;
}

struct syscall_result sys_IRQ_BIND(const struct sys_irq_bind_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result irq_found =
        space_lookup(space, args->interrupt, WG_ASSET_INTERRUPT, WG_RIGHT_USE);
    struct asset_result server_found = {.err = irq_found.err};
    if (irq_found.err == WG_ERR_OK)
        server_found = space_lookup(space, args->server, WG_ASSET_IPC_SERVER, WG_RIGHT_WRITE);
    struct asset *irq = irq_found.asset, *server = server_found.asset;
    enum wg_error err = server_found.err;
    if (irq && server)
        irq_asset_bind(irq, asset_server(server));
    if (server)
        asset_put(server);
    if (irq)
        asset_put(irq);
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IRQ_ACK(const struct sys_irq_ack_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result found =
        space_lookup(space, args->interrupt, WG_ASSET_INTERRUPT, WG_RIGHT_USE);
    enum wg_error err = found.err;
    if (found.asset) {
        err = irq_asset_ack(found.asset);
        asset_put(found.asset);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IOPORT_CREATE(const struct sys_ioport_create_args *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args->count == 0 || args->first > 0xffff || args->count > 0x10000 - args->first)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct ioport_asset_result ports =
        ioport_asset_create((uint32_t)args->first, (uint32_t)args->count);
    struct syscall_result result =
        ports.err == WG_ERR_OK ? syscall_insert_new(space, ports.asset) : SYSCALL_ERR(ports.err);
    space_put(space);
    return result;
}

/* Opens the ports for every task of `space`; the calling task sees them at once. */
struct syscall_result sys_IOPORT_ENABLE(const struct sys_ioport_enable_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result found = space_lookup(space, args->ports, WG_ASSET_IO_PORT, WG_RIGHT_USE);
    enum wg_error err = found.err;
    if (found.asset) {
        err = ioport_asset_enable(space, found.asset, space == syscall_space());
        asset_put(found.asset);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_MMIO_CREATE(const struct sys_mmio_create_args *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct pmem_result device = pmem_create_device(args->phys, args->pages);
    struct syscall_result result = device.err == WG_ERR_OK
                                       ? syscall_insert_new(space, &device.pmem->asset)
                                       : SYSCALL_ERR(device.err);
    space_put(space);
    return result;
}
