/* IPC messages: sending (with assets taken from the sender's space), receiving (assets given
 * handles in the receiver's space), replying, and collecting replies. */
#include "kernel/arch.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_internal.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/task.h"
#include "kernel/sched/wait_inline.h"
#include "kernel/space/space.h"
#include "lib/string.h"

volatile uint64_t ipc_next_token = 1;

void ipc_wake_client_later(struct ipc_channel *channel, struct list_node *doomed)
{
    (void)doomed;
    wait_queue_wake_all(&channel->client_waiters); /* lock order: server -> queue: fine */
}

/* Unlinks a message from everything (server lock held) and dooms it. */
void ipc_doom_locked(struct ipc_message *msg, struct list_node *doomed)
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
        ipc_doom_locked(msg, doomed);
    else
        list_remove(&msg->link);
}

void ipc_take_all(struct list_node *list, struct list_node *doomed)
{
    while (!list_empty(list))
        leave_server_locked(list_entry(list->next, struct ipc_message, link), doomed);
}

/* Frees a message: kept as its channel's spare if that is empty, else back to the heap. */
static void message_free(struct ipc_message *msg, struct ipc_channel *channel)
{
    struct ipc_message *none = NULL;
    if (!channel || !__atomic_compare_exchange_n(&channel->spare, &none, msg, false,
                                                 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        kfree(msg);
}

/* An empty cargo (nothing else of it is read while `any` is false). */
static inline void cargo_none(struct ipc_cargo *cargo)
{
    cargo->any = false;
    cargo->moves = false;
}

/* Moves `from`'s assets to `to`, leaving `from` empty. */
static inline void cargo_take(struct ipc_cargo *to, struct ipc_cargo *from)
{
    if (from->any)
        *to = *from;
    else
        cargo_none(to);
    cargo_none(from);
}

/* Drops the references a cargo holds; it is empty afterwards. */
static void cargo_put(struct ipc_cargo *cargo)
{
    for (unsigned i = 0; cargo->any && i < WG_MESSAGE_ENTRIES; i++)
        if (cargo->assets[i])
            asset_put(cargo->assets[i]);
    cargo_none(cargo);
}

void ipc_message_free(struct ipc_message *msg)
{
    if (msg->cargo.any)
        cargo_put(&msg->cargo);
    struct ipc_channel *channel = msg->channel;
    message_free(msg, channel);
    if (channel)
        ipc_channel_put(channel);
}

void ipc_finish(struct list_node *doomed)
{
    while (!list_empty(doomed)) {
        struct ipc_message *msg = list_entry(doomed->next, struct ipc_message, link);
        list_remove(&msg->link);
        ipc_message_free(msg);
    }
}

/* A message of `channel`: its spare if it has one, else from the heap. */
struct ipc_message *ipc_message_take(struct ipc_channel *channel)
{
    struct ipc_message *msg = __atomic_exchange_n(&channel->spare, NULL, __ATOMIC_ACQUIRE);
    if (!msg)
        msg = kmalloc(sizeof(*msg));
    if (!msg)
        return NULL;
    /* Every field but the body (the sender's copy overwrites it; a notice clears it), the
     * cargo arrays and the list links. */
    msg->id = msg->token = msg->sender_task = 0;
    msg->event = WG_IPC_EVENT_MESSAGE;
    msg->states = 0;
    cargo_none(&msg->cargo);
    __atomic_fetch_add(&channel->refs, 1, __ATOMIC_RELAXED);
    msg->channel = channel;
    return msg;
}

struct ipc_message *ipc_message_alloc(struct ipc_channel *channel)
{
    struct ipc_message *msg = ipc_message_take(channel);
    if (msg) {
        list_init(&msg->link);
        list_init(&msg->client_link);
    }
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
            ipc_doom_locked(msg, doomed);
    }
    while (!list_empty(&channel->outstanding)) {
        struct ipc_message *msg =
            list_entry(channel->outstanding.next, struct ipc_message, client_link);
        list_remove(&msg->client_link);
        msg->abandoned = true; /* awaiting a reply: freed when it comes or the server goes */
        if (msg->replied || list_empty(&msg->link))
            ipc_doom_locked(msg, doomed);
    }
    if (!channel->accepted || server->closed || channel->server_closed)
        return; /* nobody on the server side to tell */
    struct ipc_message *notice = ipc_message_alloc(channel);
    if (notice) { /* not counted against the queue bound: one per channel at most */
        memset(&notice->body, 0, sizeof notice->body);
        notice->event = WG_IPC_EVENT_CLOSED;
        list_push_back(&server->queue, &notice->link);
        wait_queue_wake_all(&server->waiters);
    }
}

/* Drops the references of handles taken out of a sender (at most one per entry). */
static void put_taken(struct asset **taken)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (taken[i])
            asset_put(taken[i]);
}

