/* Interrupt assets: ownership of ISA lines and their delivery to bound IPC servers. The arch
 * layer routes and masks the line (arch_irq_line_*); this file decides who hears it. */
#include "kernel/driver/irq_asset.h"
#include "kernel/arch.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/space/asset.h"
#include "kernel/sync/spinlock.h"

struct irq_asset {
    struct asset asset;
    unsigned line;
    struct ipc_server *server; /* bound server (a struct reference), or NULL; irq_lock */
};

/* irq_owner[] and every owner's server pointer change only under this lock, and the
 * interrupt path takes a server reference under it: no use after free against unbinding. */
static struct spinlock irq_lock = SPINLOCK_INIT;
static struct irq_asset *irq_owner[IRQ_ASSET_LINES];

static void irq_asset_fired(unsigned line)
{
    spin_lock(&irq_lock); /* interrupt context: interrupts are off already */
    struct ipc_server *server = irq_owner[line] ? irq_owner[line]->server : NULL;
    if (server)
        ipc_server_get(server);
    spin_unlock(&irq_lock);
    if (!server)
        return;
    if (!ipc_post_event(server, WG_IPC_EVENT_INTERRUPT, line))
        arch_irq_line_unmask(line); /* nobody will acknowledge it: do not leave it masked */
    ipc_server_release(server);
}

static void irq_asset_destroy(struct asset *asset)
{
    struct irq_asset *irq = (struct irq_asset *)asset;
    uint64_t flags = spin_lock_irqsave(&irq_lock);
    if (irq_owner[irq->line] == irq)
        irq_owner[irq->line] = NULL;
    struct ipc_server *server = irq->server;
    irq->server = NULL;
    spin_unlock_irqrestore(&irq_lock, flags);
    arch_irq_line_release(irq->line); /* after the owner is gone: a new claim stays valid */
    if (server)
        ipc_server_release(server);
    kfree(irq);
}

struct irq_asset_result irq_asset_create(unsigned line)
{
    struct irq_asset *irq = kcalloc(1, sizeof(*irq));
    if (!irq)
        return (struct irq_asset_result){WG_ERR_NO_MEMORY, NULL};
    irq->line = line;
    if (!arch_irq_line_claim(line, irq_asset_fired)) {
        kfree(irq);
        return (struct irq_asset_result){WG_ERR_BUSY, NULL};
    }
    uint64_t flags = spin_lock_irqsave(&irq_lock);
    irq_owner[line] = irq;
    spin_unlock_irqrestore(&irq_lock, flags);
    asset_init(&irq->asset, WG_ASSET_INTERRUPT, irq_asset_destroy);
    return (struct irq_asset_result){WG_ERR_OK, &irq->asset};
}

void irq_asset_bind(struct asset *asset, struct ipc_server *server)
{
    struct irq_asset *irq = (struct irq_asset *)asset;
    ipc_server_get(server);
    uint64_t flags = spin_lock_irqsave(&irq_lock);
    struct ipc_server *old = irq->server;
    irq->server = server;
    spin_unlock_irqrestore(&irq_lock, flags);
    if (old)
        ipc_server_release(old);
    arch_irq_line_unmask(irq->line);
}

enum wg_error irq_asset_ack(struct asset *asset)
{
    struct irq_asset *irq = (struct irq_asset *)asset;
    if (!irq->server)
        return WG_ERR_NOT_FOUND; /* not bound: nothing to acknowledge */
    arch_irq_line_unmask(irq->line);
    return WG_ERR_OK;
}
