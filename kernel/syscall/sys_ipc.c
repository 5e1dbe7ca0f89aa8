/* IPC syscalls: argument checks and user copies around kernel/ipc. Rights: a connection
 * needs WRITE to send and READ to collect replies; a server READ to accept and receive and
 * WRITE to reply; the space argument MANAGE (syscall_lookup). */
#include <stddef.h>

#include "kernel/ipc/ipc.h"
#include "kernel/sched/task.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_result sys_IPC_SERVER_CREATE(const struct sys_ipc_server_create_args *args)
{
    uint64_t probe = 0;
    enum wg_error err = copy_to_user(args->address_out, &probe, sizeof(probe)); /* writable? */
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct ipc_server_result server = ipc_server_create(args->flags & WG_IPC_SERVER_ROOT);
    struct syscall_result result = SYSCALL_ERR(server.err);
    if (server.err == WG_ERR_OK) {
        uint64_t address = server.server->address;
        result = syscall_insert_new(space, &server.server->asset);
        if (result.err == WG_ERR_OK)
            copy_to_user(args->address_out, &address, sizeof(address));
    }
    space_put(space);
    return result;
}

struct syscall_result sys_IPC_CONNECT(const struct sys_ipc_connect_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct ipc_connection_result connection = ipc_connect(args->address);
    struct syscall_result result = SYSCALL_ERR(connection.err);
    if (connection.err == WG_ERR_OK)
        result = syscall_insert_new(space, &connection.connection->asset);
    space_put(space);
    return result;
}

struct syscall_result sys_IPC_ACCEPT(const struct sys_ipc_accept_args *args)
{
    struct syscall_target server =
        syscall_lookup(args->space, args->server, WG_ASSET_IPC_SERVER, WG_RIGHT_READ);
    if (server.err != WG_ERR_OK)
        return SYSCALL_ERR(server.err);
    wg_handle handle = 0;
    enum wg_error err =
        ipc_accept(asset_server(server.asset), server.space, args->timeout_ns, &handle);
    syscall_target_put(&server);
    return (struct syscall_result){err, err == WG_ERR_OK ? handle : 0};
}

