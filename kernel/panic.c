/* Kernel panic: report, backtrace, halt every CPU; in test mode also leave QEMU with the
 * "panicked" status so the harness does not wait for its timeout. */
#include "kernel/panic.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/test/ktest.h"

#include <stdarg.h>

static volatile int panic_depth;

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
    if (ktest_mode())
        arch_test_exit(KTEST_EXIT_PANIC);
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
