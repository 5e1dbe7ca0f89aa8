/* IPC figures: call round trips on one CPU and across two, one-way send throughput, a call
 * carrying a 4 KiB payload through shared memory, and a name-server lookup. */
#include "bench.h"

#include <lib/samples.h>

#define SEND_BATCH   10000 /* one-way messages per timed batch */
#define SEND_BATCHES 7     /* timed batches, after one warm-up batch */

static wg_handle connection; /* the running benchmark's connection to its server process */

static bool call_op(uint64_t op, uint64_t argument, struct wg_message *reply)
{
    struct wg_message message = {0};
    message.entries[0].value = op;
    message.entries[1].value = argument;
    return wg_ok(wg_ipc_call(WG_SELF, connection, &message, reply, BENCH_SECOND_NS)) &&
           reply->entries[0].value == WG_ERR_OK;
}

/* The round trip itself, as lean as the caller can make it: a short message in registers,
 * waiting as long as it takes (the server replies, or its end closes: PEER_CLOSED). */
static bool echo_step(void)
{
    const uint64_t words[WG_IPC_SHORT_WORDS] = {42};
    uint64_t reply[WG_IPC_SHORT_WORDS], long_id;
    return wg_ipc_call_words(connection, words, WG_WAIT_FOREVER, reply, &long_id) == WG_ERR_OK &&
           long_id == 0 && reply[0] == 42;
}

/* The same through the whole-message call every protocol uses (wg_call: a short request
 * takes the same path, plus building and reading the messages). */
static bool echo_message_step(void)
{
    struct wg_message message = {0}, reply;
    message.entries[0].value = 42;
    return wg_ok(wg_call(connection, &message, &reply, BENCH_SECOND_NS)) &&
           reply.entries[0].value == 42;
}

/* Starts a server process on `server_cpu` with us on `client_cpu`; false (said why) if not. */
static bool setup(const char *name, struct bench_peer *peer, unsigned server_cpu,
                  unsigned client_cpu)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    if (server_cpu >= info.cpus || client_cpu >= info.cpus) {
        printf("bench: %s skipped: %llu CPU(s)\n", name, (unsigned long long)info.cpus);
        *peer = (struct bench_peer){0};
        return false;
    }
    bench_pin(client_cpu);
    if (!bench_peer_start(peer, server_cpu, NULL)) {
        printf("bench: %s failed to start its server\n", name);
        return false;
    }
    connection = peer->connection;
    return true;
}

static void teardown(struct bench_peer *peer)
{
    bench_peer_stop(peer);
    bench_pin(BENCH_ANY_CPU);
}

/* Call + reply round trips with us on client_cpu and the server on server_cpu. */
static void calls(const char *name, unsigned server_cpu, unsigned client_cpu, bool (*step)(void),
                  size_t iters)
{
    struct bench_peer peer;
    if (setup(name, &peer, server_cpu, client_cpu))
        bench_run(name, step, iters);
    teardown(&peer);
}

void bench_ipc_calls(void)
{
    calls("ipc_call_same_cpu", 0, 0, echo_step, 5000);
    calls("ipc_call_cross_cpu", 1, 0, echo_step, 5000);
    calls("ipc_call_message_same_cpu", 0, 0, echo_message_step, 5000);
}

/* Sends `count` one-way messages, yielding to the server whenever the connection's queue is
 * full, then asks the server how many it has received: false unless it is `expected`. */
static bool send_batch(unsigned count, uint64_t expected)
{
    struct wg_message message = {0};
    for (unsigned i = 0; i < count; i++) {
        message.entries[1].value = i;
        struct wg_result sent;
        while ((sent = wg_ipc_send(WG_SELF, connection, &message, 0)).err == WG_ERR_WOULD_BLOCK)
            wg_yield();
        if (!wg_ok(sent))
            return false;
    }
    struct wg_message reply;
    return call_op(BENCH_OP_COUNT, 0, &reply) && reply.entries[1].value == expected;
}

/* Throughput of one-way sends to a server on the same CPU: per batch of SEND_BATCH, the time
 * per message (the figure) and, from the median batch's clock time, messages per second. */
