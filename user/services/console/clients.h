/* The console's connections: each gets a number (what the shell names in FOREGROUND), a
 * buffer for a partial line that waits while another connection's line is open on the
 * screen, and at most one waiting WAIT_SIGNAL. One task (the receive loop) uses them. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos.h>

#define CLIENTS_MAX     64
#define CLIENT_HELD_MAX 512 /* a waiting partial line longer than this is printed as a line */

struct client {
    wg_handle connection; /* our handle of it; 0: a free slot */
    uint32_t id;
    uint64_t signal_token; /* a waiting WAIT_SIGNAL's reply token, 0: none */
    size_t held_count;
    char held[CLIENT_HELD_MAX];
};

/* The client of `connection`, added on first sight; NULL when the table is full. */
struct client *clients_get(wg_handle connection);

/* The client numbered `id`, or NULL. */
struct client *clients_by_id(uint32_t id);

/* The first client (other than `except`) holding part of a line, or NULL. */
struct client *clients_holding(const struct client *except);

/* The client of `connection` if known, NULL otherwise; its slot is freed by clients_free. */
struct client *clients_find(wg_handle connection);
void clients_free(struct client *client);
