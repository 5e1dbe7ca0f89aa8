/* IPC messages: sending (with assets taken from the sender's space), receiving (assets given
 * handles in the receiver's space), replying, and collecting replies. */
#include "kernel/arch.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_internal.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/sched/task.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

static volatile uint64_t next_token = 1;

void ipc_wake_client_later(struct ipc_channel *channel, struct list_node *doomed)
{
    (void)doomed;
    wait_queue_wake_all(&channel->client_waiters); /* lock order: server -> queue: fine */
}

/* Unlinks a message from everything (server lock held) and dooms it. */
static void doom_locked(struct ipc_message *msg, struct list_node *doomed)
{
    if (!list_empty(&msg->link))
        list_remove(&msg->link);
    if (!list_empty(&msg->client_link))
        list_remove(&msg->client_link);
    if (msg->channel && msg->event == WG_IPC_EVENT_MESSAGE)
        msg->channel->alive--;
    list_push_back(doomed, &msg->link);
}

/* Takes a message out of the server's hands: doomed, unless its sender may be waiting on
 * it — then the sender frees it (and sees PEER_CLOSED). */
static void leave_server_locked(struct ipc_message *msg, struct list_node *doomed)
{
    if (list_empty(&msg->client_link) || msg->abandoned)
        doom_locked(msg, doomed);
    else
        list_remove(&msg->link);
}

void ipc_take_all(struct list_node *list, struct list_node *doomed)
{
    while (!list_empty(list))
        leave_server_locked(list_entry(list->next, struct ipc_message, link), doomed);
}

void ipc_finish(struct list_node *doomed)
{
    while (!list_empty(doomed)) {
        struct ipc_message *msg = list_entry(doomed->next, struct ipc_message, link);
        list_remove(&msg->link);
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
            if (msg->assets[i])
                asset_put(msg->assets[i]);
        if (msg->channel)
            ipc_channel_put(msg->channel);
        kfree(msg);
    }
}

static struct ipc_message *message_alloc(struct ipc_channel *channel)
{
    struct ipc_message *msg = kcalloc(1, sizeof(*msg));
    if (!msg)
        return NULL;
    list_init(&msg->link);
    list_init(&msg->client_link);
    __atomic_fetch_add(&channel->refs, 1, __ATOMIC_RELAXED);
    msg->channel = channel;
    return msg;
}

void ipc_server_end_closed_locked(struct ipc_server *server, struct ipc_channel *channel,
                                  struct list_node *doomed)
{
    if (!list_empty(&channel->link))
        list_remove(&channel->link);
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &server->queue)
    {
        struct ipc_message *msg = list_entry(node, struct ipc_message, link);
        if (msg->channel == channel) /* nobody will receive these under that handle */
            leave_server_locked(msg, doomed);
    }
}

void ipc_client_closed_locked(struct ipc_server *server, struct ipc_channel *channel,
                              struct list_node *doomed)
{
    if (!list_empty(&channel->link))
        list_remove(&channel->link);
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &server->queue)
    {
        struct ipc_message *msg = list_entry(node, struct ipc_message, link);
        if (msg->channel == channel)
            doom_locked(msg, doomed);
    }
    while (!list_empty(&channel->outstanding)) {
        struct ipc_message *msg =
            list_entry(channel->outstanding.next, struct ipc_message, client_link);
        list_remove(&msg->client_link);
        msg->abandoned = true; /* awaiting a reply: freed when it comes or the server goes */
        if (msg->replied || list_empty(&msg->link))
            doom_locked(msg, doomed);
    }
    if (!channel->accepted || server->closed || channel->server_closed)
        return; /* nobody on the server side to tell */
    struct ipc_message *notice = message_alloc(channel);
    if (notice) { /* not counted against the queue bound: one per channel at most */
        notice->event = WG_IPC_EVENT_CLOSED;
        list_push_back(&server->queue, &notice->link);
        wait_queue_wake_all(&server->waiters);
    }
}

static void drop_assets(struct asset **assets)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (assets[i]) {
            asset_put(assets[i]);
            assets[i] = NULL;
        }
}

/* Checks the entries' flags and looks up every asset they name in `from` (a reference
 * each); nothing is moved yet. On error no reference is kept. */
