/* I/O APICs: every input masked at start, ISA lines routed on demand. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void ioapic_init(void);
/* Routes ISA IRQ `irq` (through the MADT overrides) to `vector` on the CPU `apic_id`. */
bool ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t apic_id);
void ioapic_mask_isa(uint8_t irq);
