/* ipctest: the IPC test suite, run by init in test mode after systest. Prints one
 * "utest: PASS name" or "utest: FAIL name: why" line per test, then
 * "utest: done: N passed, M failed", and exits with the number of failures (the runner and
 * its filter words are the test library's, user/lib/test/suite.h). Every test must leave
 * free pages, assets and tasks exactly where they were before it. Started as
 * "ipctest helper ROLE ..." it is a helper process of a test instead (roles.c). */
#include <idl.h>

#include "ipct.h"

static const struct test *const lists[] = {
    transfer_tests,    wait_tests,        flood_tests,      lifetime_tests,    name_tests,
    error_tests,       limit_tests,       fastpath_tests,   short_tests,       short_end_tests,
    short_death_tests, short_error_tests, short_load_tests, short_flood_tests, short_storm_tests};

static const struct test_suite suite = {
    .name = "ipctest",
    .lists = lists,
    .list_count = sizeof lists / sizeof lists[0],
    .leaks = SNAPSHOT_SAME,
    .leak_timeout_ns = 2 * SECOND_NS,
};

/* Grows our handle table, and makes the page tables for SCRATCH_ADDRESS and for the IDL
 * runtime's out-of-line bodies, once: they stay, and tests must find the free page count
 * unchanged by them. */
static void warm_up(void)
{
    static wg_handle handles[3500];
    for (unsigned i = 0; i < sizeof handles / sizeof handles[0]; i++)
        handles[i] = wg_task_self().value;
    for (unsigned i = 0; i < sizeof handles / sizeof handles[0]; i++)
        wg_asset_release(WG_SELF, handles[i]);
    struct wg_result page = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    struct wg_result vmem = wg_vmem_map(WG_SELF, page.value, SCRATCH_ADDRESS, WG_MAP_READ);
    wg_asset_release(WG_SELF, vmem.value);
    wg_asset_release(WG_SELF, page.value);
    idl_rt_warm_up();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "helper") == 0)
        return role_main(argc, argv);
    printf("ipctest: %llu CPUs\n", (unsigned long long)cpu_count());
    warm_up();
    return suite_main(&suite, argc, argv);
}