static enum wg_error lookup_assets(struct space *from, const struct wg_message *body,
                                   struct asset **assets)
{
    enum wg_error err = WG_ERR_OK;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES && err == WG_ERR_OK; i++) {
        uint32_t flags = body->entries[i].flags;
        if (flags & ~(uint32_t)(WG_ENTRY_ASSET | WG_ENTRY_MOVE) ||
            (flags & WG_ENTRY_MOVE && !(flags & WG_ENTRY_ASSET)))
            err = WG_ERR_INVALID_ARGUMENT;
        else if (flags & WG_ENTRY_ASSET)
            assets[i] = space_lookup(from, body->entries[i].value, WG_ASSET_NONE, &err);
    }
    if (err != WG_ERR_OK)
        drop_assets(assets);
    return err;
}

/* The sender's handles of moved assets go away once the message is sure to be delivered. */
static void commit_moves(struct space *from, const struct wg_message *body)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (body->entries[i].flags & WG_ENTRY_MOVE)
            space_release(from, body->entries[i].value);
}

/* Messages do not carry IPC servers or connections: a message holding a channel (its own,
 * or one whose messages hold this one) would keep itself alive forever. Those assets move
 * between spaces with ASSET_MOVE/ASSET_COPY instead. */
static bool carries_ipc_asset(struct asset **assets)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (assets[i] &&
            (assets[i]->kind == WG_ASSET_IPC_CONNECTION || assets[i]->kind == WG_ASSET_IPC_SERVER))
            return true;
    return false;
}

/* Gives carried assets handles in `to` and rewrites the entries (assets consumed). */
static void give_assets(struct space *to, struct wg_message *body, struct asset **assets)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
        if (!assets[i])
            continue;
        struct handle_result handle = space_insert(to, assets[i]);
        body->entries[i].value = handle.err == WG_ERR_OK ? handle.handle : 0;
        body->entries[i].flags = WG_ENTRY_ASSET | (handle.err == WG_ERR_OK ? 0 : WG_ENTRY_DROPPED);
        asset_put(assets[i]);
        assets[i] = NULL;
    }
}

static enum wg_error send_check_locked(struct ipc_channel *channel)
{
    if (channel->server_closed || channel->server->closed)
        return WG_ERR_PEER_CLOSED;
    if (!channel->accepted)
        return WG_ERR_BUSY;
    return channel->alive >= WG_IPC_QUEUE_MAX ? WG_ERR_WOULD_BLOCK : WG_ERR_OK;
}

/* Frees a message that was never linked anywhere. */
static void message_discard(struct ipc_message *msg)
{
    struct list_node doomed;
    list_init(&doomed);
    list_push_back(&doomed, &msg->link);
    ipc_finish(&doomed);
}

enum wg_error ipc_send(struct ipc_connection *connection, struct space *from,
                       const struct wg_message *request, bool expect_reply, uint64_t *id)
{
    struct ipc_channel *channel = connection->channel;
    struct ipc_server *server = channel->server;
    if (connection->server_side)
        return WG_ERR_WRONG_KIND;
    struct ipc_message *msg = message_alloc(channel);
    if (!msg)
        return WG_ERR_NO_MEMORY;
    msg->body = *request;
    msg->expects_reply = expect_reply;
    msg->sender_task = syscall_task()->id;
    uint64_t flags = spin_lock_irqsave(&server->lock);
    enum wg_error err = send_check_locked(channel);
    if (err == WG_ERR_OK)
        channel->alive++; /* the slot is ours before the assets are taken */
    spin_unlock_irqrestore(&server->lock, flags);
    if (err == WG_ERR_OK)
        err = lookup_assets(from, &msg->body, msg->assets);
    else
        channel = NULL; /* nothing reserved */
    if (err == WG_ERR_OK && carries_ipc_asset(msg->assets)) {
        drop_assets(msg->assets);
        err = WG_ERR_INVALID_ARGUMENT;
    }
    flags = spin_lock_irqsave(&server->lock);
    if (err == WG_ERR_OK && (connection->channel->server_closed || server->closed))
        err = WG_ERR_PEER_CLOSED;
    if (err == WG_ERR_OK) {
        msg->id = ++connection->channel->next_id;
        msg->token = __atomic_fetch_add(&next_token, 1, __ATOMIC_RELAXED);
        list_push_back(&server->queue, &msg->link);
        if (expect_reply)
            list_push_back(&connection->channel->outstanding, &msg->client_link);
        *id = msg->id;
    } else if (channel) {
        channel->alive--;
    }
    spin_unlock_irqrestore(&server->lock, flags);
    if (err != WG_ERR_OK) {
        message_discard(msg); /* nothing was moved: the sender keeps its handles */
        return err;
    }
    commit_moves(from, request); /* delivered: only now do moved handles leave the sender */
    wait_queue_wake(&server->waiters, 1);
    return WG_ERR_OK;
}

