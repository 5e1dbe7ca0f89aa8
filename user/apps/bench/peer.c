/* The IPC benchmarks' server: this program started as "bench ipc-server HANDLE" in a space of
 * its own, and the client's side that starts it (bench_peer_start) and stops it. */
#include "bench.h"

struct server_state {
    wg_handle server;
    const uint64_t *shared; /* the payload page once BENCH_OP_SHARE mapped it */
    uint64_t received;      /* one-way messages */
};

/* BENCH_OP_SHARE: maps the page in entry 1 read-only; the reply's entry 0 is the error. */
static void serve_share(struct server_state *state, const struct wg_message *in,
                        struct wg_message *out)
{
    enum wg_error err = WG_ERR_INVALID_ARGUMENT;
    if ((in->entries[1].flags & WG_ENTRY_ASSET) && !state->shared) {
        err = wg_vmem_map(WG_SELF, in->entries[1].value, BENCH_SHARED_ADDRESS, WG_MAP_READ).err;
        if (err == WG_ERR_OK)
            state->shared = (const uint64_t *)BENCH_SHARED_ADDRESS;
    }
    out->entries[0].value = err;
}

/* BENCH_OP_SUM: sums the first entry-1 bytes of the shared page, 8 at a time. */
static void serve_sum(struct server_state *state, const struct wg_message *in,
                      struct wg_message *out)
{
    uint64_t bytes = in->entries[1].value;
    if (!state->shared || bytes > BENCH_SHARED_BYTES || bytes % 8) {
        out->entries[0].value = WG_ERR_INVALID_ARGUMENT;
        return;
    }
    uint64_t sum = 0;
    for (uint64_t i = 0; i < bytes / 8; i++)
        sum += state->shared[i];
    out->entries[0].value = WG_ERR_OK;
    out->entries[1].value = sum;
}

/* The reply to a call: what the operation in entry 0 gives, or the message itself. */
static void serve(struct server_state *state, const struct wg_message *in, struct wg_message *out)
{
    *out = (struct wg_message){0};
    switch (in->entries[0].value) {
    case BENCH_OP_SHARE:
        serve_share(state, in, out);
        break;
    case BENCH_OP_SUM:
        serve_sum(state, in, out);
        break;
    case BENCH_OP_COUNT:
        out->entries[1].value = state->received;
        break;
    default:
        for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
            out->entries[i].value = in->entries[i].value; /* values only: assets stay */
    }
}

/* Turns a short message's words into its reply's, in place: an echo leaves them as they
 * are; entry 0 naming an operation is served as a whole message would be. */
static void serve_words(struct server_state *state, uint64_t *words)
{
    if (words[0] != BENCH_OP_SHARE && words[0] != BENCH_OP_SUM && words[0] != BENCH_OP_COUNT)
        return;
    struct wg_message message = {0}, reply;
    for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
        message.entries[i].value = words[i];
    serve(state, &message, &reply);
    for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++) /* replies are values in entries 0-1 */
        words[i] = reply.entries[i].value;
}

/* Receives the long message the short receive left queued and serves it: 0 to go on
 * with *token to answer (0: none), 1 when the client is gone, 2 on an error. */
static int serve_long(struct server_state *state, uint64_t *token, uint64_t *out)
{
    struct wg_message message, reply;
    struct wg_result got = wg_ipc_receive(WG_SELF, state->server, &message, WG_WAIT_FOREVER);
    if (!wg_ok(got))
        return 2;
    if (message.event == WG_IPC_EVENT_CLOSED)
        return 1;
    *token = got.value;
    serve(state, &message, &reply);
    for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
        out[i] = reply.entries[i].value;
    return 0;
}

int bench_server_main(wg_handle server)
{
    struct server_state state = {.server = server};
    if (!wg_ok(wg_ipc_accept(WG_SELF, server, 10 * BENCH_SECOND_NS)))
        return 1;
    uint64_t token = 0;                       /* the message the next reply answers, 0: none */
    uint64_t words[WG_IPC_SHORT_WORDS] = {0}; /* the reply out, the next message in */
    for (;;) {
        /* One syscall per message, in registers: the reply to the last one and the wait for
         * the next; messages that do not fit are received whole. */
        wg_handle from;
        if (wg_ipc_reply_receive_words(server, &token, words, words, &from) != WG_ERR_OK)
            return 2;
        if (from == 0) {
            int ended = serve_long(&state, &token, words);
            if (ended)
                return ended == 1 ? 0 : 2;
        } else if (token == 0) {
            state.received++;
        } else {
            serve_words(&state, words);
        }
    }
}

/* Loads "bench ipc-server HANDLE" into `space` and starts it pinned to `cpu`; its task. */
static struct wg_result peer_exec(wg_handle space, wg_handle handle, unsigned cpu)
{
    static const char prefix[] = "bench\0ipc-server"; /* two strings, NULs included */
    char strings[sizeof prefix + 20];
    memcpy(strings, prefix, sizeof prefix);
    int length = snprintf(strings + sizeof prefix, 20, "%llx", (unsigned long long)handle);
    struct wg_exec_args args = {3, sizeof prefix + (size_t)length + 1, strings, 0};
    struct wg_result task = wg_exec(space, "bench", 5, &args);
    if (wg_ok(task)) {
        enum wg_error err = wg_task_set_affinity(WG_SELF, task.value, 1ull << cpu).err;
        if (err == WG_ERR_OK)
            err = wg_task_start(WG_SELF, task.value).err;
        task.err = err; /* the handle stays for bench_peer_stop */
    }
    return task;
}

bool bench_peer_start(struct bench_peer *peer, unsigned cpu, uint64_t *address_out)
{
    uint64_t address;
    *peer = (struct bench_peer){0};
    struct wg_result space = wg_space_create(WG_SELF, 0);
    if (!wg_ok(space))
        return false;
    peer->space = space.value;
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &address);
    if (!wg_ok(server))
        return false;
    struct wg_result given = wg_asset_copy(WG_SELF, server.value, space.value);
    wg_asset_release(WG_SELF, server.value); /* the server process holds the only handle */
    if (!wg_ok(given))
        return false;
    struct wg_result task = peer_exec(space.value, given.value, cpu);
    peer->task = task.value;
    if (!wg_ok(task))
        return false;
    struct wg_result connection = wg_ipc_connect(WG_SELF, address);
    peer->connection = connection.value;
    if (address_out)
        *address_out = address;
    return wg_ok(connection) &&
           wg_ok(wg_ipc_wait_accept(WG_SELF, connection.value, 10 * BENCH_SECOND_NS));
}

void bench_peer_stop(struct bench_peer *peer)
{
    if (peer->connection)
        wg_asset_release(WG_SELF, peer->connection);
    if (peer->task) {
        wg_task_wait(WG_SELF, peer->task, BENCH_SECOND_NS);
        wg_asset_release(WG_SELF, peer->task);
    }
    if (peer->space)
        wg_space_destroy(WG_SELF, peer->space);
}
