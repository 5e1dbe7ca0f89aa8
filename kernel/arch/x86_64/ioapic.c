/* I/O APICs from the MADT: all lines masked at boot; ISA IRQs routed through the MADT's
 * interrupt source overrides (polarity and trigger mode included). */
#include "ioapic.h"
#include "time.h"
#include "kernel/acpi/acpi.h"
#include "kernel/log.h"
#include "kernel/platform.h"

#define REG_VERSION  0x01
#define REG_REDIRECT 0x10
#define ENTRY_MASKED (1u << 16)
#define ENTRY_LEVEL  (1u << 15)
#define ENTRY_LOW    (1u << 13)

struct ioapic {
    volatile uint32_t *mmio;
    uint32_t gsi_base;
    unsigned lines;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static size_t ioapic_count;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
    io->mmio[0] = reg;
    return io->mmio[4];
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t value)
{
    io->mmio[0] = reg;
    io->mmio[4] = value;
}

void ioapic_init(void)
{
    const struct acpi_topology *topo = platform_topology();
    for (size_t i = 0; i < topo->ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
        struct ioapic *io = &ioapics[ioapic_count++];
        io->mmio = device_map(topo->ioapics[i].address, 0x20);
        io->gsi_base = topo->ioapics[i].gsi_base;
        io->lines = ((ioapic_read(io, REG_VERSION) >> 16) & 0xff) + 1;
        for (unsigned line = 0; line < io->lines; line++) {
            ioapic_write(io, REG_REDIRECT + 2 * line, ENTRY_MASKED);
            ioapic_write(io, REG_REDIRECT + 2 * line + 1, 0);
        }
        log_info("ioapic: %u lines from GSI %u", io->lines, io->gsi_base);
    }
}

/* The GSI and entry flags an ISA IRQ maps to (identity, edge, active-high by default). */
static uint32_t isa_to_gsi(uint8_t irq, uint32_t *flags)
{
    const struct acpi_topology *topo = platform_topology();
    *flags = 0;
    for (size_t i = 0; i < topo->override_count; i++) {
        const struct acpi_override *o = &topo->overrides[i];
        if (o->source_irq != irq)
            continue;
        if ((o->flags & 3) == 3)
            *flags |= ENTRY_LOW;
        if (((o->flags >> 2) & 3) == 3)
            *flags |= ENTRY_LEVEL;
        return o->gsi;
    }
    return irq;
}

static struct ioapic *ioapic_for(uint32_t gsi)
{
    for (size_t i = 0; i < ioapic_count; i++)
        if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].lines)
            return &ioapics[i];
    return NULL;
}

bool ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t apic_id)
{
    uint32_t flags;
    uint32_t gsi = isa_to_gsi(irq, &flags);
    struct ioapic *io = ioapic_for(gsi);
    if (!io)
        return false;
    unsigned line = gsi - io->gsi_base;
    ioapic_write(io, REG_REDIRECT + 2 * line + 1, apic_id << 24);
    ioapic_write(io, REG_REDIRECT + 2 * line, vector | flags);
    return true;
}

void ioapic_mask_isa(uint8_t irq)
{
    uint32_t flags;
    uint32_t gsi = isa_to_gsi(irq, &flags);
    struct ioapic *io = ioapic_for(gsi);
    if (io)
        ioapic_write(io, REG_REDIRECT + 2 * (gsi - io->gsi_base), ENTRY_MASKED);
}