static bool server_has_work(void *ctx)
{
    struct ipc_server *server = ctx;
    return !list_empty(&server->queue) || server->closed;
}

/* Takes the oldest message; one that expects a reply moves to the awaiting list, the others
 * leave every list (the caller frees them after copying). */
static struct ipc_message *dequeue_locked(struct ipc_server *server)
{
    if (list_empty(&server->queue))
        return NULL;
    struct ipc_message *msg = list_entry(server->queue.next, struct ipc_message, link);
    list_remove(&msg->link);
    msg->received = true;
    msg->body.event = msg->event;
    msg->body.connection = msg->channel ? msg->channel->server_handle : 0;
    if (msg->expects_reply)
        list_push_back(&server->awaiting, &msg->link);
    else if (msg->channel && msg->event == WG_IPC_EVENT_MESSAGE)
        msg->channel->alive--;
    return msg;
}

/* Takes one message (or learns the server closed) under the lock; NULL if another receiver
 * was faster. */
static struct ipc_message *take_one(struct ipc_server *server, struct wg_message *out,
                                    uint64_t *token, struct asset **assets, bool *closed)
{
    uint64_t flags = spin_lock_irqsave(&server->lock);
    *closed = server->closed;
    struct ipc_message *msg = server->closed ? NULL : dequeue_locked(server);
    if (msg) {
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
            assets[i] = msg->assets[i]; /* the receiver gets them now */
            msg->assets[i] = NULL;
        }
        *out = msg->body;
        *token = msg->expects_reply ? msg->token : 0;
    }
    bool more = !list_empty(&server->queue);
    spin_unlock_irqrestore(&server->lock, flags);
    if (more) /* another receiver may be asleep: pass the wake-up on */
        wait_queue_wake(&server->waiters, 1);
    return msg;
}

enum wg_error ipc_receive(struct ipc_server *server, struct space *to, uint64_t timeout,
                          struct wg_message *out, uint64_t *token)
{
    uint64_t now = arch_clock_ns();
    uint64_t deadline =
        timeout == WAIT_FOREVER || timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
    for (;;) {
        enum wg_error err = wait_event(&server->waiters, server_has_work, server, timeout);
        if (err != WG_ERR_OK)
            return err;
        struct asset *assets[WG_MESSAGE_ENTRIES] = {0};
        bool closed;
        struct ipc_message *msg = take_one(server, out, token, assets, &closed);
        if (msg) {
            give_assets(to, out, assets);
            if (!msg->expects_reply)
                message_discard(msg);
            return WG_ERR_OK;
        }
        if (closed)
            return WG_ERR_PEER_CLOSED;
        if (timeout == 0)
            return WG_ERR_WOULD_BLOCK;
        if (deadline != UINT64_MAX) { /* someone else took it: wait for what is left */
            now = arch_clock_ns();
            if (now >= deadline)
                return WG_ERR_TIMED_OUT;
            timeout = deadline - now;
        }
    }
}

enum wg_error ipc_reply(struct ipc_server *server, struct space *from, uint64_t token,
                        const struct wg_message *reply)
{
    struct asset *assets[WG_MESSAGE_ENTRIES] = {0};
    enum wg_error err = lookup_assets(from, reply, assets); /* a bad reply keeps its token */
    if (err == WG_ERR_OK && carries_ipc_asset(assets)) {
        drop_assets(assets);
        err = WG_ERR_INVALID_ARGUMENT;
    }
    if (err != WG_ERR_OK)
        return err;
    /* Found and answered in one hold of the lock: the client may give up on the message at
     * any time, and must find it either waiting or answered, never in between. */
    struct ipc_message *msg = NULL;
    struct list_node doomed;
    list_init(&doomed);
    uint64_t flags = spin_lock_irqsave(&server->lock);
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &server->awaiting)
    {
        struct ipc_message *m = list_entry(node, struct ipc_message, link);
        if (m->token == token && token != 0) {
            msg = m;
            break;
        }
    }
    if (msg) {
        list_remove(&msg->link); /* the token is spent: a second reply finds nothing */
        msg->body = *reply;
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
            msg->assets[i] = assets[i];
        msg->replied = true;
        wait_queue_wake_all(&msg->channel->client_waiters);
        if (msg->abandoned)
            doom_locked(msg, &doomed);
    }
    spin_unlock_irqrestore(&server->lock, flags);
    if (!msg) {
        drop_assets(assets);
        return WG_ERR_NOT_FOUND;
    }
    ipc_finish(&doomed);
    commit_moves(from, reply);
    return WG_ERR_OK;
}

