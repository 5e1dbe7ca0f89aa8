/* The IDT: every vector points at its stub in isr.S. Exceptions go to the fault reporter,
 * other vectors to the handler registered for them; every interrupt ends at the scheduler's
 * preemption point. */
#include "interrupt.h"
#include "gdt.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/panic.h"

#define VECTOR_DOUBLE_FAULT 8
#define EXCEPTION_COUNT     32
#define GATE_INTERRUPT      0x8e /* present, ring 0, 64-bit interrupt gate */

struct __attribute__((packed)) idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct __attribute__((packed)) idt_pointer {
    uint16_t limit;
    uint64_t base;
};

extern const uint64_t isr_stub_table[256];
static struct idt_gate idt[256];
static interrupt_handler handlers[256];

static uint8_t ist_for(unsigned vector)
{
    if (vector == VECTOR_DOUBLE_FAULT)
        return IST_DOUBLE_FAULT;
    return vector == VECTOR_NMI ? IST_NMI : 0;
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        uint64_t handler = isr_stub_table[v];
        idt[v] = (struct idt_gate){
            .offset_low = handler & 0xffff,
            .selector = GDT_KERNEL_CODE,
            .ist = ist_for(v),
            .type_attr = GATE_INTERRUPT,
            .offset_mid = (handler >> 16) & 0xffff,
            .offset_high = handler >> 32,
        };
    }
    idt_load();
}

void idt_load(void)
{
    struct idt_pointer pointer = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(pointer));
}

void interrupt_register(uint8_t vector, interrupt_handler handler)
{
    handlers[vector] = handler;
}

void interrupt_dispatch(struct interrupt_frame *frame)
{
    if (frame->vector == VECTOR_NMI && panic_in_progress())
        arch_halt_all(); /* another CPU panicked and stops us */
    if (frame->vector < EXCEPTION_COUNT) {
        fault_handle(frame);
        return;
    }
    interrupt_handler handler = handlers[frame->vector];
    if (handler)
        handler(frame);
    else if (frame->vector != VECTOR_SPURIOUS)
        log_warn("interrupt: unexpected vector %lu", frame->vector);
    sched_interrupt_exit(frame->cs & 3);
}
