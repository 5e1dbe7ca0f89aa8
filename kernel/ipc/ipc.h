/* IPC: servers, connections and messages that can carry assets (docs/ipc.md).
 *
 * A client connects to a server by address and gets a connection asset; the server accepts
 * and gets its own connection asset for the same channel. Messages from a channel's client
 * go into the server's queue; a message sent expecting a reply stays on the channel until
 * the server replies, and only its sender can collect the reply. One lock per server guards
 * the server and all of its channels. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#include "kernel/sched/wait.h"
#include "kernel/space/asset.h"
#include "kernel/sync/spinlock.h"
#include "lib/list.h"

struct ipc_channel;
struct task;

/* What a message carries, decoded from its entries in the sender's space: one reference to
 * each asset, and the rights the receiver's handle will have. */
struct ipc_cargo {
    bool any;   /* some entry carries an asset; if not, the arrays are not even cleared */
    bool moves; /* some entry moves its asset out of the sender's space */
    struct asset *assets[WG_MESSAGE_ENTRIES];
    uint32_t rights[WG_MESSAGE_ENTRIES];
};

struct ipc_message {
    struct list_node link;        /* server queue or server awaiting list */
    struct list_node client_link; /* channel outstanding list, while a reply is expected */
    struct ipc_channel *channel;
    uint64_t id;          /* the client's message id (per channel) */
    uint64_t token;       /* the server's reply token (unique system-wide) */
    uint64_t sender_task; /* only this task may collect the reply */
    uint32_t event;       /* WG_IPC_EVENT_* */
    union {               /* the states, cleared with one store */
        struct {
            bool expects_reply, received, replied, abandoned;
            bool short_call;  /* sent by IPC_CALL_SHORT: a short reply sets only the values */
            bool short_reply; /* the reply is the first WG_IPC_SHORT_WORDS values of body */
            bool handed_back; /* a short reply taken to its waiting caller: it is in no list
                                 and uncounted, the caller's alone to read and free */
        };
        uint64_t states;
    };
    struct wg_message body; /* the request, then the reply */
    struct ipc_cargo cargo; /* the assets body carries */
};

struct ipc_server {
    struct asset asset;
    volatile int32_t refs; /* the struct's own: the asset, the registry, every channel */
    uint64_t address;
    struct spinlock lock;
    struct wait_queue waiters;        /* receivers */
    struct wait_queue accept_waiters; /* acceptors */
    struct list_node pending;         /* channels waiting to be accepted */
    struct list_node channels;        /* accepted channels */
    struct list_node queue;           /* messages to receive, oldest first */
    struct list_node awaiting;        /* received, waiting for a reply */
    struct list_node registry_link;
    bool closed;
};

struct ipc_channel {
    volatile int32_t refs; /* the two connection assets and every message */
    struct ipc_server *server;
    struct list_node link; /* in server->pending, then server->channels */
    struct wait_queue client_waiters;
    struct list_node outstanding; /* sent expecting a reply, not yet collected */
    uint64_t next_id;
    unsigned alive; /* messages counted against WG_IPC_QUEUE_MAX */
    /* A freed message kept for the next send (taken and given back atomically): a call
     * after call on one channel allocates nothing. */
    struct ipc_message *volatile spare;
    wg_handle server_handle;
    bool accepted, client_closed, server_closed;
};

struct ipc_connection {
    struct asset asset;
    struct ipc_channel *channel;
    bool server_side;
};

static inline struct ipc_server *asset_server(struct asset *asset)
{
    return (struct ipc_server *)asset;
}

static inline struct ipc_connection *asset_connection(struct asset *asset)
{
    return (struct ipc_connection *)asset;
}

struct space;

struct ipc_server_result {
    enum wg_error err;
    struct ipc_server *server; /* the creation reference */
};

struct ipc_connection_result {
    enum wg_error err;
    struct ipc_connection *connection; /* the creation reference */
};

/* A server with a fresh address, or address 0 for `root` (ALREADY_EXISTS if taken). */
struct ipc_server_result ipc_server_create(bool root);
/* A client connection to the server at `address`, pending until accepted. */
struct ipc_connection_result ipc_connect(uint64_t address);
/* Waits for a pending connection and inserts its server-side asset into `space`. */
enum wg_error ipc_accept(struct ipc_server *server, struct space *space, uint64_t timeout,
                         wg_handle *out);
