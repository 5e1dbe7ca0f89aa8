/* MSI assets (see msi.h). msi_lock guards owners[] and every asset's server, outstanding and
 * pending fields; the interrupt path takes a server reference under it and posts with it
 * released, as the ISA interrupt path does. */
#include "kernel/driver/msi.h"
#include "kernel/arch.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/sync/spinlock.h"

#define VECTORS 256

struct msi_asset {
    struct asset asset;
    unsigned vector;
    struct ipc_server *server; /* a struct reference, or NULL */
    bool outstanding;          /* a notice was posted and not acknowledged yet */
    bool pending;              /* the vector fired while a notice was outstanding or unbound */
};

static struct spinlock msi_lock = SPINLOCK_INIT;
static struct msi_asset *owners[VECTORS];

/* With msi_lock held: if a notice may go now and one is due, marks it outstanding and
 * returns the server (a new reference) to post it to; else NULL. */
static struct ipc_server *take_notice_locked(struct msi_asset *msi)
{
    if (!msi->server || msi->outstanding || !msi->pending)
        return NULL;
    msi->pending = false;
    msi->outstanding = true;
    ipc_server_get(msi->server);
    return msi->server;
}

/* Posts the notice; if it cannot be posted nobody will acknowledge it, so the asset is open
 * for the next interrupt again. */
static void post_notice(unsigned vector, struct ipc_server *server)
{
    if (!ipc_post_event(server, WG_IPC_EVENT_INTERRUPT, vector)) {
        uint64_t flags = spin_lock_irqsave(&msi_lock);
        if (owners[vector])
            owners[vector]->outstanding = false;
        spin_unlock_irqrestore(&msi_lock, flags);
    }
    ipc_server_release(server);
}

static void on_vector(unsigned vector)
{
    spin_lock(&msi_lock); /* interrupt context: interrupts are off already */
    struct ipc_server *server = NULL;
    if (vector < VECTORS && owners[vector]) {
        owners[vector]->pending = true;
        server = take_notice_locked(owners[vector]);
    }
    spin_unlock(&msi_lock);
    if (server)
        post_notice(vector, server);
}

static void msi_destroy(struct asset *asset)
{
    struct msi_asset *msi = (struct msi_asset *)asset;
    uint64_t flags = spin_lock_irqsave(&msi_lock);
    owners[msi->vector] = NULL;
    struct ipc_server *server = msi->server;
    msi->server = NULL;
    spin_unlock_irqrestore(&msi_lock, flags);
    arch_msi_vector_release(msi->vector); /* after the owner is gone: a new claim stays valid */
    if (server)
        ipc_server_release(server);
    kfree(msi);
}

struct asset_result msi_create(void)
{
    struct msi_asset *msi = kcalloc(1, sizeof(*msi));
    if (!msi)
        return (struct asset_result){.err = WG_ERR_NO_MEMORY};
    if (!arch_msi_vector_claim(on_vector, &msi->vector) || msi->vector >= VECTORS) {
        kfree(msi);
        return (struct asset_result){.err = WG_ERR_BUSY};
    }
    uint64_t flags = spin_lock_irqsave(&msi_lock);
    owners[msi->vector] = msi;
    spin_unlock_irqrestore(&msi_lock, flags);
    asset_init(&msi->asset, WG_ASSET_MSI, msi_destroy);
    return (struct asset_result){WG_ERR_OK, &msi->asset, 0};
}

void msi_message(struct asset *asset, struct wg_msi_message *out)
{
    struct msi_asset *msi = (struct msi_asset *)asset;
    *out = (struct wg_msi_message){.vector = msi->vector};
    arch_msi_message(msi->vector, &out->address, &out->data);
}

void msi_bind(struct asset *asset, struct ipc_server *server)
{
    struct msi_asset *msi = (struct msi_asset *)asset;
    ipc_server_get(server);
    uint64_t flags = spin_lock_irqsave(&msi_lock);
    struct ipc_server *old = msi->server;
    msi->server = server;
    msi->outstanding = false; /* notices to the old server are not the new one's to ack */
    struct ipc_server *notice = take_notice_locked(msi);
    spin_unlock_irqrestore(&msi_lock, flags);
    if (old)
        ipc_server_release(old);
    if (notice)
        post_notice(msi->vector, notice);
}

enum wg_error msi_ack(struct asset *asset)
{
    struct msi_asset *msi = (struct msi_asset *)asset;
    uint64_t flags = spin_lock_irqsave(&msi_lock);
    bool bound = msi->server != NULL;
    msi->outstanding = false;
    struct ipc_server *notice = take_notice_locked(msi);
    spin_unlock_irqrestore(&msi_lock, flags);
    if (notice)
        post_notice(msi->vector, notice);
    return bound ? WG_ERR_OK : WG_ERR_NOT_FOUND;
}
