/* Helpers shared by the IPC files. "_locked" functions expect the server's lock held;
 * messages leaving every list go to a `doomed` list that ipc_finish() frees after the lock is
 * released (dropping assets may need interrupts on). */
#pragma once

#include "kernel/ipc/ipc.h"
#include "kernel/sched/wait_inline.h"

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

/* The pieces of the message path that the short path (ipc_short.c) shares; server lock held
 * for the _locked ones. */
struct ipc_message *ipc_message_alloc(struct ipc_channel *channel); /* counts a channel ref */
/* ipc_message_alloc for a message about to be queued or discarded: its list links are left
 * for that to set. */
struct ipc_message *ipc_message_take(struct ipc_channel *channel);
void ipc_message_discard(struct ipc_message *msg); /* one never linked */
/* Unlinks a message from every list and puts it on `doomed` (ipc_finish frees it). */
void ipc_doom_locked(struct ipc_message *msg, struct list_node *doomed);
extern volatile uint64_t ipc_next_token; /* reply tokens, unique system-wide */

/* PEER_CLOSED, BUSY (not accepted yet), WOULD_BLOCK (queue bound) or OK. */
static inline enum wg_error ipc_send_check_locked(const struct ipc_channel *channel)
{
    if (channel->server_closed || channel->server->closed)
        return WG_ERR_PEER_CLOSED;
    if (!channel->accepted)
        return WG_ERR_BUSY;
    return channel->alive >= WG_IPC_QUEUE_MAX ? WG_ERR_WOULD_BLOCK : WG_ERR_OK;
}

/* A checked message gets its id and token, goes on the list `onto` (the server's queue, or
 * its awaiting list for one given straight to a receiver) and, if it expects a reply, on the
 * channel's outstanding list. */
static inline void ipc_enqueue_locked(struct ipc_channel *channel, struct ipc_message *msg,
                                      struct list_node *onto, bool expects_reply)
{
    channel->alive++;
    msg->id = ++channel->next_id;
    msg->token = __atomic_fetch_add(&ipc_next_token, 1, __ATOMIC_RELAXED);
    list_push_back(onto, &msg->link);
    if (expects_reply) /* msg->expects_reply: a parameter, known to short callers */
        list_push_back(&channel->outstanding, &msg->client_link);
}
/* Frees a message out of every list: its assets, and its channel reference. */
void ipc_message_free(struct ipc_message *msg);
/* Takes the oldest queued message (NULL if none): stamped, moved to the awaiting list if it
 * expects a reply, else out of every list (the caller frees it). */
struct ipc_message *ipc_dequeue_locked(struct ipc_server *server);
/* The received message awaiting the reply `token`, or NULL. */
static inline struct ipc_message *ipc_find_awaiting_locked(struct ipc_server *server,
                                                           uint64_t token)
{
    struct list_node *node;
    for (node = server->awaiting.next; node != &server->awaiting && token != 0; node = node->next) {
        struct ipc_message *msg = list_entry(node, struct ipc_message, link);
        if (msg->token == token)
            return msg;
    }
    return NULL;
}
/* The caller `sender` waiting on `queue` (a channel's client_waiters), taken off it as
 * wait_queue_take does, without a walk when it is the only waiter (the common case). */
static inline struct task *ipc_take_caller_locked(struct wait_queue *queue, uint64_t sender)
{
    spin_lock(&queue->lock);
    struct task *first = wait_queue_first_locked(queue);
    if (first && first->id == sender && wait_queue_alone_locked(queue, first)) {
        wait_queue_take_locked(first);
        spin_unlock(&queue->lock);
        return first;
    }
    spin_unlock(&queue->lock);
    return wait_queue_take(queue, sender);
}

/* `msg`, its reply body and cargo in place, is answered: its caller is woken, or with
 * `client` taken (not woken) into *client for a replier about to block. */
void ipc_answered_locked(struct ipc_message *msg, struct list_node *doomed, struct task **client);
