/* Driver assets seen from the root space, where they can be created: device memory mapped
 * uncached and read back from a real device (the I/O APIC's version register), DMA memory
 * whose physical address is readable, RAM refused as device memory, an interrupt line that
 * cannot be claimed twice. Runs in init's test mode, before the suites in child spaces. */
#include <wingos.h>

#include "roottest.h"

#define IOAPIC_PHYS 0xfec00000ull
#define MAP_ADDRESS 0x500000000000ull
#define IOREGSEL    0
#define IOWIN       4 /* in 32-bit words */
#define REG_VERSION 1

static int failed;

static void report(const char *name, bool ok, const char *why)
{
    printf("utest: %s %s%s%s\n", ok ? "PASS" : "FAIL", name, ok ? "" : ": ", ok ? "" : why);
    failed += !ok;
}

static void test_mmio_reads_a_device(void)
{
    struct wg_result mmio = wg_mmio_create(WG_SELF, IOAPIC_PHYS, 1);
    struct wg_result map =
        wg_ok(mmio) ? wg_vmem_map(WG_SELF, mmio.value, MAP_ADDRESS, WG_MAP_READ | WG_MAP_WRITE)
                    : mmio;
    bool ok = wg_ok(map);
    if (ok) {
        volatile uint32_t *regs = (volatile uint32_t *)MAP_ADDRESS;
        regs[IOREGSEL] = REG_VERSION;
        uint32_t version = regs[IOWIN];
        ok = (version & 0xff) >= 0x11 && ((version >> 16) & 0xff) >= 23; /* >= 24 lines */
        wg_asset_release(WG_SELF, map.value);
    }
    if (wg_ok(mmio))
        wg_asset_release(WG_SELF, mmio.value);
    report("root_mmio_reads_ioapic_version", ok, "could not map or read the I/O APIC");
}

static void test_mmio_refuses_ram(void)
{
    struct wg_result ram = wg_mmio_create(WG_SELF, 0x200000, 1); /* the kernel image's RAM */
    report("root_mmio_refuses_ram", ram.err == WG_ERR_ACCESS_DENIED,
           "RAM was accepted as device memory");
    struct wg_result odd = wg_mmio_create(WG_SELF, IOAPIC_PHYS + 8, 1);
    report("root_mmio_refuses_misaligned", odd.err == WG_ERR_INVALID_ARGUMENT,
           "a misaligned device address was accepted");
}

static void test_dma_address(void)
{
    struct wg_result dma = wg_pmem_create(WG_SELF, 4, WG_PMEM_DMA, WG_PMEM_ANY_NODE);
    struct wg_result phys = wg_ok(dma) ? wg_pmem_phys_addr(WG_SELF, dma.value) : dma;
    report("root_dma_memory_has_an_address",
           wg_ok(phys) && phys.value != 0 && (phys.value & 0xfff) == 0,
           "no physical address for DMA memory");
    struct wg_result plain = wg_pmem_create(WG_SELF, 1, WG_PMEM_CONTIGUOUS, WG_PMEM_ANY_NODE);
    struct wg_result hidden = wg_ok(plain) ? wg_pmem_phys_addr(WG_SELF, plain.value) : plain;
    report("root_plain_memory_hides_its_address", hidden.err == WG_ERR_ACCESS_DENIED,
           "a non-DMA memory asset showed its physical address");
    if (wg_ok(dma))
        wg_asset_release(WG_SELF, dma.value);
    if (wg_ok(plain))
        wg_asset_release(WG_SELF, plain.value);
}

static void test_irq_claimed_once(void)
{
    struct wg_result first = wg_irq_create(WG_SELF, 5);
    struct wg_result second = wg_irq_create(WG_SELF, 5);
    report("root_irq_claimed_once", wg_ok(first) && second.err == WG_ERR_BUSY,
           "an interrupt line was handed out twice");
    if (wg_ok(first))
        wg_asset_release(WG_SELF, first.value);
    struct wg_result again = wg_irq_create(WG_SELF, 5);
    report("root_irq_free_after_release", wg_ok(again), "a released line stayed claimed");
    if (wg_ok(again))
        wg_asset_release(WG_SELF, again.value);
    report("root_irq_cascade_refused", wg_irq_create(WG_SELF, 2).err == WG_ERR_OUT_OF_RANGE,
           "the PIC cascade line was accepted");
}

int roottest_run(void)
{
    failed = 0;
    test_mmio_reads_a_device();
    test_mmio_refuses_ram();
    test_dma_address();
    test_irq_claimed_once();
    return failed;
}
