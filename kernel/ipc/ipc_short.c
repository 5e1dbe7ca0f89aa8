/* Short messages (docs/ipc.md#short-messages): a call, and a server's reply-and-receive,
 * whose messages are at most WG_IPC_SHORT_WORDS data words, carried in registers. They use
 * the general path's messages, lists and waits, so every guarantee stays (timeouts, kills,
 * peer death, the queue bound, a reply only to its caller); what they leave out is every
 * copy through user memory, the asset passes and the generic wait. A caller that finds a
 * receiver parked in IPC_REPLY_RECEIVE_SHORT (and nothing queued before it) gives it the
 * words and its CPU in one step: the message goes straight to the awaiting list. */
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_internal.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/task.h"
#include "kernel/sched/wait_inline.h"
#include "lib/container_of.h"

/* Whether a body is nothing but its first WG_IPC_SHORT_WORDS values. */
static bool body_is_short(const struct wg_message *body)
{
    uint64_t rest = 0;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        rest |= body->entries[i].flags | (i >= WG_IPC_SHORT_WORDS ? body->entries[i].value : 0);
    return rest == 0;
}

static void body_set_short(struct wg_message *body, const uint64_t *words)
{
    *body = (struct wg_message){0};
    body->entries[0].value = words[0];
    body->entries[1].value = words[1];
    body->entries[2].value = words[2];
    body->entries[3].value = words[3];
}

/* A short body's words as a call's answer (long_id 0). */
static void reply_from_body(struct ipc_short_reply *reply, const struct wg_message *body)
{
    _Static_assert(WG_IPC_SHORT_WORDS == 4, "short messages are four words");
    reply->w0 = body->entries[0].value;
    reply->w1 = body->entries[1].value;
    reply->w2 = body->entries[2].value;
    reply->w3 = body->entries[3].value;
    reply->long_id = 0;
}

/* The receiver parked in the short receive first in line on the server, taken off its wait
 * queue (not woken); NULL if the first waiter is not one (server lock held). */
static struct task *take_parked_locked(struct ipc_server *server)
{
    struct task *parked = NULL;
    spin_lock(&server->waiters.lock);
    struct list_node *first = server->waiters.waiters.next;
    if (first != &server->waiters.waiters) {
        struct task *task = container_of(first, struct task, wait.link);
        if (task->ipc.parked) {
            wait_queue_take_locked(task);
            parked = task;
        }
    }
    spin_unlock(&server->waiters.lock);
    return parked;
}

/* Sends the caller's `msg` (checked) holding `words`: when the queue is empty, straight to a
 * parked receiver, its message written where its syscall returns from; else queued. Returns
 * the receiver to hand the CPU to, if any. */
static struct task *send_locked(struct ipc_server *server, struct ipc_channel *channel,
                                struct ipc_message *msg, const uint64_t *words)
{
    struct task *receiver = list_empty(&server->queue) ? take_parked_locked(server) : NULL;
    if (!receiver) { /* through the queue, whole, for whichever receiver comes */
        body_set_short(&msg->body, words);
        ipc_enqueue_locked(channel, msg, &server->queue, true);
        return wait_queue_take(&server->waiters, 0);
    }
    msg->received = true;
    ipc_enqueue_locked(channel, msg, &server->awaiting, true);
    struct ipc_short_message *out = receiver->ipc.out;
    out->connection = channel->server_handle;
    out->token = msg->token;
    out->w0 = words[0];
    out->w1 = words[1];
    out->w2 = words[2];
    out->w3 = words[3];
    receiver->ipc.delivered = true;
    return receiver;
}

/* The answer to `msg` (server lock held): its words in `reply`, or for a reply too long for
 * registers its id, the message staying on the channel for IPC_RECEIVE_REPLY. Returns the
 * message if it is done with (the caller frees it once the lock is released). */
static struct ipc_message *collect_locked(struct ipc_message *msg, struct ipc_short_reply *reply,
                                          enum wg_error *err)
{
    *err = WG_ERR_OK;
    if (!msg->replied) /* the server went and left the message to us */
        *err = WG_ERR_PEER_CLOSED;
    else if (msg->short_reply || (!msg->cargo.any && body_is_short(&msg->body)))
        reply_from_body(reply, &msg->body);
    else { /* the words say nothing then: zeros, not what the registers held */
        *reply = (struct ipc_short_reply){.long_id = msg->id};
        return NULL;
    }
    if (!list_empty(&msg->link))
        list_remove(&msg->link);
    list_remove(&msg->client_link);
    msg->channel->alive--;
    return msg;
}