#define ENTRY_FLAGS (WG_ENTRY_ASSET | WG_ENTRY_MOVE | WG_ENTRY_RESTRICT)

static enum wg_error check_entry(const struct wg_message_entry *entry)
{
    uint32_t flags = entry->flags;
    if (flags & ~(uint32_t)ENTRY_FLAGS)
        return WG_ERR_INVALID_ARGUMENT;
    if (!(flags & WG_ENTRY_ASSET))
        return flags ? WG_ERR_INVALID_ARGUMENT : WG_ERR_OK; /* MOVE or RESTRICT on data */
    if (flags & WG_ENTRY_RESTRICT && entry->rights & ~(uint32_t)WG_RIGHTS_ALL)
        return WG_ERR_INVALID_ARGUMENT;
    return WG_ERR_OK;
}

/* A moved handle named twice would reach the receiver twice: a copy made without the
 * DUPLICATE right. */
static bool moves_twice(const struct wg_message *body)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
        if (!(body->entries[i].flags & WG_ENTRY_MOVE))
            continue;
        for (unsigned j = 0; j < WG_MESSAGE_ENTRIES; j++)
            if (i != j && body->entries[j].flags & WG_ENTRY_ASSET &&
                body->entries[i].value == body->entries[j].value)
                return true;
    }
    return false;
}

/* Messages do not carry IPC servers or connections: a message holding a channel (its own,
 * or one whose messages hold this one) would keep itself alive forever. Those assets move
 * between spaces with ASSET_MOVE/ASSET_COPY instead. */
static bool is_ipc_asset(const struct asset *asset)
{
    return asset->kind == WG_ASSET_IPC_CONNECTION || asset->kind == WG_ASSET_IPC_SERVER;
}

/* Looks up one asset entry: TRANSFER needed, and DUPLICATE unless it moves. */
static enum wg_error cargo_add(struct ipc_cargo *cargo, unsigned i, struct space *from,
                               const struct wg_message_entry *entry)
{
    bool move = entry->flags & WG_ENTRY_MOVE;
    uint32_t needed = WG_RIGHT_TRANSFER | (move ? 0 : WG_RIGHT_DUPLICATE);
    struct asset_result found = space_lookup(from, entry->value, WG_ASSET_NONE, needed);
    if (found.err != WG_ERR_OK)
        return found.err;
    cargo->assets[i] = found.asset;
    cargo->rights[i] = found.rights & (entry->flags & WG_ENTRY_RESTRICT ? entry->rights : ~0u);
    cargo->moves |= move;
    return is_ipc_asset(found.asset) ? WG_ERR_INVALID_ARGUMENT : WG_ERR_OK;
}

/* Decodes a message's entries: checks their flags and looks up every asset they name in
 * `from` (a reference each); nothing changes in `from`. On error nothing is held. */
static enum wg_error cargo_lookup(struct space *from, const struct wg_message *body,
                                  struct ipc_cargo *cargo)
{
    uint32_t any_flags = 0;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        any_flags |= body->entries[i].flags;
    cargo_none(cargo);
    if (any_flags == 0)
        return WG_ERR_OK; /* plain data, the common case: nothing to check or look up */
    *cargo = (struct ipc_cargo){.any = true};
    enum wg_error err = moves_twice(body) ? WG_ERR_INVALID_ARGUMENT : WG_ERR_OK;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES && err == WG_ERR_OK; i++) {
        err = check_entry(&body->entries[i]);
        if (err == WG_ERR_OK && body->entries[i].flags & WG_ENTRY_ASSET)
            err = cargo_add(cargo, i, from, &body->entries[i]);
    }
    if (err != WG_ERR_OK)
        cargo_put(cargo);
    return err;
}

/* Moved handles must still name what was looked up (`from` locked). */
static enum wg_error moves_held_locked(struct space *from, const struct wg_message *body,
                                       const struct ipc_cargo *cargo)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (body->entries[i].flags & WG_ENTRY_MOVE &&
            !space_holds_locked(from, body->entries[i].value, cargo->assets[i]))
            return WG_ERR_STALE_HANDLE;
    return WG_ERR_OK;
}

