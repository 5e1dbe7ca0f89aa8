/* Interrupt controller bring-up and the per-CPU tick. */
#include "lapic.h"
#include "ioapic.h"
#include "time.h"
#include "fpu.h"
#include "ipi.h"
#include "interrupt.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/platform.h"

#define DEFAULT_LAPIC_PHYS 0xfee00000

static void on_timer(struct interrupt_frame *frame)
{
    (void)frame;
    lapic_eoi();
    lapic_timer_rearm();
    wait_timers_tick(arch_clock_ns());
    sched_tick();
}

void arch_interrupts_init(void)
{
    const struct acpi_topology *topo = platform_topology();
    pic_disable();
    fpu_capture_initial_state(); /* before the first task: every task starts from it */
    tsc_calibrate();
    lapic_init_bsp(topo->lapic_address ? topo->lapic_address : DEFAULT_LAPIC_PHYS);
    ioapic_init();
    ipi_init();
    interrupt_register(VECTOR_TIMER, on_timer);
    lapic_timer_calibrate();
    log_info("time: TSC %lu MHz, %s, tick %s", tsc_hz() / 1000000,
             lapic_is_x2apic() ? "x2APIC" : "xAPIC",
             lapic_uses_tsc_deadline() ? "TSC-deadline" : "APIC timer periodic");
}

void arch_timer_start(void)
{
    lapic_timer_start();
}
