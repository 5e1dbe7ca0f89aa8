/* IPC servers, channels and connection assets: creation, the address registry, connecting
 * and accepting, and what closing either side does. */
#include "kernel/arch.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_internal.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/space/space.h"

static struct spinlock registry_lock = SPINLOCK_INIT;
static struct list_node registry = {&registry, &registry};
static uint64_t next_address = 1;

void ipc_server_put(struct ipc_server *server)
{
    if (__atomic_sub_fetch(&server->refs, 1, __ATOMIC_ACQ_REL) == 0)
        kfree(server);
}

void ipc_server_get(struct ipc_server *server)
{
    __atomic_fetch_add(&server->refs, 1, __ATOMIC_RELAXED);
}

void ipc_server_release(struct ipc_server *server)
{
    ipc_server_put(server);
}

void ipc_channel_put(struct ipc_channel *channel)
{
    if (__atomic_sub_fetch(&channel->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    ipc_server_put(channel->server);
    kfree(channel->spare);
    kfree(channel);
}

/* Closing the server (its last handle went): every client learns it, nothing queued stays. */
static void server_destroy(struct asset *asset)
{
    struct ipc_server *server = asset_server(asset);
    struct list_node doomed;
    list_init(&doomed);
    uint64_t flags = spin_lock_irqsave(&registry_lock);
    list_remove(&server->registry_link);
    spin_unlock_irqrestore(&registry_lock, flags);

    flags = spin_lock_irqsave(&server->lock);
    server->closed = true;
    struct list_node *lists[] = {&server->pending, &server->channels};
    for (int i = 0; i < 2; i++)
        while (!list_empty(lists[i])) {
            struct ipc_channel *channel = list_entry(lists[i]->next, struct ipc_channel, link);
            list_remove(&channel->link);
            channel->server_closed = true;
            ipc_wake_client_later(channel, &doomed);
        }
    ipc_take_all(&server->queue, &doomed);
    ipc_take_all(&server->awaiting, &doomed);
    spin_unlock_irqrestore(&server->lock, flags);
    ipc_finish(&doomed);
    wait_queue_wake_all(&server->waiters);
    wait_queue_wake_all(&server->accept_waiters);
    ipc_server_put(server);
}

struct ipc_server_result ipc_server_create(bool root)
{
    struct ipc_server *server = kcalloc(1, sizeof(*server));
    if (!server)
        return (struct ipc_server_result){.err = WG_ERR_NO_MEMORY};
    server->refs = 1;
    server->lock = (struct spinlock)SPINLOCK_INIT;
    wait_queue_init(&server->waiters);
    wait_queue_init(&server->accept_waiters);
    list_init(&server->pending);
    list_init(&server->channels);
    list_init(&server->queue);
    list_init(&server->awaiting);
    uint64_t flags = spin_lock_irqsave(&registry_lock);
    bool taken = false;
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &registry)
    {
        struct ipc_server *other = list_entry(node, struct ipc_server, registry_link);
        taken |= root && other->address == WG_IPC_ROOT_ADDRESS;
    }
    if (!taken) {
        server->address = root ? WG_IPC_ROOT_ADDRESS : next_address++;
        list_push_back(&registry, &server->registry_link);
    }
    spin_unlock_irqrestore(&registry_lock, flags);
    if (taken) {
        kfree(server);
        return (struct ipc_server_result){.err = WG_ERR_ALREADY_EXISTS};
    }
    asset_init(&server->asset, WG_ASSET_IPC_SERVER, server_destroy);
    return (struct ipc_server_result){WG_ERR_OK, server};
}

static void connection_destroy(struct asset *asset)
{
    struct ipc_connection *connection = asset_connection(asset);
    struct ipc_channel *channel = connection->channel;
    struct ipc_server *server = channel->server;
    struct list_node doomed;
    list_init(&doomed);
    uint64_t flags = spin_lock_irqsave(&server->lock);
    if (connection->server_side) {
        channel->server_closed = true;
        ipc_server_end_closed_locked(server, channel, &doomed);
        ipc_wake_client_later(channel, &doomed);
    } else {
        channel->client_closed = true;
        ipc_client_closed_locked(server, channel, &doomed);
    }
    spin_unlock_irqrestore(&server->lock, flags);
    ipc_finish(&doomed);
    ipc_channel_put(channel);
    kfree(connection);
}

struct ipc_connection *ipc_connection_create(struct ipc_channel *channel, bool server_side)
{
    struct ipc_connection *connection = kcalloc(1, sizeof(*connection));
    if (!connection)
        return NULL;
    __atomic_fetch_add(&channel->refs, 1, __ATOMIC_RELAXED);
    connection->channel = channel;
    connection->server_side = server_side;
    asset_init(&connection->asset, WG_ASSET_IPC_CONNECTION, connection_destroy);
    return connection;
}

static struct ipc_server *find_server(uint64_t address)
{
    struct ipc_server *found = NULL;
    uint64_t flags = spin_lock_irqsave(&registry_lock);
    struct list_node *node, *tmp;
    list_for_each_safe(node, tmp, &registry)
    {
        struct ipc_server *server = list_entry(node, struct ipc_server, registry_link);
        if (server->address == address && !server->closed) {
            found = server;
            __atomic_fetch_add(&server->refs, 1, __ATOMIC_RELAXED);
            break;
        }
    }
    spin_unlock_irqrestore(&registry_lock, flags);
    return found;
}

struct ipc_connection_result ipc_connect(uint64_t address)
{
    struct ipc_server *server = find_server(address);
    if (!server)
        return (struct ipc_connection_result){.err = WG_ERR_NOT_FOUND};
    struct ipc_channel *channel = kcalloc(1, sizeof(*channel));
    struct ipc_connection *connection = NULL;
    if (channel) {
        channel->refs = 1; /* ours until the connection asset holds it */
        channel->server = server;
        list_init(&channel->link);
        wait_queue_init(&channel->client_waiters);
        list_init(&channel->outstanding);
        connection = ipc_connection_create(channel, false);
    }
    if (!connection) {
        kfree(channel);
        ipc_server_put(server);
        return (struct ipc_connection_result){.err = WG_ERR_NO_MEMORY};
    }
    uint64_t flags = spin_lock_irqsave(&server->lock);
    enum wg_error err = server->closed ? WG_ERR_PEER_CLOSED : WG_ERR_OK;
    if (!server->closed)
        list_push_back(&server->pending, &channel->link);
    else
        channel->server_closed = true;
    spin_unlock_irqrestore(&server->lock, flags);
    ipc_channel_put(channel);
    if (err != WG_ERR_OK) {
        asset_put(&connection->asset);
        return (struct ipc_connection_result){.err = err};
    }
    wait_queue_wake_all(&server->accept_waiters);
    return (struct ipc_connection_result){WG_ERR_OK, connection};
}

static bool accept_ready(void *ctx)
{
    struct ipc_server *server = ctx;
    return !list_empty(&server->pending) || server->closed;
}

/* Takes a pending channel, or NULL if another acceptor was faster. */
static struct ipc_channel *take_pending(struct ipc_server *server)
{
    uint64_t flags = spin_lock_irqsave(&server->lock);
    struct ipc_channel *channel = NULL;
    if (!list_empty(&server->pending)) {
        channel = list_entry(server->pending.next, struct ipc_channel, link);
        list_remove(&channel->link);
        __atomic_fetch_add(&channel->refs, 1, __ATOMIC_RELAXED);
    }
    spin_unlock_irqrestore(&server->lock, flags);
    return channel;
}

/* Marks the channel accepted under the server-side handle. A client that closed meanwhile
 * still gets its closing notice queued, so the server hears of every connection it holds. */
static void finish_accept(struct ipc_server *server, struct ipc_channel *channel, wg_handle handle)
{
    uint64_t flags = spin_lock_irqsave(&server->lock);
    channel->accepted = true;
    channel->server_handle = handle;
    if (channel->client_closed) {
        struct list_node doomed;
        list_init(&doomed);
        ipc_client_closed_locked(server, channel, &doomed); /* queues the notice only */
    } else {
        list_push_back(&server->channels, &channel->link);
    }
    spin_unlock_irqrestore(&server->lock, flags);
}

enum wg_error ipc_accept(struct ipc_server *server, struct space *space, uint64_t timeout,
                         wg_handle *out)
{
    uint64_t now = arch_clock_ns();
    uint64_t deadline =
        timeout == WAIT_FOREVER || timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
    struct ipc_channel *channel;
    for (;;) {
        enum wg_error err = wait_event(&server->accept_waiters, accept_ready, server, timeout);
        if (err != WG_ERR_OK)
            return err;
        channel = take_pending(server);
        if (channel)
            break;
        if (server->closed)
            return WG_ERR_PEER_CLOSED;
        if (timeout == 0)
            return WG_ERR_WOULD_BLOCK;
        if (deadline != UINT64_MAX) { /* another acceptor took it: wait for what is left */
            now = arch_clock_ns();
            if (now >= deadline)
                return WG_ERR_TIMED_OUT;
            timeout = deadline - now;
        }
    }
    struct ipc_connection *connection = ipc_connection_create(channel, true);
    struct handle_result handle = {.err = WG_ERR_NO_MEMORY};
    if (connection) {
        handle = space_insert(space, &connection->asset, WG_RIGHTS_ALL);
        asset_put(&connection->asset);
    }
    if (handle.err == WG_ERR_OK)
        finish_accept(server, channel, handle.handle);
    wait_queue_wake_all(&channel->client_waiters);
    ipc_channel_put(channel);
    *out = handle.handle;
    return handle.err;
}

static bool accepted_or_closed(void *ctx)
{
    struct ipc_channel *channel = ctx;
    return channel->accepted || channel->server_closed;
}

enum wg_error ipc_wait_accept(struct ipc_connection *connection, uint64_t timeout)
{
    struct ipc_channel *channel = connection->channel;
    if (connection->server_side)
        return WG_ERR_WRONG_KIND;
    enum wg_error err = wait_event(&channel->client_waiters, accepted_or_closed, channel, timeout);
    if (err == WG_ERR_OK && !channel->accepted)
        err = WG_ERR_PEER_CLOSED;
    return err;
}
