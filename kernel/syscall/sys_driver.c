/* Driver assets: interrupt lines, I/O ports and device memory. Only the root space (init)
 * may create them; init moves them to the services that need them. */
#include "kernel/arch.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/space/memory_assets.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"
#include "lib/string.h"

#define ISA_IRQS 16

struct irq_asset {
    struct asset asset;
    unsigned irq;
    struct ipc_server *server; /* bound server (a struct reference), or NULL; irq_lock */
};

struct ioport_asset {
    struct asset asset;
    uint32_t first, count;
};

/* irq_owner[] and every owner's server pointer change only under this lock, and the
 * interrupt path takes a server reference under it: no use after free against unbinding. */
static struct spinlock irq_lock = SPINLOCK_INIT;
static struct irq_asset *irq_owner[ISA_IRQS];

static void on_irq(unsigned irq)
{
    spin_lock(&irq_lock); /* interrupt context: interrupts are off already */
    struct ipc_server *server = irq_owner[irq] ? irq_owner[irq]->server : NULL;
    if (server)
        ipc_server_get(server);
    spin_unlock(&irq_lock);
    if (!server)
        return;
    if (!ipc_post_event(server, WG_IPC_EVENT_INTERRUPT, irq))
        arch_irq_line_unmask(irq); /* nobody will acknowledge it: do not leave it masked */
    ipc_server_release(server);
}

static void irq_destroy(struct asset *asset)
{
    struct irq_asset *irq = (struct irq_asset *)asset;
    uint64_t flags = spin_lock_irqsave(&irq_lock);
    if (irq_owner[irq->irq] == irq)
        irq_owner[irq->irq] = NULL;
    struct ipc_server *server = irq->server;
    irq->server = NULL;
    spin_unlock_irqrestore(&irq_lock, flags);
    arch_irq_line_release(irq->irq); /* after the owner is gone: a new claim stays valid */
    if (server)
        ipc_server_release(server);
    kfree(irq);
}

struct syscall_result sys_IRQ_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args[1] >= ISA_IRQS || args[1] == 2) /* 2 is the PIC cascade, never a device */
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct irq_asset *irq = kcalloc(1, sizeof(*irq));
    struct syscall_result result = SYSCALL_ERR(WG_ERR_NO_MEMORY);
    if (irq) {
        irq->irq = (unsigned)args[1];
        result = SYSCALL_ERR(WG_ERR_BUSY);
        if (arch_irq_line_claim(irq->irq, on_irq)) {
            uint64_t flags = spin_lock_irqsave(&irq_lock);
            irq_owner[irq->irq] = irq;
            spin_unlock_irqrestore(&irq_lock, flags);
            asset_init(&irq->asset, WG_ASSET_INTERRUPT, irq_destroy);
            result = syscall_insert_new(space, &irq->asset);
            irq = NULL;
        }
        kfree(irq);
    }
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
    if (irq && server) {
        struct irq_asset *line = (struct irq_asset *)irq;
        ipc_server_get(asset_server(server));
        uint64_t flags = spin_lock_irqsave(&irq_lock);
        struct ipc_server *old = line->server;
        line->server = asset_server(server);
        spin_unlock_irqrestore(&irq_lock, flags);
        if (old)
            ipc_server_release(old);
        arch_irq_line_unmask(line->irq);
    }
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
    struct asset *irq = found.asset;
    enum wg_error err = found.err;
    if (irq) {
        struct irq_asset *line = (struct irq_asset *)irq;
        if (line->server)
            arch_irq_line_unmask(line->irq);
        else
            err = WG_ERR_NOT_FOUND; /* not bound: nothing to acknowledge */
        asset_put(irq);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

static void ioport_destroy(struct asset *asset)
{
    kfree(asset);
}

struct syscall_result sys_IOPORT_CREATE(const uint64_t *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (args[2] == 0 || args[1] > 0xffff || args[2] > 0x10000 - args[1])
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct ioport_asset *ports = kcalloc(1, sizeof(*ports));
    struct syscall_result result = SYSCALL_ERR(WG_ERR_NO_MEMORY);
    if (ports) {
        ports->first = (uint32_t)args[1];
        ports->count = (uint32_t)args[2];
        asset_init(&ports->asset, WG_ASSET_IO_PORT, ioport_destroy);
        result = syscall_insert_new(space, &ports->asset);
    }
    space_put(space);
    return result;
}

/* Opens the ports for every task of `space`; the calling task sees them at once. */
struct syscall_result sys_IOPORT_ENABLE(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0, WG_RIGHT_MANAGE);
    struct asset_result found = space_lookup(space, args[1], WG_ASSET_IO_PORT, WG_RIGHT_USE);
    struct asset *asset = found.asset;
    enum wg_error err = found.err;
    uint8_t *fresh = asset && !space->io_bitmap ? kmalloc(ARCH_IO_BITMAP_BYTES) : NULL;
    if (fresh)
        memset(fresh, 0xff, ARCH_IO_BITMAP_BYTES);
    if (asset) {
        struct ioport_asset *ports = (struct ioport_asset *)asset;
        uint64_t flags = spin_lock_irqsave(&space->lock);
        if (!space->io_bitmap) {
            space->io_bitmap = fresh;
            fresh = NULL;
        }
        for (uint32_t p = ports->first; space->io_bitmap && p < ports->first + ports->count; p++)
            space->io_bitmap[p / 8] &= (uint8_t) ~(1u << (p % 8));
        err = space->io_bitmap ? WG_ERR_OK : WG_ERR_NO_MEMORY;
        spin_unlock_irqrestore(&space->lock, flags);
        asset_put(asset);
    }
    kfree(fresh);
    if (err == WG_ERR_OK && space == syscall_space()) {
        uint64_t flags = arch_irq_save();
        arch_set_io_bitmap(space->io_bitmap);
        arch_irq_restore(flags);
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
