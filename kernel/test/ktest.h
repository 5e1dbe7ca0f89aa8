/* In-kernel tests, run when the kernel command line says "test" (all normal tests) or
 * "test=NAME" (one test, crash tests included); with "test" a "ktest=WORD,WORD..." word keeps
 * only the tests of kernel/test/test_WORD*.c (e.g. ktest=sched,tasks). Results go to the console as
 * "ktest: PASS name" / "ktest: FAIL name", then "ktest: done: N passed, M failed", and QEMU
 * is left through isa-debug-exit with a status the harness reads. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define KTEST_EXIT_PASS  0x10 /* QEMU exit status 33 */
#define KTEST_EXIT_FAIL  0x11 /* 35 */
#define KTEST_EXIT_PANIC 0x12 /* 37 */

struct ktest {
    const char *name;
    void (*fn)(void);
    bool crash;       /* ends in a fault report by design: only run when named */
    const char *file; /* the source file, for ktest= groups */
};

#define KTEST_DEFINE(name_, crash_)                                         \
    static void ktest_fn_##name_(void);                                     \
    __attribute__((used, section(".ktests"),                                \
                   aligned(8))) static const struct ktest ktest_##name_ = { \
        #name_, ktest_fn_##name_, crash_, __FILE__};                        \
    static void ktest_fn_##name_(void)

#define KTEST(name)       KTEST_DEFINE(name, false)
#define KTEST_CRASH(name) KTEST_DEFINE(name, true)

/* Records a failure (with file and line) and goes on. Evaluates to the condition. */
#define KEXPECT(cond) ktest_expect((cond), __FILE__, __LINE__, #cond)

bool ktest_expect(bool ok, const char *file, int line, const char *expr);

/* The two functions the rest of the kernel calls. The test kernel (build/test/) links
 * ktest.c; the production kernel links ktest_none.c instead, which has no tests. */

/* True while the tests run (a panic then leaves QEMU with KTEST_EXIT_PANIC). */
bool ktest_mode(void);
/* Test mode ("test" on the command line; `only` is its value, "" for all): runs the kernel
 * tests the command line asks for, then, for all tests, init (`run_init`, which returns
 * its exit status) with the userspace suites; prints the verdict and leaves QEMU. */
__attribute__((noreturn)) void ktest_main(const char *only, const char *cmdline,
                                          int64_t (*run_init)(const char *cmdline));