static void send_batches(void)
{
    uint64_t per_message[SEND_BATCHES], elapsed_ns[SEND_BATCHES], total = SEND_BATCH;
    if (!send_batch(SEND_BATCH, total)) { /* warm-up */
        printf("bench: ipc_send failed\n");
        return;
    }
    for (unsigned b = 0; b < SEND_BATCHES; b++) {
        uint64_t clock = wg_clock().value, start = bench_tsc();
        total += SEND_BATCH;
        if (!send_batch(SEND_BATCH, total)) {
            printf("bench: ipc_send failed\n");
            return;
        }
        per_message[b] = (bench_tsc() - start) / SEND_BATCH;
        elapsed_ns[b] = wg_clock().value - clock;
    }
    uint64_t median_ns = samples_summarize(elapsed_ns, SEND_BATCHES).median;
    char extra[64];
    snprintf(extra, sizeof extra, "batch=%u msgs_per_s=%llu", SEND_BATCH,
             (unsigned long long)(median_ns ? SEND_BATCH * BENCH_SECOND_NS / median_ns : 0));
    bench_report("ipc_send", per_message, SEND_BATCHES, extra);
}

void bench_ipc_send(void)
{
    struct bench_peer peer;
    if (setup("ipc_send", &peer, 0, 0))
        send_batches();
    teardown(&peer);
}

/* ---- A 4 KiB payload through a shared page ---- */

static uint64_t *shared;
static uint64_t payload_round;

/* Writes 4 KiB (different each round), calls the server to sum them, checks its answer. */
static bool payload_step(void)
{
    uint64_t expected = 0, value = ++payload_round * 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < BENCH_SHARED_BYTES / 8; i++) {
        shared[i] = value + i;
        expected += value + i;
    }
    struct wg_message reply;
    return call_op(BENCH_OP_SUM, BENCH_SHARED_BYTES, &reply) && reply.entries[1].value == expected;
}

/* Maps a fresh page read-write here and hands the server a copy of it; the mapping's handle. */
static struct wg_result share_page(void)
{
    struct wg_result page = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(page))
        return page;
    struct wg_result map =
        wg_vmem_map(WG_SELF, page.value, BENCH_SHARED_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
    struct wg_message message = {0}, reply;
    message.entries[0].value = BENCH_OP_SHARE;
    message.entries[1] = (struct wg_message_entry){.value = page.value, .flags = WG_ENTRY_ASSET};
    if (wg_ok(map)) {
        struct wg_result call = wg_ipc_call(WG_SELF, connection, &message, &reply, BENCH_SECOND_NS);
        if (!wg_ok(call) || reply.entries[0].value != WG_ERR_OK)
            map.err = wg_ok(call) ? (enum wg_error)reply.entries[0].value : call.err;
    }
    wg_asset_release(WG_SELF, page.value); /* the mapping (and the server's copy) keep it */
    if (!wg_ok(map) && map.value)
        wg_asset_release(WG_SELF, map.value);
    return map;
}

void bench_ipc_payload(void)
{
    struct bench_peer peer;
    if (setup("ipc_call_4k_shared", &peer, 0, 0)) {
        struct wg_result map = share_page();
        if (wg_ok(map)) {
            shared = (uint64_t *)BENCH_SHARED_ADDRESS;
            bench_run("ipc_call_4k_shared", payload_step, 5000);
            wg_asset_release(WG_SELF, map.value);
        } else {
            printf("bench: ipc_call_4k_shared failed to share a page: %s\n",
                   wg_error_name(map.err));
        }
    }
    teardown(&peer);
}

/* ---- Name-server lookups ---- */

#define LOOKUP_NAME "bench.lookup"

static uint64_t registered_address;

static bool lookup_step(void)
{
    uint64_t address = ~0ull;
    return wg_name_lookup(LOOKUP_NAME, &address) == WG_ERR_OK && address == registered_address;
}

/* wg_name_lookup of a registered name (the library connects to the name server, calls it and
 * closes the connection each time), from CPU 0. */
void bench_name_lookup(void)
{
    struct bench_peer peer;
    wg_handle registration;
    bench_pin(0);
    if (!bench_peer_start(&peer, 0, &registered_address))
        printf("bench: name_lookup failed to start its server\n");
    else if (wg_name_register(LOOKUP_NAME, registered_address, &registration) != WG_ERR_OK)
        printf("bench: name_lookup failed to register a name\n");
    else {
        bench_run("name_lookup", lookup_step, 2000);
        wg_asset_release(WG_SELF, registration);
    }
    teardown(&peer);
}
