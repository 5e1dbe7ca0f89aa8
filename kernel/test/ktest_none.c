/* The production kernel's side of ktest.h: it links this file instead of the test runner and
 * the tests (the Makefile chooses), so it carries no test code. Asked for tests ("test" on
 * the command line), it says it has none and leaves QEMU with the "tests failed" status
 * (halting on a machine without QEMU's exit device) rather than boot as if nothing was asked. */
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/test/ktest.h"

bool ktest_mode(void)
{
    return false;
}

void ktest_main(const char *only, const char *cmdline, int64_t (*run_init)(const char *cmdline))
{
    (void)only;
    (void)cmdline;
    (void)run_init;
    log_raw("ktest: this is the production kernel: it has no tests; the test kernel is "
            "build/test/kernel32.elf (make test-kernel)\n");
    log_raw("ktest: done: FAILED\n");
    arch_test_exit(KTEST_EXIT_FAIL);
    arch_halt_all();
}