/* Waits for the answer to `msg` (sent) with the server lock held (`flags`), handing the CPU
 * to `next` first; returns with the lock released. `may_block` false: just checks. */
static enum wg_error await_reply(struct ipc_channel *channel, struct ipc_message *msg,
                                 uint64_t flags, struct task *next, bool may_block,
                                 struct ipc_short_reply *reply)
{
    struct ipc_server *server = channel->server;
    if (!may_block) { /* just sent, under this hold of the lock: not answered */
        spin_unlock_irqrestore(&server->lock, flags);
        if (next)
            sched_make_ready(next);
        return WG_ERR_WOULD_BLOCK;
    }
    do { /* the first time: just sent, not answered, the server not closed */
        spin_lock(&channel->client_waiters.lock);
        spin_unlock(&server->lock);
        enum wg_error err = wait_block_locked(&channel->client_waiters, flags, next);
        next = NULL;
        if (err != WG_ERR_OK)
            return err;         /* killed or timed out: the caller gives the message up */
        if (msg->handed_back) { /* the replier took us off the queue and wrote `reply` */
            ipc_message_free(msg);
            return WG_ERR_OK;
        }
        flags = spin_lock_irqsave(&server->lock);
    } while (!msg->replied && !channel->server_closed && !server->closed);
    enum wg_error err;
    struct ipc_message *done = collect_locked(msg, reply, &err);
    spin_unlock_irqrestore(&server->lock, flags);
    if (next)
        sched_make_ready(next);
    if (done)
        ipc_message_free(done);
    return err;
}

enum wg_error ipc_call_short(struct ipc_connection *connection, const uint64_t *words,
                             uint64_t timeout, struct ipc_short_reply *reply)
{
    struct ipc_channel *channel = connection->channel;
    struct ipc_server *server = channel->server;
    if (connection->server_side)
        return WG_ERR_WRONG_KIND;
    struct ipc_message *msg = ipc_message_take(channel); /* queued or discarded below */
    if (!msg)
        return WG_ERR_NO_MEMORY;
    struct task *self = task_current();
    msg->expects_reply = msg->short_call = true;
    msg->sender_task = self->id;
    self->ipc.out = reply;
    wait_arm(&channel->client_waiters, timeout);
    uint64_t flags = spin_lock_irqsave(&server->lock);
    enum wg_error err = ipc_send_check_locked(channel);
    if (err != WG_ERR_OK) {
        spin_unlock_irqrestore(&server->lock, flags);
        ipc_message_discard(msg);
        return wait_disarm(timeout, err);
    }
    struct task *receiver = send_locked(server, channel, msg, words);
    uint64_t id = msg->id; /* once answered, msg may be freed by anyone but us: keep the id */
    err = await_reply(channel, msg, flags, receiver, timeout != 0, reply);
    err = wait_disarm(timeout, err);
    if (__builtin_expect(err != WG_ERR_OK, 0) &&
        (err == WG_ERR_TIMED_OUT || err == WG_ERR_KILLED || err == WG_ERR_WOULD_BLOCK))
        ipc_abandon(connection, id);
    return err;
}

/* Answers the short call `msg` (server lock held). Its caller, if it still waits, is taken
 * (not woken) into *client, its answer written where its syscall returns from, and the
 * message handed back to it: out of every list, for it alone to free. */
static void answer_short_call_locked(struct ipc_message *msg, const uint64_t *words,
                                     struct task **client, struct list_node *doomed)
{
    struct ipc_channel *channel = msg->channel;
    msg->replied = true;
    list_remove(&msg->link); /* the token is spent */
    if (msg->abandoned) {    /* its caller gave up (and may wait on something else now) */
        ipc_doom_locked(msg, doomed);
        return;
    }
    struct task *caller = ipc_take_caller_locked(&channel->client_waiters, msg->sender_task);
    *client = caller;
    if (caller) {
        struct ipc_short_reply *reply = caller->ipc.out;
        reply->w0 = words[0];
        reply->w1 = words[1];
        reply->w2 = words[2];
        reply->w3 = words[3];
        reply->long_id = 0;
        list_remove(&msg->client_link);
        channel->alive--;
        msg->handed_back = true;
        return;
    }
    msg->body.entries[0].value = words[0]; /* its caller reads nothing but the words */
    msg->body.entries[1].value = words[1];
    msg->body.entries[2].value = words[2];
    msg->body.entries[3].value = words[3];
    msg->short_reply = true;
}

