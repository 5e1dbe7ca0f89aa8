/* drvtest: checks that a task without driver rights is refused them. It must run in a
 * space below init's (the shell or init spawns it): creating interrupts, I/O ports, device
 * memory or DMA memory is then ACCESS_DENIED, the physical address of ordinary memory is
 * not shown, and touching an I/O port that was never enabled kills the task (portpoke).
 * Output as systest's: "utest: PASS name" or "utest: FAIL name: why" per test, then
 * "utest: done: N passed, M failed"; the exit status is the number of failures. */
#include <wingos.h>

#define SECOND_NS   1000000000ull
#define WHY_MAX     160
#define ISA_IRQS    16
#define LAPIC_PHYS  0xfee00000ull
#define IOAPIC_PHYS 0xfec00000ull

static struct {
    int passed, failed;
    char why[WHY_MAX]; /* the current test's first failure; empty while it passes */
} run;

/* Notes a failure of the current test (the first one is reported). */
static void fail(const char *what, enum wg_error got, enum wg_error expected)
{
    if (run.why[0] == '\0')
        snprintf(run.why, sizeof run.why, "%s gave %s, expected %s", what, wg_error_name(got),
                 wg_error_name(expected));
}

/* Expects `result` to fail with `expected`; a handle it gave anyway is released. */
static void expect(const char *what, struct wg_result result, enum wg_error expected)
{
    if (result.err == expected)
        return;
    fail(what, result.err, expected);
    if (wg_ok(result) && result.value != 0)
        wg_asset_release(WG_SELF, result.value);
}

static void irq_create_denied(void)
{
    for (uint32_t irq = 0; irq < ISA_IRQS; irq++)
        expect("IRQ_CREATE", wg_irq_create(WG_SELF, irq), WG_ERR_ACCESS_DENIED);
}

static void ioport_create_denied(void)
{
    expect("IOPORT_CREATE(COM1)", wg_ioport_create(WG_SELF, 0x3f8, 8), WG_ERR_ACCESS_DENIED);
    expect("IOPORT_CREATE(0x60)", wg_ioport_create(WG_SELF, 0x60, 1), WG_ERR_ACCESS_DENIED);
    expect("IOPORT_CREATE(all)", wg_ioport_create(WG_SELF, 0, 0x10000), WG_ERR_ACCESS_DENIED);
}

static void mmio_create_denied(void)
{
    expect("MMIO_CREATE(LAPIC)", wg_mmio_create(WG_SELF, LAPIC_PHYS, 1), WG_ERR_ACCESS_DENIED);
    expect("MMIO_CREATE(IOAPIC)", wg_mmio_create(WG_SELF, IOAPIC_PHYS, 1), WG_ERR_ACCESS_DENIED);
    expect("MMIO_CREATE(RAM)", wg_mmio_create(WG_SELF, 0x100000, 1), WG_ERR_ACCESS_DENIED);
}

static void pmem_dma_denied(void)
{
    expect("PMEM_CREATE(DMA)", wg_pmem_create(WG_SELF, 1, WG_PMEM_DMA, WG_PMEM_ANY_NODE),
           WG_ERR_ACCESS_DENIED);
    expect("PMEM_CREATE(DMA|CONTIGUOUS)",
           wg_pmem_create(WG_SELF, 4, WG_PMEM_DMA | WG_PMEM_CONTIGUOUS, WG_PMEM_ANY_NODE),
           WG_ERR_ACCESS_DENIED);
}

/* PMEM_PHYS_ADDR of ordinary memory made with `flags`. */
static void phys_addr_of(const char *what, uint32_t flags)
{
    struct wg_result pmem = wg_pmem_create(WG_SELF, 2, flags, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem)) {
        fail("PMEM_CREATE", pmem.err, WG_ERR_OK);
        return;
    }
    struct wg_result address = wg_pmem_phys_addr(WG_SELF, pmem.value);
    if (address.err != WG_ERR_ACCESS_DENIED || address.value != 0)
        fail(what, address.err, WG_ERR_ACCESS_DENIED);
    wg_asset_release(WG_SELF, pmem.value);
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
    if (!wg_ok(pmem)) {
        fail("PMEM_CREATE", pmem.err, WG_ERR_OK);
        return;
    }
    expect("IOPORT_ENABLE(pmem)", wg_ioport_enable(WG_SELF, pmem.value), WG_ERR_WRONG_KIND);
    expect("IRQ_BIND(pmem)", wg_irq_bind(WG_SELF, pmem.value, pmem.value), WG_ERR_WRONG_KIND);
    expect("IRQ_ACK(pmem)", wg_irq_ack(WG_SELF, pmem.value), WG_ERR_WRONG_KIND);
    wg_asset_release(WG_SELF, pmem.value);
}

/* Runs portpoke with `argument` (or none) and expects the kernel to have ended it. */
static void poke(const char *argument)
{
    const char *args[] = {"portpoke", argument};
    struct wg_process process;
    enum wg_error err = wg_spawn("portpoke", argument ? 2 : 1, args, &process);
    if (err != WG_ERR_OK) {
        fail("spawning portpoke", err, WG_ERR_OK);
        return;
    }
    struct wg_result status = wg_process_wait(&process, 10 * SECOND_NS);
    if (!wg_ok(status))
        fail("waiting for portpoke", status.err, WG_ERR_OK);
    else if ((int64_t)status.value != WG_EXIT_FAULTED)
        snprintf(run.why, sizeof run.why, "portpoke ended with %lld, expected %d (faulted)",
                 (long long)(int64_t)status.value, WG_EXIT_FAULTED);
    wg_process_destroy(&process);
}

static void inb_faults(void)
{
    poke(NULL);
}

static void outb_faults(void)
{
    poke("out");
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    {"drv_irq_create_denied", irq_create_denied},
    {"drv_ioport_create_denied", ioport_create_denied},
    {"drv_mmio_create_denied", mmio_create_denied},
    {"drv_pmem_dma_denied", pmem_dma_denied},
    {"drv_pmem_phys_addr_denied", pmem_phys_addr_denied},
    {"drv_calls_check_kind", driver_calls_check_kind},
    {"drv_inb_faults", inb_faults},
    {"drv_outb_faults", outb_faults},
};

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        run.why[0] = '\0';
        tests[i].run();
        if (run.why[0] == '\0') {
            printf("utest: PASS %s\n", tests[i].name);
            run.passed++;
        } else {
            printf("utest: FAIL %s: %s\n", tests[i].name, run.why);
            run.failed++;
        }
    }
    printf("utest: done: %d passed, %d failed\n", run.passed, run.failed);
    return run.failed;
}
