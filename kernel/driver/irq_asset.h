/* Interrupt assets: an ISA interrupt line owned by one asset, delivered as an IPC event to
 * the server it is bound to, masked from the moment it fires until the driver acknowledges. */
#pragma once

#include <stdint.h>
#include <wingos/error.h>

#define IRQ_ASSET_LINES   16
#define IRQ_ASSET_CASCADE 2 /* the PIC cascade, never a device */

struct asset;
struct ipc_server;

struct irq_asset_result {
    enum wg_error err;
    struct asset *asset; /* one reference, for the caller */
};

/* A new interrupt asset owning `line` (below IRQ_ASSET_LINES, not the cascade: the caller
 * checked). WG_ERR_BUSY when another asset owns the line, WG_ERR_NO_MEMORY. */
struct irq_asset_result irq_asset_create(unsigned line);
/* Binds the line of `irq` (an interrupt asset) to `server`, replacing an earlier binding,
 * and unmasks it. Takes its own server reference. Interrupts on. */
void irq_asset_bind(struct asset *irq, struct ipc_server *server);
/* Unmasks the line again after the bound server handled its event; WG_ERR_NOT_FOUND when
 * the line is bound to no server (nothing to acknowledge). */
enum wg_error irq_asset_ack(struct asset *irq);
