/* User-side benchmarks (`make bench`, docs/benchmarks.md): system-call round trip, space
 * creation, mapping a page, spawning a program, and the IPC figures (ipc.c). One line per
 * figure (bench.h). Started as "bench ipc-server HANDLE" it is the IPC benchmarks' server
 * process instead (peer.c). */
#include "bench.h"

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
        return bench_server_main(parse_handle(argv[2]));
    bench_run("syscall_null", null_call, 10000);
    bench_run("space_create_destroy", space_create_destroy, 2000);
    struct wg_result pmem = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    if (wg_ok(pmem)) {
        page = pmem.value;
        bench_run("map_unmap_page", map_unmap_page, 5000);
        wg_asset_release(WG_SELF, pmem.value);
    }
    bench_run("spawn", spawn_hello, 100);
    bench_ipc_calls();
    bench_ipc_send();
    bench_ipc_payload();
    bench_name_lookup();
    return 0;
}
