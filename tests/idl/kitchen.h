/* The host tests' Kitchen server (tests/idl/types.idl) on the loopback shim: handlers that
 * echo, keep or count what they get, so tests can see what arrived. */
#pragma once

#include "shim.h"
#include "types_idl.h"

struct server_state {
    enum wg_error answer; /* what echo answers */
    unsigned pokes;
    struct kitchen_grow_request grown;
    wg_handle kept;                     /* a handle a handler kept */
    uint32_t kept_rights, extra_rights; /* share: the rights its handles arrived with */
    bool defer;
    uint64_t token;
    int event; /* event_wait: 1 sends changed at once, 2 sends big */
};

/* Resets the shim and serves Kitchen calls with a fresh state. */
struct server_state *kitchen_start(void);
/* Nothing leaked, nothing released twice. */
bool kitchen_clean(void);
/* Every field of `v` at its limit. */
void kitchen_fill_everything(struct types_everything *v);
