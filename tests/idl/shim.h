/* The host tests' transport for generated IDL code: idl_rt_* over a table of fake assets
 * (kinds, sizes, bytes) and a loopback server. A call hands the message (its assets looked
 * up first, as the kernel does) to the server function set with shim_serve, which answers
 * through idl_rt_reply; the answer is the call's reply. Replies that come later (deferred)
 * are collected with idl_rt_receive_reply. Every release of a handle that is not alive is
 * counted, so tests can check that decoders release exactly what they must. */
#pragma once

#include <idl.h>

typedef void (*shim_server)(void *context, const struct wg_message *message, uint64_t token);

#define SHIM_SERVER     ((wg_handle)0x5e)
#define SHIM_CONNECTION ((wg_handle)0xc0)

/* Forgets every asset, reply and setting. */
void shim_reset(void);
/* A new fake asset of `kind`; memory kinds get `size` bytes (copied from `bytes` if given). */
wg_handle shim_asset_new(uint32_t kind, const void *bytes, size_t size);
bool shim_asset_alive(wg_handle handle);
/* A handle's rights (every right when made; a delivery with WG_ENTRY_RESTRICT keeps fewer),
 * and taking some away, as ASSET_COPY with fewer rights would. */
uint32_t shim_asset_rights(wg_handle handle);
void shim_asset_restrict(wg_handle handle, uint32_t rights);
/* The bytes of a memory asset (NULL for others or a dead handle). */
uint8_t *shim_asset_bytes(wg_handle handle);
unsigned shim_assets_alive(void);
unsigned shim_bad_releases(void);
/* Calls and sends go to `server` (NULL: they fail PEER_CLOSED). */
void shim_serve(shim_server server, void *context);
/* The next `count` allocations succeed, later ones fail (-1: all succeed). */
void shim_fail_allocations_after(int count);
/* The last message a call or send carried, as the server received it. */
const struct wg_message *shim_last_message(void);
