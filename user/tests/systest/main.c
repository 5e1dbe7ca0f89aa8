/* systest: the userspace system tests. init runs it when the kernel command line says "test";
 * it prints "utest: PASS name" or "utest: FAIL name: why" per test, then
 * "utest: done: N passed, M failed", and exits with the number of failures (the runner is
 * the test library's, user/lib/test/suite.h, which also reads the filter words).
 *
 * Every test must leave the system's asset and task counts as it found them (checked after
 * it; other programs may free things meanwhile, so fewer is fine). Tests marked destructive
 * can bring the kernel down when the bug they look for is there, so they run last, each
 * announced first. */
#include "systest.h"

static const struct test *const lists[] = {
    misc_tests,   handle_tests,    handle_limit_tests, pmem_tests,  vmem_tests,
    space_tests,  task_tests,      task_space_tests,   sched_tests, exec_tests,
    info_tests,   isolation_tests, fault_tests,        race_tests,  leak_tests,
    rights_tests, teardown_tests,  control_tests,
};

static const struct test_suite suite = {
    .name = "systest",
    .lists = lists,
    .list_count = sizeof lists / sizeof lists[0],
    .leaks = SNAPSHOT_NO_MORE,
    .leak_timeout_ns = SECOND_NS,
};

int main(int argc, char **argv)
{
    /* Grow the heap once, so the tests' own mallocs add no assets later. */
    free(malloc(1024 * 1024));
    return suite_main(&suite, argc, argv);
}
