/* Small arch services for generic code: console, halting, QEMU test exit, cycle counter,
 * frame-pointer backtraces. */
#include "port_io.h"
#include "serial.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/symbols.h"

#define ISA_DEBUG_EXIT_PORT  0xf4
#define BACKTRACE_MAX_FRAMES 32

void arch_console_write(const char *chars, size_t count)
{
    serial_write(chars, count);
}

void arch_halt_all(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void arch_wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory"); /* sti's one-instruction shadow covers hlt */
}

void arch_test_exit(int code)
{
    /* QEMU exits with status (code << 1) | 1; without the device this does nothing. */
    outl(ISA_DEBUG_EXIT_PORT, (uint32_t)code);
}

/* lfence on both sides keeps earlier and later instructions out of the measured window. */
uint64_t arch_cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static void backtrace_print_frame(unsigned index, uintptr_t rip)
{
    uintptr_t offset = 0;
    const char *name = symbols_lookup(rip, &offset);
    if (name)
        log_raw("    #%u %016lx %s+%#lx\n", index, rip, name, offset);
    else
        log_raw("    #%u %016lx ?\n", index, rip);
}

void arch_backtrace_from(uintptr_t rbp, uintptr_t rip)
{
    log_raw("  backtrace:\n");
    backtrace_print_frame(0, rip);
    for (unsigned i = 1; i < BACKTRACE_MAX_FRAMES; i++) {
        /* Each frame is [saved rbp, return address]; stop at anything implausible. */
        if (rbp < HHDM_BASE || (rbp & 7) || !arch_kernel_range_mapped(rbp, 16))
            break;
        const uintptr_t *frame = (const uintptr_t *)rbp;
        if (frame[1] == 0)
            break;
        backtrace_print_frame(i, frame[1] - 1); /* inside the call, not after it */
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

void arch_backtrace_here(void)
{
    arch_backtrace_from((uintptr_t)__builtin_frame_address(0), (uintptr_t)&arch_backtrace_here);
}
