/* Stateful IPC and transfers: servers with a serving task, connections accepted or not,
 * sends (flooding the queue), calls and receives carrying assets copied, moved and
 * restricted; asset copies with fewer rights, whose handles must report no more rights than
 * asked and be refused what they lack; a handle table filled to the end. */
#include "sysfuzz.h"

#define CALL(n, ...) raw_call6(WG_SYS_##n, __VA_ARGS__)

static struct wg_message message, reply;
static bool exhausted_once;

static void op_server(void)
{
    uint64_t *address = (uint64_t *)args_scratch;
    struct raw_result server = CALL(IPC_SERVER_CREATE, WG_SELF, 0, (uint64_t)address, 0, 0, 0);
    if (server.err != WG_ERR_OK)
        return;
    if (pool_first_address == 0)
        pool_first_address = *address;
    pool_put(POOL_SERVER, server.value, *address);
    wg_handle task;
    int slot;
    enum role role = rng_chance(&fuzz.rng, 50) ? ROLE_SERVE : ROLE_SERVE_SHORT;
    if (rng_chance(&fuzz.rng, 70) && roles_task(WG_SELF, role, server.value, &task, &slot)) {
        CALL(TASK_START, WG_SELF, task, 0, 0, 0, 0);
        pool_put(POOL_TASK, task, (uint64_t)slot + 1);
    }
}

static void op_connect(void)
{
    struct raw_result conn = CALL(IPC_CONNECT, WG_SELF, pool_server_address(), 0, 0, 0, 0);
    if (conn.err != WG_ERR_OK)
        return;
    pool_put(POOL_CONNECTION, conn.value, 0);
    struct pool_entry *server = pool_pick(POOL_SERVER);
    if (server) {
        struct raw_result accepted = CALL(IPC_ACCEPT, WG_SELF, server->handle, 0, 0, 0, 0);
        if (accepted.err == WG_ERR_OK)
            pool_put(POOL_ACCEPTED, accepted.value, 0);
    }
    CALL(IPC_WAIT_ACCEPT, WG_SELF, conn.value, args_timeout(), 0, 0, 0);
}

static void op_send(void)
{
    struct rng *r = &fuzz.rng;
    struct pool_entry *conn = pool_pick(POOL_CONNECTION);
    if (!conn)
        return;
    unsigned count = rng_chance(r, 10) ? 70 : 1 + (unsigned)rng_below(r, 3); /* 70: a flood */
    for (unsigned i = 0; i < count; i++) {
        args_message(&message);
        uint64_t flags = rng_chance(r, 50) ? WG_IPC_EXPECT_REPLY : 0;
        struct raw_result sent =
            CALL(IPC_SEND, WG_SELF, conn->handle, (uint64_t)&message, flags, 0, 0);
        if (sent.err != WG_ERR_OK)
            break;
        if (flags && rng_chance(r, 50))
            CALL(IPC_RECEIVE_REPLY, WG_SELF, conn->handle, sent.value, (uint64_t)&reply,
                 args_timeout(), 0);
    }
}

static void op_call(void)
{
    struct pool_entry *conn = pool_pick(POOL_CONNECTION);
    if (!conn)
        return;
    args_message(&message);
    if (rng_chance(&fuzz.rng, 50)) /* served by ROLE_SERVE or ROLE_SERVE_SHORT, or not */
        CALL(IPC_CALL_SHORT, conn->handle, message.entries[0].value, message.entries[1].value,
             message.entries[2].value, message.entries[3].value, args_timeout());
    else
        CALL(IPC_CALL, WG_SELF, conn->handle, (uint64_t)&message, (uint64_t)&reply, args_timeout(),
             0);
}

/* Receives on one of our servers (when no task serves it, messages wait here) and replies
 * with assets of our own. */
static void op_receive(void)
{
    struct pool_entry *server = pool_pick(POOL_SERVER);
    if (!server)
        return;
    struct raw_result token =
        CALL(IPC_RECEIVE, WG_SELF, server->handle, (uint64_t)&reply, args_timeout(), 0, 0);
    for (int i = 0; token.err == WG_ERR_OK && i < WG_MESSAGE_ENTRIES; i++)
        if (reply.entries[i].flags & WG_ENTRY_ASSET)
            pool_put(POOL_OTHER, reply.entries[i].value, 0);
    if (token.err != WG_ERR_OK || token.value == 0)
        return;
    args_message(&message);
    CALL(IPC_REPLY, WG_SELF, server->handle, token.value, (uint64_t)&message, 0, 0);
}

/* A copy keeps no more rights than asked, and is refused what it lost. */
static void op_reduce(void)
{
    struct pool_entry *pmem = pool_pick(POOL_PMEM);
    if (!pmem)
        return;
    uint32_t rights = (uint32_t)rng_below(&fuzz.rng, 256) & ~(uint32_t)WG_RIGHT_MAP;
    struct raw_result copy = CALL(ASSET_COPY, WG_SELF, pmem->handle, WG_SELF, rights, 0, 0);
    if (copy.err != WG_ERR_OK)
        return;
    struct wg_asset_info *info = (struct wg_asset_info *)args_scratch;
    if (CALL(ASSET_INFO, WG_SELF, copy.value, (uint64_t)info, 0, 0, 0).err == WG_ERR_OK &&
        (info->rights & ~rights) != 0)
        fuzz_fail("a copy asked with rights %#x has %#x", rights, info->rights);
    struct raw_result mapped =
        CALL(VMEM_MAP, WG_SELF, copy.value, FUZZ_MAP_BASE + 0x20000000ull, WG_MAP_READ, 0, 0);
    if (mapped.err == WG_ERR_OK) {
        fuzz_fail("memory without the map right was mapped");
        CALL(ASSET_RELEASE, WG_SELF, mapped.value, 0, 0, 0, 0);
    }
    pool_put(POOL_OTHER, copy.value, 0);
}

/* Copies one handle until the table is full, then releases every copy. */
static void op_exhaust(void)
{
    static wg_handle copies[4200];
    struct pool_entry *pmem = pool_pick(POOL_PMEM);
    if (exhausted_once || !pmem)
        return;
    exhausted_once = true;
    unsigned n = 0;
    struct raw_result copy = {WG_ERR_OK, 0};
    while (n < 4200 && copy.err == WG_ERR_OK) {
        copy = CALL(ASSET_COPY, WG_SELF, pmem->handle, WG_SELF, WG_RIGHTS_ALL, 0, 0);
        if (copy.err == WG_ERR_OK)
            copies[n++] = copy.value;
    }
    if (n > 0 && copy.err != WG_ERR_NO_MEMORY) /* the first may fail: a stale pool entry */
        fuzz_fail("a full handle table gave %s, not NO_MEMORY", wg_error_name(copy.err));
    while (n > 0)
        CALL(ASSET_RELEASE, WG_SELF, copies[--n], 0, 0, 0, 0);
}

void ops_ipc_step(unsigned pick);
void ops_ipc_step(unsigned pick)
{
    static void (*const ops[])(void) = {op_server, op_connect, op_send,   op_send,
                                        op_call,   op_receive, op_reduce, op_exhaust};
    if (pick == 7 && !rng_chance(&fuzz.rng, 5))
        pick = 2;
    ops[pick % 8]();
}
