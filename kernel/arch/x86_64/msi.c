/* Vectors for message-signalled interrupts (MSI, MSI-X). Each claimed vector gets a handler;
 * the device writes the message (address naming CPU 0's local APIC, data naming the vector),
 * which arrives here as an edge interrupt: EOI, then the handler. A released vector keeps this
 * stub, so a device still firing it is acknowledged and ignored instead of wedging the APIC. */
#include "interrupt.h"
#include "lapic.h"
#include "percpu.h"
#include "kernel/arch.h"
#include "kernel/sync/spinlock.h"

#define MSI_ADDRESS_BASE 0xfee00000ull

static void (*msi_handlers[VECTOR_MSI_LIMIT])(unsigned vector);
static bool msi_used[VECTOR_MSI_LIMIT];
static struct spinlock msi_lock = SPINLOCK_INIT;

static void on_msi(struct interrupt_frame *frame)
{
    unsigned vector = (unsigned)frame->vector;
    lapic_eoi();
    spin_lock(&msi_lock);
    void (*handler)(unsigned) = msi_handlers[vector];
    spin_unlock(&msi_lock);
    if (handler)
        handler(vector);
}

bool arch_msi_vector_claim(void (*handler)(unsigned vector), unsigned *vector)
{
    uint64_t flags = spin_lock_irqsave(&msi_lock);
    unsigned found = 0;
    for (unsigned v = VECTOR_MSI_BASE; v < VECTOR_MSI_LIMIT && !found; v++)
        if (!msi_used[v])
            found = v;
    if (found) {
        msi_used[found] = true;
        msi_handlers[found] = handler;
        interrupt_register((uint8_t)found, on_msi);
    }
    spin_unlock_irqrestore(&msi_lock, flags);
    *vector = found;
    return found != 0;
}

void arch_msi_vector_release(unsigned vector)
{
    if (vector < VECTOR_MSI_BASE || vector >= VECTOR_MSI_LIMIT)
        return;
    uint64_t flags = spin_lock_irqsave(&msi_lock);
    msi_used[vector] = false;
    msi_handlers[vector] = NULL;
    spin_unlock_irqrestore(&msi_lock, flags);
}

/* Fixed delivery, edge, physical destination CPU 0 (whose APIC ID fits the 8-bit field of
 * xAPIC-format messages on the machines WingOS starts). */
void arch_msi_message(unsigned vector, uint64_t *address, uint32_t *data)
{
    *address = MSI_ADDRESS_BASE | ((uint64_t)(arch_cpu_of(0)->apic_id & 0xff) << 12);
    *data = vector;
}
