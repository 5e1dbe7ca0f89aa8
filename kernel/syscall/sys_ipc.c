/* IPC syscalls: argument checks and user copies around kernel/ipc. */
#include "kernel/ipc/ipc.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

/* Looks up args[1] in the space args[0] as `kind`, with a reference. */
static struct asset *lookup(const uint64_t *args, enum wg_asset_kind kind, struct space **space,
                            enum wg_error *err)
{
    struct space_result resolved = space_resolve(syscall_space(), args[0]);
    *err = resolved.err;
    if (resolved.err != WG_ERR_OK)
        return NULL;
    struct asset *asset = space_lookup(resolved.space, args[1], kind, err);
    if (!asset) {
        space_put(resolved.space);
        return NULL;
    }
    *space = resolved.space;
    return asset;
}

static void release(struct asset *asset, struct space *space)
{
    asset_put(asset);
    space_put(space);
}

/* Inserts a fresh asset into `space`, dropping the creation reference. */
static struct syscall_result insert_new(struct space *space, struct asset *asset)
{
    struct handle_result handle = space_insert(space, asset);
    asset_put(asset);
    return (struct syscall_result){handle.err, handle.err == WG_ERR_OK ? handle.handle : 0};
}

struct syscall_result sys_IPC_SERVER_CREATE(const uint64_t *args)
{
    if (args[1] & ~(uint64_t)WG_IPC_SERVER_ROOT)
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    uint64_t probe = 0;
    enum wg_error err = copy_to_user(args[2], &probe, sizeof(probe)); /* writable? */
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    RESOLVE_SPACE(space, 0);
    struct ipc_server *server = ipc_server_create(args[1] & WG_IPC_SERVER_ROOT, &err);
    struct syscall_result result = SYSCALL_ERR(err);
    if (server) {
        uint64_t address = server->address;
        result = insert_new(space, &server->asset);
        if (result.err == WG_ERR_OK)
            copy_to_user(args[2], &address, sizeof(address));
    }
    space_put(space);
    return result;
}

struct syscall_result sys_IPC_CONNECT(const uint64_t *args)
{
    RESOLVE_SPACE(space, 0);
    enum wg_error err;
    struct ipc_connection *connection = ipc_connect(args[1], &err);
    struct syscall_result result =
        connection ? insert_new(space, &connection->asset) : SYSCALL_ERR(err);
    space_put(space);
    return result;
}

struct syscall_result sys_IPC_ACCEPT(const uint64_t *args)
{
    struct space *space;
    enum wg_error err;
    struct asset *server = lookup(args, WG_ASSET_IPC_SERVER, &space, &err);
    if (!server)
        return SYSCALL_ERR(err);
    wg_handle handle = 0;
    err = ipc_accept(asset_server(server), space, args[2], &handle);
    release(server, space);
    return (struct syscall_result){err, err == WG_ERR_OK ? handle : 0};
}

struct syscall_result sys_IPC_WAIT_ACCEPT(const uint64_t *args)
{
    struct space *space;
    enum wg_error err;
    struct asset *connection = lookup(args, WG_ASSET_IPC_CONNECTION, &space, &err);
    if (!connection)
        return SYSCALL_ERR(err);
    err = ipc_wait_accept(asset_connection(connection), args[2]);
    release(connection, space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IPC_SEND(const uint64_t *args)
{
    struct wg_message message;
    if (args[3] & ~(uint64_t)WG_IPC_EXPECT_REPLY)
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    enum wg_error err = copy_from_user(&message, args[2], sizeof(message));
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct space *space;
    struct asset *connection = lookup(args, WG_ASSET_IPC_CONNECTION, &space, &err);
    if (!connection)
        return SYSCALL_ERR(err);
    uint64_t id = 0;
    err =
        ipc_send(asset_connection(connection), space, &message, args[3] & WG_IPC_EXPECT_REPLY, &id);
    release(connection, space);
    return (struct syscall_result){err, err == WG_ERR_OK ? id : 0};
}

/* Copies a received message out; on a bad buffer the message is lost, as documented. */
static struct syscall_result receive_reply(const uint64_t *args, uint64_t id, uint64_t out,
                                           uint64_t timeout)
{
    struct space *space;
    enum wg_error err;
    struct asset *connection = lookup(args, WG_ASSET_IPC_CONNECTION, &space, &err);
    if (!connection)
        return SYSCALL_ERR(err);
    struct wg_message reply;
    err = ipc_receive_reply(asset_connection(connection), space, id, timeout, &reply);
    if (err == WG_ERR_OK)
        err = copy_to_user(out, &reply, sizeof(reply));
    release(connection, space);
    return SYSCALL_ERR(err);
}

/* Checks a user buffer can take a message before anything is consumed: read it and write
 * the same bytes back (the caller's own buffer, so the race is the caller's). */
static enum wg_error check_writable(uint64_t buffer)
{
    struct wg_message probe;
    enum wg_error err = copy_from_user(&probe, buffer, sizeof(probe));
    return err == WG_ERR_OK ? copy_to_user(buffer, &probe, sizeof(probe)) : err;
}

struct syscall_result sys_IPC_RECEIVE_REPLY(const uint64_t *args)
{
    enum wg_error err = check_writable(args[3]);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    return receive_reply(args, args[2], args[3], args[4]);
}

struct syscall_result sys_IPC_CALL(const uint64_t *args)
{
    struct wg_message message;
    enum wg_error err = copy_from_user(&message, args[2], sizeof(message));
    if (err == WG_ERR_OK)
        err = check_writable(args[3]);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct space *space;
    struct asset *connection = lookup(args, WG_ASSET_IPC_CONNECTION, &space, &err);
    if (!connection)
        return SYSCALL_ERR(err);
    uint64_t id = 0;
    err = ipc_send(asset_connection(connection), space, &message, true, &id);
    struct wg_message reply;
    if (err == WG_ERR_OK) {
        err = ipc_receive_reply(asset_connection(connection), space, id, args[4], &reply);
        if (err == WG_ERR_TIMED_OUT || err == WG_ERR_KILLED)
            ipc_abandon(asset_connection(connection), id);
    }
    if (err == WG_ERR_OK)
        err = copy_to_user(args[3], &reply, sizeof(reply));
    release(connection, space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IPC_RECEIVE(const uint64_t *args)
{
    struct wg_message message;
    enum wg_error err = check_writable(args[2]);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct space *space;
    struct asset *server = lookup(args, WG_ASSET_IPC_SERVER, &space, &err);
    if (!server)
        return SYSCALL_ERR(err);
    uint64_t token = 0;
    err = ipc_receive(asset_server(server), space, args[3], &message, &token);
    if (err == WG_ERR_OK)
        err = copy_to_user(args[2], &message, sizeof(message));
    release(server, space);
    return (struct syscall_result){err, err == WG_ERR_OK ? token : 0};
}

struct syscall_result sys_IPC_REPLY(const uint64_t *args)
{
    struct wg_message reply;
    enum wg_error err = copy_from_user(&reply, args[3], sizeof(reply));
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct space *space;
    struct asset *server = lookup(args, WG_ASSET_IPC_SERVER, &space, &err);
    if (!server)
        return SYSCALL_ERR(err);
    err = ipc_reply(asset_server(server), space, args[2], &reply);
    release(server, space);
    return SYSCALL_ERR(err);
}
