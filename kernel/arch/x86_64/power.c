/* Powering off and resetting the machine through ports (see arch.h). */
#include "kernel/acpi/fadt.h"
#include "kernel/arch.h"
#include "port_io.h"

#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN        (1u << 13)
#define RESET_CONTROL     0xcf9
#define RESET_CF9_HARD    0x06 /* full reset, CPU reset */
#define KBC_COMMAND       0x64
#define KBC_STATUS_INPUT  0x02 /* the controller has not taken the last byte yet */
#define KBC_PULSE_RESET   0xfe
#define SETTLE_SPINS      1000000

static void settle(void)
{
    for (unsigned i = 0; i < SETTLE_SPINS; i++)
        arch_cpu_relax();
}

static void pm1_write(uint16_t port, uint8_t slp_typ)
{
    if (port)
        outw(port, (uint16_t)((slp_typ & 7u) << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
}

void arch_power_off(const struct acpi_power *power)
{
    if (!power->s5_valid)
        return;
    arch_irq_save();
    pm1_write(power->pm1a_cnt, power->slp_typa);
    pm1_write(power->pm1b_cnt, power->slp_typb);
    settle();
    arch_irq_enable(); /* still here: the chipset did not take it */
}

void arch_reboot(const struct acpi_power *power)
{
    arch_irq_save();
    if (power->reset_valid) {
        outb(power->reset_port, power->reset_value);
        settle();
    }
    outb(RESET_CONTROL, RESET_CF9_HARD);
    settle();
    for (unsigned i = 0; i < SETTLE_SPINS && (inb(KBC_COMMAND) & KBC_STATUS_INPUT); i++)
        arch_cpu_relax();
    outb(KBC_COMMAND, KBC_PULSE_RESET);
    settle();
    arch_irq_enable();
}
