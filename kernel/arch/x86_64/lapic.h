/* Local APIC (xAPIC through MMIO or x2APIC through MSRs) and the per-CPU tick it drives. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void lapic_init_bsp(uint64_t mmio_phys);
void lapic_init_cpu(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi_all_others(void);
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint8_t page);
bool lapic_is_x2apic(void);
/* Timer: counts per tick from calibration; starts this CPU's periodic tick. */
void lapic_timer_calibrate(void);
void lapic_timer_start(void);
void lapic_timer_rearm(void);
bool lapic_uses_tsc_deadline(void);
