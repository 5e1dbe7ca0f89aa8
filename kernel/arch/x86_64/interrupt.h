/* Interrupt vectors, the descriptor table and the register frame every interrupt stub saves. */
#pragma once

#include <stdint.h>

#define VECTOR_NMI        2
#define VECTOR_TIMER      0x20
#define VECTOR_RESCHEDULE 0x21
#define VECTOR_TLB        0x22
#define VECTOR_IRQ_BASE   0x30 /* I/O APIC lines are routed from here */
#define VECTOR_MSI_BASE   0x40 /* MSI/MSI-X vectors handed to drivers: base .. limit - 1 */
#define VECTOR_MSI_LIMIT  0xf0
#define VECTOR_SPURIOUS   0xff

struct interrupt_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

void idt_init(void);
void idt_load(void);

typedef void (*interrupt_handler)(struct interrupt_frame *frame);
void interrupt_register(uint8_t vector, interrupt_handler handler);

/* Called by the assembly stubs with interrupts off. */
void interrupt_dispatch(struct interrupt_frame *frame);

/* Handles a CPU exception: kills a faulting user task, resumes a user copy at its fault
 * exit, and otherwise reports it (below). */
void fault_handle(struct interrupt_frame *frame);
/* Reports a CPU exception in kernel mode and halts every CPU. */
__attribute__((noreturn)) void fault_report(const struct interrupt_frame *frame);
