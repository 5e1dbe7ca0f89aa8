/* Helpers shared by the IPC files. "_locked" functions expect the server's lock held;
 * messages leaving every list go to a `doomed` list that ipc_finish() frees after the lock is
 * released (dropping assets may need interrupts on). */
#pragma once

#include "kernel/ipc/ipc.h"

void ipc_server_put(struct ipc_server *server);
void ipc_channel_put(struct ipc_channel *channel);
struct ipc_connection *ipc_connection_create(struct ipc_channel *channel, bool server_side);

/* Wakes the channel's client (accept, replies, closing). */
void ipc_wake_client_later(struct ipc_channel *channel, struct list_node *doomed);
/* Unlinks every message of `list` (and from its channel's outstanding list) into doomed. */
void ipc_take_all(struct list_node *list, struct list_node *doomed);
/* The client side of `channel` went: its messages go, the server hears of it. */
void ipc_client_closed_locked(struct ipc_server *server, struct ipc_channel *channel,
                              struct list_node *doomed);
/* The server released its end of `channel`: the channel's unreceived messages go. */
void ipc_server_end_closed_locked(struct ipc_server *server, struct ipc_channel *channel,
                                  struct list_node *doomed);
/* Frees doomed messages: their assets and channel references. */
void ipc_finish(struct list_node *doomed);
