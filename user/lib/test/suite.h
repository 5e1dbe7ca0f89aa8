/* A suite of tests and its runner. Each test prints one line, "utest: PASS name" or
 * "utest: FAIL name: first failure (and N more)" (tests/system/run.sh counts them; names are
 * lower-case letters, digits and '_'), and the suite ends with "utest: done: N passed, M
 * failed". After each test the runner checks that the system's counts come back to where
 * they were before it (snapshot.h); leftovers fail the test. */
#pragma once

#include <wingos.h>

#include "snapshot.h"

struct test {
    const char *name;
    void (*run)(void);
    bool destructive; /* may crash the kernel when it fails: run last, announced */
};

struct test_suite {
    const char *name;                /* prefixes the suite's own lines; its filter word */
    const struct test *const *lists; /* each ended by an entry whose name is NULL */
    size_t list_count;
    enum snapshot_match leaks; /* how the counts after a test must compare */
    uint64_t leak_timeout_ns;  /* how long they may take to come back */
};

/* Runs the suite's tests, non-destructive ones first, and returns the number of failures
 * (a program's exit status). Command-line words: "utest=PREFIX" (every suite) or
 * "NAME=PREFIX" (this suite only) run only the tests whose names start with PREFIX;
 * "utest_times" prints how long each test took. */
int suite_main(const struct test_suite *suite, int argc, char **argv);
