/* The IDT: every vector points at its stub in isr.S; exceptions go to the fault reporter. */
#include "kernel/arch/x86_64/interrupt.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/log.h"

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

static void idt_set_gate(unsigned vector, uint64_t handler, uint8_t ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = handler & 0xffff,
        .selector = GDT_KERNEL_CODE,
        .ist = ist,
        .type_attr = GATE_INTERRUPT,
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        idt_set_gate(v, isr_stub_table[v], v == VECTOR_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0);
    struct idt_pointer pointer = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(pointer));
}

void interrupt_dispatch(struct interrupt_frame *frame)
{
    if (frame->vector < EXCEPTION_COUNT)
        fault_report(frame);
    log_warn("interrupt: unexpected vector %lu", frame->vector);
}