struct syscall_result sys_IPC_WAIT_ACCEPT(const struct sys_ipc_wait_accept_args *args)
{
    struct syscall_target connection =
        syscall_lookup(args->space, args->connection, WG_ASSET_IPC_CONNECTION, WG_RIGHT_READ);
    if (connection.err != WG_ERR_OK)
        return SYSCALL_ERR(connection.err);
    enum wg_error err = ipc_wait_accept(asset_connection(connection.asset), args->timeout_ns);
    syscall_target_put(&connection);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IPC_SEND(const struct sys_ipc_send_args *args)
{
    struct wg_message message;
    enum wg_error err = copy_from_user(&message, args->message, sizeof(message));
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target connection =
        syscall_lookup(args->space, args->connection, WG_ASSET_IPC_CONNECTION, WG_RIGHT_WRITE);
    if (connection.err != WG_ERR_OK)
        return SYSCALL_ERR(connection.err);
    uint64_t id = 0;
    err = ipc_send(asset_connection(connection.asset), connection.space, syscall_task()->id,
                   &message, args->flags & WG_IPC_EXPECT_REPLY, &id, NULL);
    syscall_target_put(&connection);
    return (struct syscall_result){err, err == WG_ERR_OK ? id : 0};
}

/* A user buffer that will take a received message: checked before anything is consumed. */
static enum wg_error check_writable(uint64_t buffer)
{
    return user_probe_writable(buffer, sizeof(struct wg_message));
}

struct syscall_result sys_IPC_RECEIVE_REPLY(const struct sys_ipc_receive_reply_args *args)
{
    enum wg_error err = check_writable(args->out);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target connection =
        syscall_lookup(args->space, args->connection, WG_ASSET_IPC_CONNECTION, WG_RIGHT_READ);
    if (connection.err != WG_ERR_OK)
        return SYSCALL_ERR(connection.err);
    struct wg_message reply;
    err = ipc_receive_reply(asset_connection(connection.asset), connection.space,
                            syscall_task()->id, args->message_id, args->timeout_ns, &reply, NULL);
    if (err == WG_ERR_OK) /* on a bad buffer the reply is lost, as documented */
        err = copy_to_user(args->out, &reply, sizeof(reply));
    syscall_target_put(&connection);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_IPC_CALL(const struct sys_ipc_call_args *args)
{
    struct wg_message message;
    enum wg_error err = copy_from_user(&message, args->message, sizeof(message));
    if (err == WG_ERR_OK)
        err = check_writable(args->reply);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target target = syscall_lookup(
        args->space, args->connection, WG_ASSET_IPC_CONNECTION, WG_RIGHT_READ | WG_RIGHT_WRITE);
    if (target.err != WG_ERR_OK)
        return SYSCALL_ERR(target.err);
    struct ipc_connection *connection = asset_connection(target.asset);
    uint64_t self = syscall_task()->id, id = 0;
    struct task *server = NULL; /* a waiting receiver: it gets our CPU while we wait */
    err = ipc_send(connection, target.space, self, &message, true, &id, &server);
    struct wg_message reply;
    if (err == WG_ERR_OK) {
        err =
            ipc_receive_reply(connection, target.space, self, id, args->timeout_ns, &reply, server);
        if (err == WG_ERR_TIMED_OUT || err == WG_ERR_KILLED || err == WG_ERR_WOULD_BLOCK)
            ipc_abandon(connection, id);
    }
    if (err == WG_ERR_OK)
        err = copy_to_user(args->reply, &reply, sizeof(reply));
    syscall_target_put(&target);
    return SYSCALL_ERR(err);
}

/* Receives into user `out` from the server of `target`, handing the CPU to `next` (may be
 * NULL) if it must wait; the reply token. */
static struct syscall_result receive(struct syscall_target *target, uint64_t out, uint64_t timeout,
                                     struct task *next)
{
    struct wg_message message;
    uint64_t token = 0;
    enum wg_error err =
        ipc_receive(asset_server(target->asset), target->space, timeout, &message, &token, next);
    if (err == WG_ERR_OK)
        err = copy_to_user(out, &message, sizeof(message));
    return (struct syscall_result){err, err == WG_ERR_OK ? token : 0};
}

struct syscall_result sys_IPC_RECEIVE(const struct sys_ipc_receive_args *args)
{
    enum wg_error err = check_writable(args->out);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target server =
        syscall_lookup(args->space, args->server, WG_ASSET_IPC_SERVER, WG_RIGHT_READ);
    if (server.err != WG_ERR_OK)
        return SYSCALL_ERR(server.err);
    struct syscall_result result = receive(&server, args->out, args->timeout_ns, NULL);
    syscall_target_put(&server);
    return result;
}

struct syscall_result sys_IPC_REPLY(const struct sys_ipc_reply_args *args)
{
    struct wg_message reply;
    enum wg_error err = copy_from_user(&reply, args->reply, sizeof(reply));
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target server =
        syscall_lookup(args->space, args->server, WG_ASSET_IPC_SERVER, WG_RIGHT_WRITE);
    if (server.err != WG_ERR_OK)
        return SYSCALL_ERR(server.err);
    err = ipc_reply(asset_server(server.asset), server.space, args->token, &reply, NULL);
    syscall_target_put(&server);
    return SYSCALL_ERR(err);
}

/* A server's loop in one call: the reply to `token` (0: none), then the next message; a
 * caller waiting for that reply gets this CPU straight away while the server waits. A reply
 * whose caller is gone (NOT_FOUND: it gave up or was killed) is dropped, as an abandoned
 * call's reply is; any other error of the reply is returned and nothing is received. */
struct syscall_result sys_IPC_REPLY_RECEIVE(const struct sys_ipc_reply_receive_args *args)
{
    struct wg_message reply;
    enum wg_error err =
        args->token ? copy_from_user(&reply, args->reply, sizeof(reply)) : WG_ERR_OK;
    if (err == WG_ERR_OK)
        err = check_writable(args->out);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    struct syscall_target server = syscall_lookup(args->space, args->server, WG_ASSET_IPC_SERVER,
                                                  WG_RIGHT_READ | WG_RIGHT_WRITE);
    if (server.err != WG_ERR_OK)
        return SYSCALL_ERR(server.err);
    struct task *client = NULL;
    if (args->token)
        err = ipc_reply(asset_server(server.asset), server.space, args->token, &reply, &client);
    struct syscall_result result = SYSCALL_ERR(err);
    if (err == WG_ERR_OK || err == WG_ERR_NOT_FOUND)
        result = receive(&server, args->out, args->timeout_ns, client);
    syscall_target_put(&server);
    return result;
}

/* The short-message syscalls answer in the registers they were entered with (syscall.S
 * restores rdi, rsi, r10, r8 and r9 from where it saved them, and returns rdx from C): their
 * answers are laid out as those saved registers, and written there directly, on success
 * only (an error leaves every register as it was). */
_Static_assert(offsetof(struct ipc_short_reply, w1) == 0 &&
                   offsetof(struct ipc_short_reply, w2) == 8 &&
                   offsetof(struct ipc_short_reply, w0) == 16 &&
                   offsetof(struct ipc_short_reply, w3) == 24 &&
                   offsetof(struct ipc_short_reply, long_id) == 32,
               "IPC_CALL_SHORT answers in rdi, rsi, rdx, r10, r8");
_Static_assert(offsetof(struct ipc_short_message, connection) == 0 &&
                   offsetof(struct ipc_short_message, w0) == 8 &&
                   offsetof(struct ipc_short_message, token) == 16 &&
                   offsetof(struct ipc_short_message, w1) == 24 &&
                   offsetof(struct ipc_short_message, w2) == 32 &&
                   offsetof(struct ipc_short_message, w3) == 40,
               "IPC_REPLY_RECEIVE_SHORT answers in rdi, rsi, rdx, r10, r8, r9");

static uint64_t *saved_registers(void)
{
    return arch_syscall_registers(syscall_task()->stack.top);
}

struct syscall_result sys_IPC_CALL_SHORT(const struct sys_ipc_call_short_args *args)
{
    struct asset_ref found = space_get_asset(
        syscall_space(), args->connection, WG_ASSET_IPC_CONNECTION, WG_RIGHT_READ | WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    /* w0..w3 are consecutive arguments: the words; the answer overwrites them in place */
    struct ipc_short_reply *reply = (struct ipc_short_reply *)saved_registers();
    enum wg_error err =
        ipc_call_short(asset_connection(found.asset), &args->w0, args->timeout_ns, reply);
    asset_put(found.asset);
    return (struct syscall_result){err, err == WG_ERR_OK ? reply->w0 : 0};
}

struct syscall_result
sys_IPC_REPLY_RECEIVE_SHORT(const struct sys_ipc_reply_receive_short_args *args)
{
    struct asset_ref found = space_get_asset(syscall_space(), args->server, WG_ASSET_IPC_SERVER,
                                             WG_RIGHT_READ | WG_RIGHT_WRITE);
    if (found.err != WG_ERR_OK)
        return SYSCALL_ERR(found.err);
    struct ipc_short_message *got = (struct ipc_short_message *)saved_registers();
    enum wg_error err =
        ipc_reply_receive_short(asset_server(found.asset), args->token, &args->w0, got);
    asset_put(found.asset);
    return (struct syscall_result){err, err == WG_ERR_OK ? got->token : 0};
}
