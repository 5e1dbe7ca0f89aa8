/* drvtest: checks that a task without driver rights is refused them. It must run in a
 * space below init's (the shell or init spawns it): creating interrupts, I/O ports, device
 * memory or DMA memory is then ACCESS_DENIED, the physical address of ordinary memory is
 * not shown, and touching an I/O port that was never enabled kills the task (portpoke).
 * Output as every suite's (user/lib/test/suite.h): "utest: PASS name" or "utest: FAIL name:
 * why" per test, then "utest: done: N passed, M failed"; the exit status is the number of
 * failures. */
#include <test/test.h>

#define ISA_IRQS    16
#define LAPIC_PHYS  0xfee00000ull
#define IOAPIC_PHYS 0xfec00000ull

/* Expects `result` to fail with `expected` (its value is not looked at); a handle it gave
 * anyway is released, so one failure does not leak into the next test. */
#define EXPECT(what, result, expected) expect_at(__FILE__, __LINE__, (what), (result), (expected))
static void expect_at(const char *file, int line, const char *what, struct wg_result result,
                      enum wg_error expected)
{
    if (test_expect_err(file, line, what, result.err, expected))
        return;
    if (wg_ok(result) && result.value != 0)
        wg_asset_release(WG_SELF, result.value);
}

static void irq_create_denied(void)
{
    for (uint32_t irq = 0; irq < ISA_IRQS; irq++)
        EXPECT("IRQ_CREATE", wg_irq_create(WG_SELF, irq), WG_ERR_ACCESS_DENIED);
}

static void ioport_create_denied(void)
{
    EXPECT("IOPORT_CREATE(COM1)", wg_ioport_create(WG_SELF, 0x3f8, 8), WG_ERR_ACCESS_DENIED);
    EXPECT("IOPORT_CREATE(0x60)", wg_ioport_create(WG_SELF, 0x60, 1), WG_ERR_ACCESS_DENIED);
    EXPECT("IOPORT_CREATE(all)", wg_ioport_create(WG_SELF, 0, 0x10000), WG_ERR_ACCESS_DENIED);
}

static void mmio_create_denied(void)
{
    EXPECT("MMIO_CREATE(LAPIC)", wg_mmio_create(WG_SELF, LAPIC_PHYS, 1), WG_ERR_ACCESS_DENIED);
    EXPECT("MMIO_CREATE(IOAPIC)", wg_mmio_create(WG_SELF, IOAPIC_PHYS, 1), WG_ERR_ACCESS_DENIED);
    EXPECT("MMIO_CREATE(RAM)", wg_mmio_create(WG_SELF, 0x100000, 1), WG_ERR_ACCESS_DENIED);
}

static void pmem_dma_denied(void)
{
    EXPECT("PMEM_CREATE(DMA)", wg_pmem_create(WG_SELF, 1, WG_PMEM_DMA, WG_PMEM_ANY_NODE),
           WG_ERR_ACCESS_DENIED);
    EXPECT("PMEM_CREATE(DMA|CONTIGUOUS)",
           wg_pmem_create(WG_SELF, 4, WG_PMEM_DMA | WG_PMEM_CONTIGUOUS, WG_PMEM_ANY_NODE),
           WG_ERR_ACCESS_DENIED);
}

/* PMEM_PHYS_ADDR of ordinary memory made with `flags`. */
static void phys_addr_of(const char *what, uint32_t flags)
{
    struct wg_result pmem = wg_pmem_create(WG_SELF, 2, flags, WG_PMEM_ANY_NODE);
    if (!CHECK_OK(pmem))
        return;
    struct wg_result address = wg_pmem_phys_addr(WG_SELF, pmem.value);
    test_expect_refused(__FILE__, __LINE__, what, address, WG_ERR_ACCESS_DENIED);
    CHECK_OK(wg_asset_release(WG_SELF, pmem.value));
}

static void pmem_phys_addr_denied(void)
{
    phys_addr_of("PMEM_PHYS_ADDR(contiguous)", WG_PMEM_CONTIGUOUS);
    phys_addr_of("PMEM_PHYS_ADDR(scattered)", 0);
}

/* Handles of other kinds do not stand in for driver assets. */
static void driver_calls_check_kind(void)
{
    struct wg_result pmem = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    if (!CHECK_OK(pmem))
        return;
    EXPECT("IOPORT_ENABLE(pmem)", wg_ioport_enable(WG_SELF, pmem.value), WG_ERR_WRONG_KIND);
    EXPECT("IRQ_BIND(pmem)", wg_irq_bind(WG_SELF, pmem.value, pmem.value), WG_ERR_WRONG_KIND);
    EXPECT("IRQ_ACK(pmem)", wg_irq_ack(WG_SELF, pmem.value), WG_ERR_WRONG_KIND);
    CHECK_OK(wg_asset_release(WG_SELF, pmem.value));
}

/* Runs portpoke with `argument` (or none) and expects the kernel to have ended it. */
static void poke(const char *argument)
{
    const char *args[] = {"portpoke", argument};
    int64_t status = helper_run("portpoke", argument ? 2 : 1, args);
    CHECK(status == WG_EXIT_FAULT(13), "portpoke ended with %lld, expected %lld (a GP fault)",
          (long long)status, (long long)WG_EXIT_FAULT(13));
}

static void inb_faults(void)
{
    poke(NULL);
}

static void outb_faults(void)
{
    poke("out");
}

static const struct test tests[] = {
    {"drv_irq_create_denied", irq_create_denied, false},
    {"drv_ioport_create_denied", ioport_create_denied, false},
    {"drv_mmio_create_denied", mmio_create_denied, false},
    {"drv_pmem_dma_denied", pmem_dma_denied, false},
    {"drv_pmem_phys_addr_denied", pmem_phys_addr_denied, false},
    {"drv_calls_check_kind", driver_calls_check_kind, false},
    {"drv_inb_faults", inb_faults, false},
    {"drv_outb_faults", outb_faults, false},
    {NULL, NULL, false},
};

static const struct test *const lists[] = {tests};

static const struct test_suite suite = {
    .name = "drvtest",
    .lists = lists,
    .list_count = 1,
    .leaks = SNAPSHOT_NO_MORE,
    .leak_timeout_ns = SECOND_NS,
};

int main(int argc, char **argv)
{
    return suite_main(&suite, argc, argv);
}
