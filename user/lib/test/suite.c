/* The test runner (suite.h). */
#include "test.h"

static struct {
    const struct test_suite *suite;
    const char *only; /* a name prefix, or NULL for every test */
    bool times;
    int passed, failed;
} run;

/* Prints the test's PASS or FAIL line and counts it. */
static void report(const struct test *test)
{
    int count;
    const char *first = test_first_failure(&count);
    if (count == 0) {
        printf("utest: PASS %s\n", test->name);
        run.passed++;
        return;
    }
    printf("utest: FAIL %s: %s", test->name, first);
    if (count > 1)
        printf(" (and %d more)", count - 1);
    printf("\n");
    run.failed++;
}

static void run_one(const struct test *test)
{
    if (run.only && strncmp(test->name, run.only, strlen(run.only)) != 0)
        return;
    if (test->destructive)
        printf("%s: running %s (a kernel panic or hang from here on is its failure)\n",
               run.suite->name, test->name);
    test_reset();
    struct snapshot start = snapshot_take();
    uint64_t began = wg_clock().value;
    test->run();
    uint64_t took = wg_clock().value - began;
    snapshot_settle_at(__FILE__, __LINE__, &start, run.suite->leaks, run.suite->leak_timeout_ns,
                       "left behind");
    report(test);
    if (run.times)
        printf("%s: %s took %llu ms\n", run.suite->name, test->name,
               (unsigned long long)(took / MS_NS));
}

static void run_all(bool destructive)
{
    for (size_t l = 0; l < run.suite->list_count; l++)
        for (const struct test *test = run.suite->lists[l]; test->name; test++)
            if (test->destructive == destructive)
                run_one(test);
}

/* The PREFIX of a "utest=PREFIX" or "NAME=PREFIX" word (the last one wins), or NULL. */
static const char *filter(const char *name, int argc, char **argv)
{
    const char *only = NULL;
    size_t length = strlen(name);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "utest=", 6) == 0)
            only = argv[i] + 6;
        else if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=')
            only = argv[i] + length + 1;
    }
    return only;
}

int suite_main(const struct test_suite *suite, int argc, char **argv)
{
    run.suite = suite;
    run.only = filter(suite->name, argc, argv);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "utest_times") == 0)
            run.times = true;
    snapshot_wait_quiet();
    uint64_t began = wg_clock().value;
    run_all(false);
    run_all(true);
    printf("%s: took %llu ms\n", suite->name,
           (unsigned long long)((wg_clock().value - began) / MS_NS));
    printf("utest: done: %d passed, %d failed\n", run.passed, run.failed);
    return run.failed;
}
