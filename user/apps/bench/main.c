/* User-side benchmarks (`make bench`): system-call round trip, space creation, spawning a
 * program, mapping a page, IPC call + reply between two processes on one CPU and on two.
 * One line per figure, in the format the kernel's benchmarks use:
 * "bench: NAME median=N min=N max=N unit=cycles iters=N". Started as
 * "bench ipc-server HANDLE" it is the IPC benchmarks' server process instead. */
#include <wingos.h>

#define WARMUP 200

static inline uint64_t cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Insertion sort would be too slow for 10^4 samples: a small heap sort. */
static void sort(uint64_t *v, size_t n)
{
    for (size_t start = n / 2; start-- > 0;)
        for (size_t root = start; 2 * root + 1 < n;) {
            size_t child = 2 * root + 1;
            if (child + 1 < n && compare(&v[child], &v[child + 1]) < 0)
                child++;
            if (compare(&v[root], &v[child]) >= 0)
                break;
            uint64_t t = v[root];
            v[root] = v[child];
            v[child] = t;
            root = child;
        }
    for (size_t end = n; end-- > 1;) {
        uint64_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        for (size_t root = 0; 2 * root + 1 < end;) {
            size_t child = 2 * root + 1;
            if (child + 1 < end && compare(&v[child], &v[child + 1]) < 0)
                child++;
            if (compare(&v[root], &v[child]) >= 0)
                break;
            t = v[root];
            v[root] = v[child];
            v[child] = t;
            root = child;
        }
    }
}

static void report(const char *name, uint64_t *samples, size_t count)
{
    sort(samples, count);
    printf("bench: %s median=%llu min=%llu max=%llu unit=cycles iters=%zu\n", name,
           (unsigned long long)samples[count / 2], (unsigned long long)samples[0],
           (unsigned long long)samples[count - 1], count);
}

typedef bool (*bench_step)(void);

/* Runs `step` WARMUP + iters times and reports the timed part. */
static void run(const char *name, bench_step step, size_t iters)
{
    uint64_t *samples = malloc(iters * sizeof(uint64_t));
    if (!samples)
        return;
    for (size_t i = 0; i < WARMUP + iters; i++) {
        uint64_t start = cycles();
        if (!step()) {
            printf("bench: %s failed\n", name);
            free(samples);
            return;
        }
        if (i >= WARMUP)
            samples[i - WARMUP] = cycles() - start;
    }
    report(name, samples, iters);
    free(samples);
}

static bool null_call(void)
{
    return wg_ok(wg_null_call());
}

static bool space_create_destroy(void)
{
    struct wg_result child = wg_space_create(WG_SELF, 0);
    return wg_ok(child) && wg_ok(wg_space_destroy(WG_SELF, child.value));
}

static wg_handle page;

static bool map_unmap_page(void)
{
    struct wg_result map = wg_vmem_map(WG_SELF, page, 0x500000000000ull, WG_MAP_READ);
    return wg_ok(map) && wg_ok(wg_asset_release(WG_SELF, map.value));
}

static bool spawn_hello(void)
{
    struct wg_process process;
    const char *argv[] = {"hello"};
    if (wg_spawn("hello", 1, argv, &process) != WG_ERR_OK)
        return false;
    struct wg_result status = wg_process_wait(&process, WG_WAIT_FOREVER);
    wg_process_destroy(&process);
    return wg_ok(status);
}

/* ---- IPC: a server process (this program as "bench ipc-server HANDLE") answers calls ---- */

#define IPC_SECOND_NS 1000000000ull

/* The server: accepts one connection and answers every call with the message it got, until
 * the connection closes. */
static int ipc_server_main(wg_handle server)
{
    struct wg_result connection = wg_ipc_accept(WG_SELF, server, 10 * IPC_SECOND_NS);
    if (!wg_ok(connection))
        return 1;
    for (;;) {
        struct wg_message message;
        struct wg_result token = wg_ipc_receive(WG_SELF, server, &message, WG_WAIT_FOREVER);
        if (!wg_ok(token) || message.event == WG_IPC_EVENT_CLOSED)
            return wg_ok(token) ? 0 : 2;
        if (token.value != 0 && !wg_ok(wg_ipc_reply(WG_SELF, server, token.value, &message)))
            return 3;
    }
}

