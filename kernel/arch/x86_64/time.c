/* Time: the PIT (only to calibrate), the TSC as the monotonic clock, and the small
 * uncached device-mapping area the APIC drivers use. */
#include "time.h"
#include "port_io.h"
#include "cpu.h"
#include "kernel/arch.h"
#include "kernel/panic.h"

#define PIT_HZ        1193182
#define PIT_CHANNEL2  0x42
#define PIT_COMMAND   0x43
#define PIT_GATE_PORT 0x61
#define PIC1_DATA     0x21
#define PIC2_DATA     0xa1

static uint64_t tsc_frequency;
static uint64_t tsc_at_boot;
static uint64_t ns_per_tsc_q32; /* nanoseconds per TSC cycle, 32.32 fixed point */
static uintptr_t device_next = DEVICE_AREA_BASE;

void pic_disable(void)
{
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
}

void pit_wait_us(uint32_t us)
{
    uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);
    if (count > 0xffff)
        count = 0xffff;
    uint8_t gate = inb(PIT_GATE_PORT);
    outb(PIT_GATE_PORT, (gate & ~0x02) | 0x01); /* gate on, speaker off */
    outb(PIT_COMMAND, 0xb0);                    /* channel 2, lo/hi byte, mode 0 */
    outb(PIT_CHANNEL2, count & 0xff);
    outb(PIT_CHANNEL2, count >> 8);
    while (!(inb(PIT_GATE_PORT) & 0x20))
        cpu_relax();
}

void tsc_calibrate(void)
{
    uint64_t start = rdtsc();
    pit_wait_us(10000);
    tsc_frequency = (rdtsc() - start) * 100;
    if (tsc_frequency == 0)
        panic("time: the TSC does not count");
    ns_per_tsc_q32 = (1000000000ULL << 32) / tsc_frequency;
    tsc_at_boot = start;
}

uint64_t tsc_hz(void)
{
    return tsc_frequency;
}

uint64_t arch_clock_ns(void)
{
    uint64_t delta = rdtsc() - tsc_at_boot;
    return (uint64_t)(((unsigned __int128)delta * ns_per_tsc_q32) >> 32);
}

void delay_us(uint64_t us)
{
    uint64_t end = arch_clock_ns() + us * 1000;
    while (arch_clock_ns() < end)
        cpu_relax();
}

void *device_map(uint64_t phys, size_t size)
{
    uint64_t first = phys & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t last = (phys + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    uintptr_t virt = device_next;
    if (virt + (last - first) > DEVICE_AREA_BASE + DEVICE_AREA_SIZE)
        panic("device_map: area exhausted");
    for (uint64_t p = first; p < last; p += PAGE_SIZE) {
        enum wg_error err = arch_paging_map(arch_paging_kernel_root(), device_next, p,
                                            ARCH_MAP_READ | ARCH_MAP_WRITE | ARCH_MAP_UNCACHED);
        if (err != WG_ERR_OK)
            panic("device_map: cannot map %#lx: %s", p, wg_error_name(err));
        device_next += PAGE_SIZE;
    }
    return (void *)(virt + (phys - first));
}