/* Answers the message of `token` with `words` (server lock held); a token no received
 * message has (its caller gave up, or a forged one) is ignored. */
static void answer_locked(struct ipc_server *server, uint64_t token, const uint64_t *words,
                          struct task **client, struct list_node *doomed)
{
    struct ipc_message *msg = ipc_find_awaiting_locked(server, token);
    if (!msg)
        return;
    if (msg->short_call) {
        answer_short_call_locked(msg, words, client, doomed);
        return;
    }
    body_set_short(&msg->body, words); /* its cargo went to the receiver: it is empty */
    ipc_answered_locked(msg, doomed, client);
}

/* The oldest queued message into `out` if it is short (it leaves the queue; a one-way one
 * goes to `doomed`), else out->connection = 0 and it stays for IPC_RECEIVE. */
static void receive_head_locked(struct ipc_server *server, struct ipc_short_message *out,
                                struct list_node *doomed)
{
    struct ipc_message *head = list_entry(server->queue.next, struct ipc_message, link);
    if (head->event != WG_IPC_EVENT_MESSAGE || head->cargo.any || !body_is_short(&head->body)) {
        *out = (struct ipc_short_message){0};
        return;
    }
    ipc_dequeue_locked(server);
    out->connection = head->body.connection;
    out->token = head->expects_reply ? head->token : 0;
    out->w0 = head->body.entries[0].value;
    out->w1 = head->body.entries[1].value;
    out->w2 = head->body.entries[2].value;
    out->w3 = head->body.entries[3].value;
    if (!head->expects_reply) /* already out of every list and uncounted */
        list_push_back(doomed, &head->link);
}

/* Receives for the current task with the server lock held (`flags`): the oldest queued
 * message, or else it parks on the server (handing the CPU to `next` when it first blocks)
 * until a caller writes it a message or one is queued. Returns with the lock released. */
static enum wg_error receive_locked(struct ipc_server *server, uint64_t flags, struct task *next,
                                    struct ipc_short_message *out, struct list_node *doomed)
{
    struct task *self = task_current();
    enum wg_error err = WG_ERR_OK;
    while (list_empty(&server->queue) && !server->closed) {
        if (!list_empty(doomed)) { /* freed before parking, not when the wait ends */
            spin_unlock_irqrestore(&server->lock, flags);
            ipc_finish(doomed);
            flags = spin_lock_irqsave(&server->lock);
            continue;
        }
        self->ipc.parked = true;
        self->ipc.out = out;
        spin_lock(&server->waiters.lock);
        spin_unlock(&server->lock);
        err = wait_block_locked(&server->waiters, flags, next);
        next = NULL;
        if (self->ipc.delivered) { /* a caller took us off the queue: nobody else looks */
            self->ipc.delivered = self->ipc.parked = false;
            return WG_ERR_OK;
        }
        flags = spin_lock_irqsave(&server->lock);
        self->ipc.parked = false;
        if (err != WG_ERR_OK)
            break;
    }
    if (err == WG_ERR_OK && server->closed)
        err = WG_ERR_PEER_CLOSED;
    else if (err == WG_ERR_OK)
        receive_head_locked(server, out, doomed);
    spin_unlock_irqrestore(&server->lock, flags);
    if (next)
        sched_make_ready(next);
    return err;
}

enum wg_error ipc_reply_receive_short(struct ipc_server *server, uint64_t token,
                                      const uint64_t *reply, struct ipc_short_message *out)
{
    struct list_node doomed;
    list_init(&doomed);
    struct task *client = NULL; /* our caller, if it waits: it gets our CPU while we wait */
    wait_arm(&server->waiters, WAIT_FOREVER);
    uint64_t flags = spin_lock_irqsave(&server->lock);
    if (token != 0)
        answer_locked(server, token, reply, &client, &doomed);
    enum wg_error err = receive_locked(server, flags, client, out, &doomed);
    if (!list_empty(&doomed))
        ipc_finish(&doomed);
    return wait_disarm(WAIT_FOREVER, err);
}
