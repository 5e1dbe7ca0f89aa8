/* ipctest: the IPC test suite, run by init in test mode after systest. Prints one
 * "utest: PASS name" or "utest: FAIL name: why" line per test, then
 * "utest: done: N passed, M failed", and exits with the number of failures. Every test must
 * leave free pages, assets and tasks where they were before it. Started as
 * "ipctest helper ROLE ..." it is a helper process of a test instead (roles.c). An argument
 * "ipctest=PREFIX" (a kernel command line word, passed on by init) runs only the tests whose
 * names start with PREFIX. */
#include <idl.h>
#include "ipct.h"

static const struct ipc_test *const lists[] = {
    transfer_tests, wait_tests, flood_tests, lifetime_tests, name_tests, error_tests, limit_tests};

/* Grows our handle table, and makes the page tables for TEST_MAP_ADDRESS and for the IDL
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
    struct wg_result vmem = wg_vmem_map(WG_SELF, page.value, TEST_MAP_ADDRESS, WG_MAP_READ);
    wg_asset_release(WG_SELF, vmem.value);
    wg_asset_release(WG_SELF, page.value);
    idl_rt_warm_up();
}

/* Runs one test and its leak check; true if it passed. */
static bool run_test(const struct ipc_test *test)
{
    test_begin();
    struct snapshot start = snapshot_take();
    test->run();
    snapshot_settle(&start, "after the test");
    int count;
    const char *why = test_result(&count);
    if (count == 0)
        printf("utest: PASS %s\n", test->name);
    else
        printf("utest: FAIL %s: %s%s\n", test->name, why, count > 1 ? " (and more)" : "");
    return count == 0;
}

/* The PREFIX of an "ipctest=PREFIX" argument, or "" (every test). */
static const char *selected(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "ipctest=", 8) == 0)
            return argv[i] + 8;
    return "";
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "helper") == 0)
        return role_main(argc, argv);
    const char *prefix = selected(argc, argv);
    printf("ipctest: %llu CPUs\n", (unsigned long long)cpu_count());
    warm_up();
    int passed = 0, failed = 0;
    uint64_t start = now_ns();
    for (unsigned l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (const struct ipc_test *test = lists[l]; test->name; test++) {
            if (strncmp(test->name, prefix, strlen(prefix)) != 0)
                continue;
            if (run_test(test))
                passed++;
            else
                failed++;
        }
    printf("ipctest: took %llu ms\n", (unsigned long long)((now_ns() - start) / MS_NS));
    printf("utest: done: %d passed, %d failed\n", passed, failed);
    return failed;
}
