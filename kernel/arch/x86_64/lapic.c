/* Local APIC: x2APIC through MSRs when the CPU has it, else xAPIC through uncached MMIO.
 * Also the per-CPU tick: TSC-deadline mode when available (re-armed every tick), else the
 * APIC timer in periodic mode, calibrated against the PIT. */
#include "lapic.h"
#include "msr.h"
#include "cpuid.h"
#include "cpu.h"
#include "time.h"
#include "interrupt.h"
#include "kernel/arch.h"

#define MSR_APIC_BASE      0x1b
#define MSR_TSC_DEADLINE   0x6e0
#define APIC_BASE_ENABLE   (1ULL << 11)
#define APIC_BASE_X2APIC   (1ULL << 10)
#define REG_ID             0x20
#define REG_TPR            0x80
#define REG_EOI            0xb0
#define REG_SVR            0xf0
#define REG_ESR            0x280
#define REG_ICR_LOW        0x300
#define REG_ICR_HIGH       0x310
#define REG_LVT_TIMER      0x320
#define REG_LVT_LINT0      0x350
#define REG_LVT_LINT1      0x360
#define REG_TIMER_INITIAL  0x380
#define REG_TIMER_CURRENT  0x390
#define REG_TIMER_DIVIDE   0x3e0
#define SVR_ENABLE         0x100
#define LVT_MASKED         (1u << 16)
#define TIMER_PERIODIC     (1u << 17)
#define TIMER_TSC_DEADLINE (2u << 17)
#define ICR_PENDING        (1u << 12)
#define ICR_ASSERT         (1u << 14)
#define ICR_NMI            (4u << 8)
#define ICR_INIT           (5u << 8)
#define ICR_STARTUP        (6u << 8)
#define ICR_ALL_BUT_SELF   (3u << 18)
#define TICK_HZ            1000

static volatile uint32_t *mmio;
static bool x2apic;
static bool tsc_deadline;
static uint32_t counts_per_tick;
static uint64_t tsc_per_tick;

static uint32_t lapic_read(uint32_t reg)
{
    return x2apic ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t value)
{
    if (x2apic)
        wrmsr(0x800 + (reg >> 4), value);
    else
        mmio[reg / 4] = value;
}

bool lapic_is_x2apic(void)
{
    return x2apic;
}

bool lapic_uses_tsc_deadline(void)
{
    return tsc_deadline;
}

void lapic_init_bsp(uint64_t mmio_phys)
{
    uint32_t id[4];
    cpuid(1, 0, id);
    x2apic = id[2] & (1u << 21);
    tsc_deadline = id[2] & (1u << 24);
    if (!x2apic)
        mmio = device_map(mmio_phys, PAGE_SIZE);
    lapic_init_cpu();
}

void lapic_init_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;
    wrmsr(MSR_APIC_BASE, base);
    if (x2apic)
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
    lapic_write(REG_TPR, 0);
    lapic_write(REG_LVT_LINT0, LVT_MASKED);
    lapic_write(REG_LVT_LINT1, LVT_MASKED);
    lapic_write(REG_LVT_TIMER, LVT_MASKED);
    lapic_write(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    lapic_write(REG_ESR, 0);
    lapic_write(REG_EOI, 0);
}

uint32_t lapic_id(void)
{
    uint32_t id = lapic_read(REG_ID);
    return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
    lapic_write(REG_EOI, 0);
}

/* Interrupts stay off across the two xAPIC writes: a handler sending its own IPI in between
 * would redirect ours. */
static void lapic_icr(uint32_t apic_id, uint32_t low)
{
    uint64_t flags = arch_irq_save();
    if (x2apic) {
        wrmsr(0x830, ((uint64_t)apic_id << 32) | low);
    } else {
        while (mmio[REG_ICR_LOW / 4] & ICR_PENDING)
            cpu_relax();
        mmio[REG_ICR_HIGH / 4] = apic_id << 24;
        mmio[REG_ICR_LOW / 4] = low;
        while (mmio[REG_ICR_LOW / 4] & ICR_PENDING)
            cpu_relax();
    }
    arch_irq_restore(flags);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    lapic_icr(apic_id, vector | ICR_ASSERT);
}

void lapic_send_nmi_all_others(void)
{
    lapic_icr(0, ICR_NMI | ICR_ASSERT | ICR_ALL_BUT_SELF);
}

void lapic_send_init(uint32_t apic_id)
{
    lapic_icr(apic_id, ICR_INIT | ICR_ASSERT);
}

void lapic_send_startup(uint32_t apic_id, uint8_t page)
{
    lapic_icr(apic_id, ICR_STARTUP | ICR_ASSERT | page);
}

/* Counts APIC timer ticks and TSC cycles over 10 ms of PIT time. */
void lapic_timer_calibrate(void)
{
    lapic_write(REG_TIMER_DIVIDE, 0x3); /* divide by 16 */
    lapic_write(REG_LVT_TIMER, LVT_MASKED);
    lapic_write(REG_TIMER_INITIAL, UINT32_MAX);
    pit_wait_us(10000);
    uint32_t elapsed = UINT32_MAX - lapic_read(REG_TIMER_CURRENT);
    lapic_write(REG_TIMER_INITIAL, 0);
    counts_per_tick = elapsed * 100 / TICK_HZ;
    if (counts_per_tick == 0)
        counts_per_tick = 1;
    tsc_per_tick = tsc_hz() / TICK_HZ;
}

void lapic_timer_rearm(void)
{
    if (tsc_deadline)
        wrmsr(MSR_TSC_DEADLINE, rdtsc() + tsc_per_tick);
}

void lapic_timer_start(void)
{
    if (tsc_deadline) {
        lapic_write(REG_LVT_TIMER, VECTOR_TIMER | TIMER_TSC_DEADLINE);
        __asm__ volatile("mfence" ::: "memory"); /* the SDM asks for it before the MSR write */
        lapic_timer_rearm();
        return;
    }
    lapic_write(REG_TIMER_DIVIDE, 0x3);
    lapic_write(REG_LVT_TIMER, VECTOR_TIMER | TIMER_PERIODIC);
    lapic_write(REG_TIMER_INITIAL, counts_per_tick);
}

uint64_t arch_tick_ns(void)
{
    return 1000000000ULL / TICK_HZ;
}
