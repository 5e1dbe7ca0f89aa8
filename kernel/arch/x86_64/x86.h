/* Internal interfaces between the x86_64 arch files (never included by generic code). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/interrupt.h"

#define VECTOR_NMI        2
#define VECTOR_TIMER      0x20
#define VECTOR_RESCHEDULE 0x21
#define VECTOR_TLB        0x22
#define VECTOR_IRQ_BASE   0x30 /* I/O APIC lines are routed from here */
#define VECTOR_MSI_BASE   0x40 /* MSI/MSI-X vectors handed to drivers: base .. limit - 1 */
#define VECTOR_MSI_LIMIT  0xf0
#define VECTOR_SPURIOUS   0xff

#define DOUBLE_FAULT_STACK_SIZE 8192
#define NMI_STACK_SIZE          8192

/* What the arch layer keeps per CPU besides the generic struct cpu. */
struct arch_cpu {
    struct cpu_tables tables;
    uint64_t active_root;
    const uint8_t *io_bitmap; /* the space bitmap loaded in the TSS, or NULL (all denied) */
    uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));
    uint8_t nmi_stack[NMI_STACK_SIZE] __attribute__((aligned(16)));
};

struct cpu;
struct arch_cpu *arch_cpu_of(unsigned index);
/* Loads this CPU's tables, GS base and FPU settings (boot CPU and APs alike). */
void percpu_init(struct cpu *cpu, struct arch_cpu *arch);
void percpu_register(unsigned index, struct arch_cpu *arch);
void percpu_init_boot_cpu(void);
void ipi_init(void);
void syscall_init_cpu(void);
void protect_user_memory(void);

typedef void (*interrupt_handler)(struct interrupt_frame *frame);
void interrupt_register(uint8_t vector, interrupt_handler handler);
void idt_load(void);

void fpu_init_cpu(void);
void fpu_capture_initial_state(void);

/* Local APIC (xAPIC through MMIO or x2APIC through MSRs). */
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

/* I/O APIC. */
void ioapic_init(void);
/* Routes ISA IRQ `irq` (through the MADT overrides) to `vector` on the CPU `apic_id`. */
bool ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t apic_id);
void ioapic_mask_isa(uint8_t irq);

/* Legacy PIT: masks the 8259 PICs and measures time for calibration. */
void pic_disable(void);
/* Busy-waits `us` microseconds using PIT channel 2 (before the TSC is calibrated). */
void pit_wait_us(uint32_t us);

/* TSC clock. */
void tsc_calibrate(void);
uint64_t tsc_hz(void);
void delay_us(uint64_t us);

/* Uncached kernel mappings of device memory (APIC registers). */
void *device_map(uint64_t phys, size_t size);

/* Starts every CPU the platform reported. */
void smp_start_aps(void);