enum wg_error ipc_wait_accept(struct ipc_connection *connection, uint64_t timeout);

/* `request` was copied in; its asset entries are still handles of `from`. Everything is
 * checked first; then the message is queued and moved handles leave `from` in one step.
 * `sender` (a task id) is the only task that may collect the reply. With `receiver`, a
 * waiting receiver is not woken but taken (wait_queue_take) into *receiver (NULL: none), for
 * a caller about to block to hand its CPU to (a call). */
enum wg_error ipc_send(struct ipc_connection *connection, struct space *from, uint64_t sender,
                       const struct wg_message *request, bool expect_reply, uint64_t *id,
                       struct task **receiver);
/* Waits for the reply to message `id`; only task `receiver`, its sender, may collect it.
 * `next` (may be NULL), a task taken by ipc_send, gets the CPU when this blocks, or is woken;
 * on every path. */
enum wg_error ipc_receive_reply(struct ipc_connection *connection, struct space *to,
                                uint64_t receiver, uint64_t id, uint64_t timeout,
                                struct wg_message *out, struct task *next);
/* Takes the oldest message, waiting up to `timeout`; `next` as for ipc_receive_reply. */
enum wg_error ipc_receive(struct ipc_server *server, struct space *to, uint64_t timeout,
                          struct wg_message *out, uint64_t *token, struct task *next);
/* Answers the message of `token`. With `client`, its caller, if it waits, is taken
 * (not woken) into *client for a replier about to block (reply-and-receive). */
enum wg_error ipc_reply(struct ipc_server *server, struct space *from, uint64_t token,
                        const struct wg_message *reply, struct task **client);
/* Queues a kernel notice (e.g. an interrupt) for the server; callable from interrupt
 * context. Returns false if the server is closed or memory ran out. */
bool ipc_post_event(struct ipc_server *server, uint32_t event, uint64_t value);
void ipc_server_get(struct ipc_server *server);
void ipc_server_release(struct ipc_server *server);

/* Short messages (ipc_short.c): WG_IPC_SHORT_WORDS data words, in registers. */
/* A short call's answer, laid out as the registers IPC_CALL_SHORT returns it in (rdi, rsi,
 * rdx, r10, r8: the syscall layer passes its saved registers), so a replier can write a
 * waiting caller's answer where it will return from. */
struct ipc_short_reply {
    uint64_t w1, w2, w0, w3;
    uint64_t long_id; /* not 0: the reply did not fit, collect message long_id */
};

/* A received short message, laid out as IPC_REPLY_RECEIVE_SHORT's registers (rdi, rsi, rdx,
 * r10, r8, r9), so a caller can write a parked receiver's message in place. */
struct ipc_short_message {
    uint64_t connection; /* the receiver's handle; 0: the next message is not short */
    uint64_t w0;
    uint64_t token; /* 0 for a message that expects no reply */
    uint64_t w1, w2, w3;
};

/* A call of `words` on a client connection of the current task's space, waiting up to
 * `timeout` for the reply; a receiver parked in ipc_reply_receive_short gets it directly.
 * `reply` is written on success only, and may be where `words` are (read before it). */
enum wg_error ipc_call_short(struct ipc_connection *connection, const uint64_t *words,
                             uint64_t timeout, struct ipc_short_reply *reply);
/* A server loop's step: answers `token` (0: none; a token whose caller is gone is ignored)
 * with `reply`, then waits for ever for the next message: given in `out` if it is short,
 * else left queued (out->connection 0). `out` (written on success only) may be where
 * `reply` is. */
enum wg_error ipc_reply_receive_short(struct ipc_server *server, uint64_t token,
                                      const uint64_t *reply, struct ipc_short_message *out);

/* Gives up on a reply (a timed-out or killed call): the message is dropped at once, even
 * if a receiver holds it (its reply then finds no message: NOT_FOUND). */
void ipc_abandon(struct ipc_connection *connection, uint64_t id);
