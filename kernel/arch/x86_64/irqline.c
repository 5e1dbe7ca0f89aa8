/* ISA interrupt lines handed to userspace drivers: each routed through the I/O APIC to its
 * own vector on the boot CPU, masked by the kernel as soon as it fires and unmasked when the
 * driver acknowledges it. */
#include "lapic.h"
#include "ioapic.h"
#include "interrupt.h"
#include "percpu.h"
#include "kernel/arch.h"
#include "kernel/sync/spinlock.h"

#define ISA_LINES 16

static void (*line_handlers[ISA_LINES])(unsigned irq);
static struct spinlock lines_lock = SPINLOCK_INIT;

static void on_line(struct interrupt_frame *frame)
{
    unsigned irq = (unsigned)frame->vector - VECTOR_IRQ_BASE;
    ioapic_mask_isa((uint8_t)irq);
    lapic_eoi();
    void (*handler)(unsigned) = line_handlers[irq];
    if (handler)
        handler(irq);
}

bool arch_irq_line_claim(unsigned irq, void (*handler)(unsigned irq))
{
    if (irq >= ISA_LINES || irq == 2) /* 2 is the cascade, never a device */
        return false;
    uint64_t flags = spin_lock_irqsave(&lines_lock);
    bool free = line_handlers[irq] == NULL;
    if (free) {
        line_handlers[irq] = handler;
        interrupt_register(VECTOR_IRQ_BASE + irq, on_line);
    }
    spin_unlock_irqrestore(&lines_lock, flags);
    if (free)
        ioapic_mask_isa((uint8_t)irq); /* until the driver acknowledges: see unmask */
    return free;
}

void arch_irq_line_unmask(unsigned irq)
{
    if (irq < ISA_LINES && line_handlers[irq])
        ioapic_route_isa((uint8_t)irq, (uint8_t)(VECTOR_IRQ_BASE + irq), arch_cpu_of(0)->apic_id);
}

void arch_irq_line_release(unsigned irq)
{
    if (irq >= ISA_LINES)
        return;
    ioapic_mask_isa((uint8_t)irq);
    uint64_t flags = spin_lock_irqsave(&lines_lock);
    line_handlers[irq] = NULL;
    spin_unlock_irqrestore(&lines_lock, flags);
}
