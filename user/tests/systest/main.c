/* systest: the userspace system tests. init runs it when the kernel command line says "test";
 * it prints "utest: PASS name" or "utest: FAIL name: why" per test, then
 * "utest: done: N passed, M failed", and exits with the number of failures.
 *
 * Every test must leave the system's asset and task counts as it found them (checked after
 * it). Tests marked destructive can bring the kernel down when the bug they look for is there,
 * so they run last, each announced first. Command-line words: "utest=NAME" runs only the
 * tests whose names start with NAME; "utest_times" prints how long each test took. */
#include "test.h"

static const struct test *const lists[] = {
    misc_tests,  handle_tests,    handle_limit_tests, pmem_tests,  vmem_tests,
    space_tests, task_tests,      task_space_tests,   sched_tests, exec_tests,
    info_tests,  isolation_tests, fault_tests,        race_tests,  leak_tests,
};

static struct {
    const char *only;
    bool times;
    int passed, failed;
} run;

static void run_one(const struct test *test)
{
    if (run.only && strncmp(test->name, run.only, strlen(run.only)) != 0)
        return;
    if (test->destructive)
        printf("systest: running %s (a kernel panic or hang from here on is its failure)\n",
               test->name);
    test_reset();
    struct counts start = counts_now();
    uint64_t began = wg_clock().value;
    test->run();
    uint64_t took = wg_clock().value - began;
    if (!test_failed())
        counts_settle_at(__FILE__, __LINE__, &start, false, SECOND_NS, "left behind");
    int count;
    const char *first = test_first_failure(&count);
    if (count == 0) {
        printf("utest: PASS %s\n", test->name);
        run.passed++;
    } else {
        printf("utest: FAIL %s: %s", test->name, first);
        if (count > 1)
            printf(" (and %d more)", count - 1);
        printf("\n");
        run.failed++;
    }
    if (run.times)
        printf("systest: %s took %llu ms\n", test->name, (unsigned long long)(took / MS_NS));
}

static void run_all(bool destructive)
{
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (const struct test *test = lists[l]; test->name; test++)
            if (test->destructive == destructive)
                run_one(test);
}

/* Waits (up to 2 s) until the system's counts hold still for 50 ms: init and the services
 * it started may still be settling when we start. */
static void wait_for_quiet(void)
{
    uint64_t deadline = wg_clock().value + 2 * SECOND_NS;
    struct counts last = counts_now();
    int still = 0;
    while (still < 5 && wg_clock().value < deadline) {
        wg_sleep(10 * MS_NS);
        struct counts now = counts_now();
        still = now.assets == last.assets && now.tasks == last.tasks ? still + 1 : 0;
        last = now;
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "utest=", 6) == 0)
            run.only = argv[i] + 6;
        else if (strcmp(argv[i], "utest_times") == 0)
            run.times = true;
    }
    /* Grow the heap once, so the tests' own mallocs (thread stacks) add no assets later. */
    free(malloc(1024 * 1024));
    wait_for_quiet();

    uint64_t began = wg_clock().value;
    run_all(false);
    run_all(true);
    printf("systest: took %llu ms\n", (unsigned long long)((wg_clock().value - began) / MS_NS));
    printf("utest: done: %d passed, %d failed\n", run.passed, run.failed);
    return run.failed;
}
