/* The in-kernel test runner. */
#include "kernel/test/ktest.h"
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/exec/exec.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/test/ktest_util.h"
#include "lib/string.h"

extern const struct ktest __ktests_start[], __ktests_end[];

static bool in_test_mode;
static bool current_failed;

bool ktest_expect(bool ok, const char *file, int line, const char *expr)
{
    if (!ok) {
        current_failed = true;
        log_raw("ktest:   check failed at %s:%d: %s\n", file, line, expr);
    }
    return ok;
}

bool ktest_mode(void)
{
    return in_test_mode;
}

#define GROUPS_MAX 128

/* True if `groups` ("WORD,WORD...") has a WORD such that `file` is .../test_WORD*.c. */
static bool in_groups(const char *file, const char *groups)
{
    const char *base = file;
    for (const char *p = file; *p; p++)
        if (*p == '/')
            base = p + 1;
    if (strncmp(base, "test_", 5) != 0)
        return false;
    base += 5;
    while (*groups) {
        size_t length = 0;
        while (groups[length] && groups[length] != ',')
            length++;
        if (length > 0 && strncmp(base, groups, length) == 0)
            return true;
        groups += length + (groups[length] == ',');
    }
    return false;
}

static bool ktest_selected(const struct ktest *t, const char *only, const char *groups)
{
    if (only && *only)
        return strcmp(t->name, only) == 0;
    return !t->crash && (!groups || in_groups(t->file, groups));
}

/* Runs the tests the command line asks for; returns how many failed. */
static unsigned ktest_run(const char *only, const char *cmdline)
{
    unsigned passed = 0, failed = 0;

    char groups[GROUPS_MAX];
    bool grouped = cmdline_get(cmdline, "ktest", groups, sizeof(groups));

    ktest_set_cmdline(cmdline);
    in_test_mode = true;
    panic_set_test_exit(KTEST_EXIT_PANIC);
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
        if (!ktest_selected(t, only, grouped ? groups : NULL))
            continue;
        log_raw("ktest: RUN %s\n", t->name);
        current_failed = false;
        t->fn();
        log_raw("ktest: %s %s\n", current_failed ? "FAIL" : "PASS", t->name);
        if (current_failed)
            failed++;
        else
            passed++;
    }
    if (passed + failed == 0) {
        log_raw("ktest: no test named '%s'\n", only ? only : "");
        failed = 1;
    }
    log_raw("ktest: kernel tests: %u passed, %u failed\n", passed, failed);
    return failed;
}

void ktest_main(const char *only, const char *cmdline, int64_t (*run_init)(const char *cmdline))
{
    unsigned failed = ktest_run(only, cmdline);
    if (only[0] == '\0' && exec_have_archive()) {
        int64_t status = run_init(cmdline);
        log_raw("ktest: userspace tests: init exited with %ld\n", status);
        failed += status != 0;
    }
    log_raw("ktest: done: %s\n", failed ? "FAILED" : "all passed");
    arch_test_exit(failed ? KTEST_EXIT_FAIL : KTEST_EXIT_PASS);
    arch_halt_all();
}
