/* Inter-processor interrupts: reschedule, TLB shootdown and the panic NMI. */
#pragma once

void ipi_init(void);