/* Takes moved handles out of `from` (locked, checked); their references go to `taken`. */
static void take_moves_locked(struct space *from, const struct wg_message *body,
                              struct asset **taken)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (body->entries[i].flags & WG_ENTRY_MOVE)
            taken[i] = space_take_locked(from, body->entries[i].value);
}

/* The sender's lock when handles move (before the server's), else just interrupts off. */
static uint64_t lock_sender(struct space *from, bool moves)
{
    return moves ? space_lock(from) : arch_irq_save();
}

static void unlock_sender(struct space *from, bool moves, uint64_t flags)
{
    if (moves)
        space_unlock(from, flags);
    else
        arch_irq_restore(flags);
}

/* Gives carried assets handles in `to` and rewrites the entries (assets consumed). */
static void give_assets(struct space *to, struct wg_message *body, struct ipc_cargo *cargo)
{
    if (!cargo->any) { /* plain data: only the rights fields are cleared */
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
            body->entries[i].rights = 0;
        return;
    }
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
        body->entries[i].rights = 0;
        if (!cargo->assets[i])
            continue;
        struct handle_result handle = space_insert(to, cargo->assets[i], cargo->rights[i]);
        bool given = handle.err == WG_ERR_OK;
        body->entries[i].value = given ? handle.handle : 0;
        body->entries[i].flags = WG_ENTRY_ASSET | (given ? 0 : WG_ENTRY_DROPPED);
        body->entries[i].rights = given ? cargo->rights[i] : 0;
        asset_put(cargo->assets[i]);
        cargo->assets[i] = NULL;
    }
    cargo_none(cargo);
}

/* Frees a message that was never linked anywhere. */
void ipc_message_discard(struct ipc_message *msg)
{
    struct list_node doomed;
    list_init(&doomed);
    list_push_back(&doomed, &msg->link);
    ipc_finish(&doomed);
}

