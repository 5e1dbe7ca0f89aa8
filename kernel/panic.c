/* Kernel panic: report, backtrace, halt every CPU; in test mode (the test runner sets an
 * exit status with panic_set_test_exit) also leave QEMU with it, so the harness does not wait
 * for its timeout. */
#include "kernel/panic.h"
#include "kernel/arch.h"
#include "kernel/log.h"

#include <stdarg.h>

static volatile int panic_depth;
static int test_exit_code; /* 0: just halt */

void panic_set_test_exit(int code)
{
    test_exit_code = code;
}

bool panic_in_progress(void)
{
    return panic_depth != 0;
}

void panic_begin(void)
{
    arch_irq_save();
    if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_SEQ_CST) > 0) {
        log_raw("\n*** panic while panicking\n");
        arch_halt_all();
    }
    arch_stop_other_cpus();
}

void panic_end(void)
{
    log_raw("*** all CPUs halted\n");
    if (test_exit_code)
        arch_test_exit(test_exit_code);
    arch_halt_all();
}

void panic(const char *format, ...)
{
    va_list args;

    panic_begin();
    log_raw("\n*** kernel panic: ");
    va_start(args, format);
    log_vraw(format, args);
    va_end(args);
    log_raw("\n");
    arch_backtrace_here();
    panic_end();
}
