/* Driver assets: interrupt lines, I/O ports and device memory. Only the root space (init)
 * may create them; init moves them to the services that need them. These handlers decode
 * and check; the assets' logic is in kernel/driver/ (and pmem for device memory). */
#include "kernel/driver/ioport_asset.h"
#include "kernel/driver/irq_asset.h"
#include "kernel/ipc/ipc.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_result sys_IRQ_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args[1] >= IRQ_ASSET_LINES || args[1] == IRQ_ASSET_CASCADE)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct irq_asset_result irq = irq_asset_create((unsigned)args[1]);
    struct syscall_result result =
        irq.err == WG_ERR_OK ? syscall_insert_new(space, irq.asset) : SYSCALL_ERR(irq.err);
    space_put(space);
    return result;
}

struct syscall_result sys_IRQ_BIND(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct asset_result irq_found = space_lookup(space, args[1], WG_ASSET_INTERRUPT, WG_RIGHT_USE);
    struct asset_result server_found = {.err = irq_found.err};
    if (irq_found.err == WG_ERR_OK)
        server_found = space_lookup(space, args[2], WG_ASSET_IPC_SERVER, WG_RIGHT_WRITE);
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

struct syscall_result sys_IRQ_ACK(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct asset_result found = space_lookup(space, args[1], WG_ASSET_INTERRUPT, WG_RIGHT_USE);
    enum wg_error err = found.err;
    if (found.asset) {
        err = irq_asset_ack(found.asset);
        asset_put(found.asset);
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
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct ioport_asset_result ports = ioport_asset_create((uint32_t)args[1], (uint32_t)args[2]);
    struct syscall_result result =
        ports.err == WG_ERR_OK ? syscall_insert_new(space, ports.asset) : SYSCALL_ERR(ports.err);
    space_put(space);
    return result;
}

/* Opens the ports for every task of `space`; the calling task sees them at once. */
struct syscall_result sys_IOPORT_ENABLE(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct asset_result found = space_lookup(space, args[1], WG_ASSET_IO_PORT, WG_RIGHT_USE);
    enum wg_error err = found.err;
    if (found.asset) {
        err = ioport_asset_enable(space, found.asset, space == syscall_space());
        asset_put(found.asset);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_MMIO_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct pmem_result device = pmem_create_device(args[1], args[2]);
    struct syscall_result result = device.err == WG_ERR_OK
                                       ? syscall_insert_new(space, &device.pmem->asset)
                                       : SYSCALL_ERR(device.err);
    space_put(space);
    return result;
}