struct ipc_peer {
    wg_handle space, task, connection;
};

static wg_handle ipc_connection;

/* Loads "bench ipc-server HANDLE" into `space` and starts it pinned to `cpu`; its task. */
static struct wg_result ipc_peer_exec(wg_handle space, wg_handle handle, unsigned cpu)
{
    static const char prefix[] = "bench\0ipc-server"; /* two strings, NULs included */
    char strings[sizeof prefix + 20];
    memcpy(strings, prefix, sizeof prefix);
    int length = snprintf(strings + sizeof prefix, 20, "%llx", (unsigned long long)handle);
    struct wg_exec_args args = {3, sizeof prefix + (size_t)length + 1, strings};
    struct wg_result task = wg_exec(space, "bench", 5, &args);
    if (wg_ok(task)) {
        enum wg_error err = wg_task_set_affinity(WG_SELF, task.value, 1ull << cpu).err;
        if (err == WG_ERR_OK)
            err = wg_task_start(WG_SELF, task.value).err;
        task.err = err; /* the handle stays for ipc_peer_stop */
    }
    return task;
}

/* Starts the server process pinned to `cpu`, hands it a server of ours and connects. */
static bool ipc_peer_start(struct ipc_peer *peer, unsigned cpu)
{
    uint64_t address;
    *peer = (struct ipc_peer){0};
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
    struct wg_result task = ipc_peer_exec(space.value, given.value, cpu);
    peer->task = task.value;
    if (!wg_ok(task))
        return false;
    struct wg_result connection = wg_ipc_connect(WG_SELF, address);
    peer->connection = connection.value;
    return wg_ok(connection) &&
           wg_ok(wg_ipc_wait_accept(WG_SELF, connection.value, 10 * IPC_SECOND_NS));
}

static void ipc_peer_stop(struct ipc_peer *peer)
{
    if (peer->connection)
        wg_asset_release(WG_SELF, peer->connection);
    if (peer->task) {
        wg_task_wait(WG_SELF, peer->task, IPC_SECOND_NS);
        wg_asset_release(WG_SELF, peer->task);
    }
    if (peer->space)
        wg_space_destroy(WG_SELF, peer->space);
}

static bool ipc_call_step(void)
{
    struct wg_message message = {0}, reply;
    message.entries[0].value = 42;
    return wg_ok(wg_ipc_call(WG_SELF, ipc_connection, &message, &reply, IPC_SECOND_NS)) &&
           reply.entries[0].value == 42;
}

/* Call + reply round trips with our task pinned to client_cpu, the server to server_cpu. */
static void bench_ipc(const char *name, unsigned server_cpu, unsigned client_cpu, size_t iters)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    if (server_cpu >= info.cpus || client_cpu >= info.cpus) {
        printf("bench: %s skipped: %llu CPU(s)\n", name, (unsigned long long)info.cpus);
        return;
    }
    struct wg_result self = wg_task_self();
    struct ipc_peer peer;
    wg_task_set_affinity(WG_SELF, self.value, 1ull << client_cpu);
    if (ipc_peer_start(&peer, server_cpu)) {
        ipc_connection = peer.connection;
        run(name, ipc_call_step, iters);
    } else {
        printf("bench: %s failed to start its server\n", name);
    }
    ipc_peer_stop(&peer);
    wg_task_set_affinity(WG_SELF, self.value, UINT64_MAX);
    wg_asset_release(WG_SELF, self.value);
}

/* Parses the hex handle given to the server process. */
static wg_handle parse_handle(const char *text)
{
    wg_handle value = 0;
    for (; *text; text++)
        value = value << 4 | (uint64_t)(*text <= '9' ? *text - '0' : *text - 'a' + 10);
    return value;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "ipc-server") == 0)
        return ipc_server_main(parse_handle(argv[2]));
    run("syscall_null", null_call, 10000);
    run("space_create_destroy", space_create_destroy, 2000);
    struct wg_result pmem = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    if (wg_ok(pmem)) {
        page = pmem.value;
        run("map_unmap_page", map_unmap_page, 5000);
    }
    run("spawn", spawn_hello, 100);
    bench_ipc("ipc_call_same_cpu", 0, 0, 5000);
    bench_ipc("ipc_call_cross_cpu", 1, 0, 5000);
    return 0;
}
