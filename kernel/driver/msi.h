/* MSI assets: one interrupt vector that a device raises by writing a message (MSI or MSI-X).
 * The kernel picks the vector and says what to program (msi_message), so a driver cannot aim
 * its device at a vector it does not hold. Interrupts reach the bound IPC server as
 * WG_IPC_EVENT_INTERRUPT notices, at most one outstanding: a vector that fires again before
 * msi_ack is remembered and noticed once at the ack, never lost and never queued unbounded. */
#pragma once

#include <wingos/abi.h>

#include "kernel/space/asset.h"
#include "kernel/space/space.h"

struct ipc_server;

/* A new MSI asset holding a free vector (one reference, the caller's): BUSY when every
 * vector is taken, NO_MEMORY without memory. Releasing it frees the vector. The asset is in
 * struct asset_result's `asset` (its `rights` unused). */
struct asset_result msi_create(void);

/* The message of an MSI asset. */
void msi_message(struct asset *msi, struct wg_msi_message *out);

/* Routes its interrupts to `server` (the asset takes a server reference; the old one is
 * dropped); an interrupt that came while unbound is noticed now. */
void msi_bind(struct asset *msi, struct ipc_server *server);

/* The driver has taken the last notice: the next interrupt may be noticed (at once if one
 * came meanwhile). WG_ERR_NOT_FOUND when the asset is not bound. */
enum wg_error msi_ack(struct asset *msi);
