/* Legacy timers (PIT, 8259 PICs), the TSC clock and the uncached device-mapping area. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Masks the 8259 PICs (the APICs take over). */
void pic_disable(void);
/* Busy-waits `us` microseconds using PIT channel 2 (before the TSC is calibrated). */
void pit_wait_us(uint32_t us);

void tsc_calibrate(void);
uint64_t tsc_hz(void);
void delay_us(uint64_t us);

/* Uncached kernel mappings of device memory (APIC registers). */
void *device_map(uint64_t phys, size_t size);