struct reply_wait {
    struct ipc_channel *channel;
    struct ipc_message *msg;
};

static bool reply_ready(void *ctx)
{
    struct reply_wait *w = ctx;
    return w->msg->replied || w->channel->server_closed || w->channel->server->closed;
}

/* The outstanding message `id` of the channel, or NULL (server lock held). */
static struct ipc_message *find_outstanding_locked(struct ipc_channel *channel, uint64_t id)
{
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &channel->outstanding)
    {
        struct ipc_message *msg = list_entry(node, struct ipc_message, client_link);
        if (msg->id == id)
            return msg;
    }
    return NULL;
}

enum wg_error ipc_receive_reply(struct ipc_connection *connection, struct space *to, uint64_t id,
                                uint64_t timeout, struct wg_message *out)
{
    struct ipc_channel *channel = connection->channel;
    struct ipc_server *server = channel->server;
    if (connection->server_side)
        return WG_ERR_WRONG_KIND;
    uint64_t flags = spin_lock_irqsave(&server->lock);
    struct ipc_message *msg = find_outstanding_locked(channel, id);
    enum wg_error err = WG_ERR_OK;
    if (!msg)
        err = channel->server_closed || server->closed ? WG_ERR_PEER_CLOSED : WG_ERR_NOT_FOUND;
    else if (msg->sender_task != syscall_task()->id)
        err = WG_ERR_ACCESS_DENIED; /* only the sender collects the reply */
    spin_unlock_irqrestore(&server->lock, flags);
    if (err != WG_ERR_OK)
        return err;
    struct reply_wait w = {channel, msg}; /* msg stays: only this task unlinks it */
    err = wait_event(&channel->client_waiters, reply_ready, &w, timeout);
    if (err != WG_ERR_OK)
        return err;
    struct asset *assets[WG_MESSAGE_ENTRIES] = {0};
    struct list_node doomed;
    list_init(&doomed);
    flags = spin_lock_irqsave(&server->lock);
    if (!msg->replied) {
        err = WG_ERR_PEER_CLOSED; /* the server went and left the message to us */
        doom_locked(msg, &doomed);
    } else {
        *out = msg->body;
        out->connection = 0;
        out->event = WG_IPC_EVENT_MESSAGE;
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
            assets[i] = msg->assets[i];
            msg->assets[i] = NULL;
        }
        doom_locked(msg, &doomed);
    }
    spin_unlock_irqrestore(&server->lock, flags);
    ipc_finish(&doomed);
    if (err == WG_ERR_OK)
        give_assets(to, out, assets);
    return err;
}

void ipc_abandon(struct ipc_connection *connection, uint64_t id)
{
    struct ipc_channel *channel = connection->channel;
    struct ipc_server *server = channel->server;
    struct list_node doomed;
    list_init(&doomed);
    uint64_t flags = spin_lock_irqsave(&server->lock);
    struct ipc_message *msg = find_outstanding_locked(channel, id);
    if (msg) {
        list_remove(&msg->client_link);
        msg->abandoned = true;
        /* Not in the server's hands (never received, answered, or the server is gone). */
        if (msg->replied || !msg->received || list_empty(&msg->link))
            doom_locked(msg, &doomed);
    }
    spin_unlock_irqrestore(&server->lock, flags);
    ipc_finish(&doomed);
}

bool ipc_post_event(struct ipc_server *server, uint32_t event, uint64_t value)
{
    struct ipc_message *msg = kcalloc(1, sizeof(*msg)); /* no channel: a kernel notice */
    if (!msg)
        return false;
    list_init(&msg->link);
    list_init(&msg->client_link);
    msg->event = event;
    msg->body.entries[0].value = value;
    uint64_t flags = spin_lock_irqsave(&server->lock);
    bool open = !server->closed;
    if (open)
        list_push_back(&server->queue, &msg->link);
    spin_unlock_irqrestore(&server->lock, flags);
    if (!open) {
        kfree(msg);
        return false;
    }
    wait_queue_wake(&server->waiters, 1);
    return true;
}
