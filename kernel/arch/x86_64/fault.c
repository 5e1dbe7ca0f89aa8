/* Reports a CPU exception taken in the kernel: what, where, every register, CR2 for page
 * faults, a symbolised backtrace, and whether it was a kernel stack overflow (a hit on a
 * guard page). Then every CPU halts. */
#include "cr.h"
#include "interrupt.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/stack_guard.h"
#include <wingos/abi.h>

#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_PAGE_FAULT   14

static void fault_print_registers(const struct interrupt_frame *f)
{
    log_raw("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    log_raw("  rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
    log_raw("  r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n", f->r8, f->r9, f->r10, f->r11);
    log_raw("  r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n", f->r12, f->r13, f->r14, f->r15);
    log_raw("  rip=%016lx cs=%04lx rflags=%08lx ss=%04lx\n", f->rip, f->cs, f->rflags, f->ss);
    log_raw("  cr0=%016lx cr3=%016lx cr4=%016lx\n", read_cr0(), read_cr3(), read_cr4());
}

static void fault_print_page_fault(uint64_t error, uint64_t address)
{
    log_raw("  cr2=%016lx (%s, %s, %s%s%s)\n", address,
            error & 1 ? "protection violation" : "page not present", error & 2 ? "write" : "read",
            error & 4 ? "user" : "kernel", error & 8 ? ", reserved bit set" : "",
            error & 16 ? ", instruction fetch" : "");
}

/* A fault in user mode kills the task, never the kernel. */
static void fault_kill_user(const struct interrupt_frame *frame)
{
    const char *name = wg_exception_name(frame->vector);
    task_fault_exit(name ? name : "exception", frame->rip, read_cr2(), frame->error_code,
                    WG_EXIT_FAULT(frame->vector & 31));
}

void fault_handle(struct interrupt_frame *frame)
{
    extern char user_copy_start[], user_copy_end[], user_copy_fault[];
    if (frame->cs & 3)
        fault_kill_user(frame);
    if (frame->vector == VECTOR_PAGE_FAULT && frame->rip >= (uintptr_t)user_copy_start &&
        frame->rip < (uintptr_t)user_copy_end) {
        frame->rip = (uintptr_t)user_copy_fault; /* copy_*_user reports a bad address */
        return;
    }
    fault_report(frame);
}

void fault_report(const struct interrupt_frame *frame)
{
    uint64_t cr2 = read_cr2();
    const char *name = wg_exception_name(frame->vector);

    panic_begin();
    log_raw("\n*** CPU exception %lu (%s), error code %#lx\n", frame->vector,
            name ? name : "reserved", frame->error_code);
    fault_print_registers(frame);
    if (frame->vector == VECTOR_PAGE_FAULT)
        fault_print_page_fault(frame->error_code, cr2);
    else if (frame->vector == VECTOR_DOUBLE_FAULT) /* error code is always 0: CR2 alone */
        log_raw("  cr2=%016lx (address of the last page fault)\n", cr2);
    const char *guard = stack_guard_owner(cr2);
    if (guard != NULL &&
        (frame->vector == VECTOR_PAGE_FAULT || frame->vector == VECTOR_DOUBLE_FAULT))
        log_raw("  kernel stack overflow: %s hit its guard page at %016lx\n", guard, cr2);
    arch_backtrace_from(frame->rbp, frame->rip);
    panic_end();
}