/* Queues `msg` (server lock held, checks passed). */
enum wg_error ipc_send(struct ipc_connection *connection, struct space *from, uint64_t sender,
                       const struct wg_message *request, bool expect_reply, uint64_t *id,
                       struct task **receiver)
{
    struct ipc_channel *channel = connection->channel;
    struct ipc_server *server = channel->server;
    if (connection->server_side)
        return WG_ERR_WRONG_KIND;
    struct ipc_message *msg = ipc_message_alloc(channel);
    if (!msg)
        return WG_ERR_NO_MEMORY;
    msg->body = *request;
    msg->expects_reply = expect_reply;
    msg->sender_task = sender;
    enum wg_error err = cargo_lookup(from, &msg->body, &msg->cargo);
    struct asset *taken[WG_MESSAGE_ENTRIES] = {0};
    bool moves = msg->cargo.moves;
    if (err == WG_ERR_OK) { /* everything checked under the locks, then done at once */
        uint64_t flags = lock_sender(from, moves);
        spin_lock(&server->lock);
        err = ipc_send_check_locked(channel);
        if (err == WG_ERR_OK && moves)
            err = moves_held_locked(from, &msg->body, &msg->cargo);
        if (err == WG_ERR_OK) {
            ipc_enqueue_locked(channel, msg, &server->queue, msg->expects_reply);
            *id = msg->id;
            if (moves)
                take_moves_locked(from, &msg->body, taken);
        }
        spin_unlock(&server->lock);
        unlock_sender(from, moves, flags);
    }
    put_taken(taken);
    if (err != WG_ERR_OK) {
        ipc_message_discard(msg); /* nothing was moved: the sender keeps its handles */
        return err;
    }
    if (receiver) /* the caller is about to block: it hands its CPU to the receiver */
        *receiver = wait_queue_take(&server->waiters, 0);
    else
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
struct ipc_message *ipc_dequeue_locked(struct ipc_server *server)
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
                                    uint64_t *token, struct ipc_cargo *cargo, bool *closed)
{
    uint64_t flags = spin_lock_irqsave(&server->lock);
    *closed = server->closed;
    struct ipc_message *msg = server->closed ? NULL : ipc_dequeue_locked(server);
    if (msg) {
        cargo_take(cargo, &msg->cargo); /* the receiver gets them now */
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
                          struct wg_message *out, uint64_t *token, struct task *next)
{
    uint64_t now = timeout == WAIT_FOREVER ? 0 : arch_clock_ns(); /* forever: no clock read */
    uint64_t deadline =
        timeout == WAIT_FOREVER || timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
    for (;;) {
        enum wg_error err = wait_event_to(&server->waiters, server_has_work, server, timeout, next);
        next = NULL; /* spent by the first wait */
        if (err != WG_ERR_OK)
            return err;
        struct ipc_cargo cargo;
        cargo_none(&cargo);
        bool closed;
        struct ipc_message *msg = take_one(server, out, token, &cargo, &closed);
        if (msg) {
            give_assets(to, out, &cargo);
            if (!msg->expects_reply)
                ipc_message_discard(msg);
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

void ipc_answered_locked(struct ipc_message *msg, struct list_node *doomed, struct task **client)
{
    list_remove(&msg->link); /* the token is spent: a second reply finds nothing */
    msg->replied = true;
    if (client) /* the replier is about to block: its CPU goes to the caller */
        *client = ipc_take_caller_locked(&msg->channel->client_waiters, msg->sender_task);
    else
        wait_queue_wake_all(&msg->channel->client_waiters);
    if (msg->abandoned)
        ipc_doom_locked(msg, doomed);
}

/* Answers `msg` with `reply` and its cargo (server lock held). */
static void answer_locked(struct ipc_message *msg, const struct wg_message *reply,
                          const struct ipc_cargo *cargo, struct list_node *doomed,
                          struct task **client)
{
    msg->body = *reply;
    if (cargo->any)
        msg->cargo = *cargo;
    else
        cargo_none(&msg->cargo);
    ipc_answered_locked(msg, doomed, client);
}

enum wg_error ipc_reply(struct ipc_server *server, struct space *from, uint64_t token,
                        const struct wg_message *reply, struct task **client)
{
    struct ipc_cargo cargo;
    enum wg_error err = cargo_lookup(from, reply, &cargo); /* a bad reply keeps its token */
    if (err != WG_ERR_OK)
        return err;
    /* Found and answered in one hold of the lock: the client may give up on the message at
     * any time, and must find it either waiting or answered, never in between. */
    struct asset *taken[WG_MESSAGE_ENTRIES] = {0};
    struct list_node doomed;
    list_init(&doomed);
    uint64_t flags = lock_sender(from, cargo.moves);
    spin_lock(&server->lock);
    struct ipc_message *msg = ipc_find_awaiting_locked(server, token);
    err = msg ? WG_ERR_OK : WG_ERR_NOT_FOUND;
    if (err == WG_ERR_OK && cargo.moves)
        err = moves_held_locked(from, reply, &cargo);
    if (err == WG_ERR_OK) {
        answer_locked(msg, reply, &cargo, &doomed, client);
        if (cargo.moves)
            take_moves_locked(from, reply, taken);
    }
    spin_unlock(&server->lock);
    unlock_sender(from, cargo.moves, flags);
    put_taken(taken);
    if (err != WG_ERR_OK)
        cargo_put(&cargo);
    ipc_finish(&doomed);
    return err;
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

enum wg_error ipc_receive_reply(struct ipc_connection *connection, struct space *to,
                                uint64_t receiver, uint64_t id, uint64_t timeout,
                                struct wg_message *out, struct task *next)
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
    else if (msg->sender_task != receiver)
        err = WG_ERR_ACCESS_DENIED; /* only the sender collects the reply */
    spin_unlock_irqrestore(&server->lock, flags);
    if (err != WG_ERR_OK) {
        if (next)
            sched_make_ready(next);
        return err;
    }
    struct reply_wait w = {channel, msg}; /* msg stays: only this task unlinks it */
    err = wait_event_to(&channel->client_waiters, reply_ready, &w, timeout, next);
    if (err != WG_ERR_OK)
        return err;
    struct ipc_cargo cargo;
    cargo_none(&cargo);
    struct list_node doomed;
    list_init(&doomed);
    flags = spin_lock_irqsave(&server->lock);
    if (!msg->replied) {
        err = WG_ERR_PEER_CLOSED; /* the server went and left the message to us */
        ipc_doom_locked(msg, &doomed);
    } else {
        *out = msg->body;
        out->connection = 0;
        out->event = WG_IPC_EVENT_MESSAGE;
        cargo_take(&cargo, &msg->cargo);
        ipc_doom_locked(msg, &doomed);
    }
    spin_unlock_irqrestore(&server->lock, flags);
    ipc_finish(&doomed);
    if (err == WG_ERR_OK)
        give_assets(to, out, &cargo);
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
    if (msg) /* gone at once, even from a receiver's hands: its token then finds nothing,
              * and a receiver that died holding it cannot keep a queue slot for ever */
        ipc_doom_locked(msg, &doomed);
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
