/* roottest: driver assets as the root space makes them. init runs it first in test mode,
 * through rootcall_host (user/lib/test/rootcall.h): the assets are created by init, in the
 * root space, at roottest's request, and moved to it. Checks device memory mapped uncached
 * and read back from a real device (the I/O APIC's version register), DMA memory whose
 * physical address is readable, RAM and misaligned addresses refused as device memory, an
 * interrupt line that cannot be claimed twice; I/O ports open only while enabled and held
 * (ioports.c). argv[1] is the address of init's server. */
#include "roottest.h"

#define IOAPIC_PHYS 0xfec00000ull
#define IOREGSEL    0
#define IOWIN       4 /* in 32-bit words */
#define REG_VERSION 1

static wg_handle root; /* our connection to init */

static struct wg_result mmio_create(uint64_t phys, uint64_t pages)
{
    return rootcall_request(root, ROOTCALL_MMIO_CREATE, phys, pages, 0);
}

static struct wg_result irq_create(uint32_t irq)
{
    return rootcall_request(root, ROOTCALL_IRQ_CREATE, irq, 0, 0);
}

struct wg_result roottest_ioport_create(uint32_t first, uint32_t count)
{
    return rootcall_request(root, ROOTCALL_IOPORT_CREATE, first, count, 0);
}

static struct wg_result pmem_create(uint64_t pages, uint32_t flags)
{
    return rootcall_request(root, ROOTCALL_PMEM_CREATE, pages, flags, WG_PMEM_ANY_NODE);
}

static void test_mmio_reads_a_device(void)
{
    wg_handle mmio = VALUE(mmio_create(IOAPIC_PHYS, 1));
    if (!mmio)
        return;
    wg_handle map = VALUE(wg_vmem_map(WG_SELF, mmio, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE));
    if (map) {
        volatile uint32_t *regs = (volatile uint32_t *)SCRATCH_ADDRESS;
        regs[IOREGSEL] = REG_VERSION;
        uint32_t version = regs[IOWIN];
        CHECK((version & 0xff) >= 0x11 && ((version >> 16) & 0xff) >= 23, /* >= 24 lines */
              "the I/O APIC's version register read %#x", version);
        CHECK_OK(wg_asset_release(WG_SELF, map));
    }
    CHECK_OK(wg_asset_release(WG_SELF, mmio));
}

static void test_mmio_refuses_ram(void)
{
    CHECK_ERR(WG_ERR_ACCESS_DENIED, mmio_create(0x200000, 1)); /* the kernel image's RAM */
}

static void test_mmio_refuses_misaligned(void)
{
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, mmio_create(IOAPIC_PHYS + 8, 1));
}

static void test_dma_address(void)
{
    wg_handle dma = VALUE(pmem_create(4, WG_PMEM_DMA));
    if (!dma)
        return;
    uint64_t phys = VALUE(wg_pmem_phys_addr(WG_SELF, dma));
    CHECK(phys != 0 && (phys & 0xfff) == 0, "DMA memory at %#llx", (unsigned long long)phys);
    CHECK_OK(wg_asset_release(WG_SELF, dma));
}

static void test_plain_memory_hides_its_address(void)
{
    wg_handle plain = VALUE(pmem_create(1, WG_PMEM_CONTIGUOUS));
    if (!plain)
        return;
    CHECK_ERR(WG_ERR_ACCESS_DENIED, wg_pmem_phys_addr(WG_SELF, plain));
    CHECK_OK(wg_asset_release(WG_SELF, plain));
}

static void test_irq_claimed_once(void)
{
    wg_handle first = VALUE(irq_create(5));
    CHECK_ERR(WG_ERR_BUSY, irq_create(5));
    if (first)
        CHECK_OK(wg_asset_release(WG_SELF, first));
}

static void test_irq_free_after_release(void)
{
    wg_handle again = VALUE(irq_create(5));
    if (again)
        CHECK_OK(wg_asset_release(WG_SELF, again));
}

static void test_irq_cascade_refused(void)
{
    CHECK_ERR(WG_ERR_OUT_OF_RANGE, irq_create(2));
}

static const struct test tests[] = {
    {"root_mmio_reads_ioapic_version", test_mmio_reads_a_device, false},
    {"root_mmio_refuses_ram", test_mmio_refuses_ram, false},
    {"root_mmio_refuses_misaligned", test_mmio_refuses_misaligned, false},
    {"root_dma_memory_has_an_address", test_dma_address, false},
    {"root_plain_memory_hides_its_address", test_plain_memory_hides_its_address, false},
    {"root_irq_claimed_once", test_irq_claimed_once, false},
    {"root_irq_free_after_release", test_irq_free_after_release, false},
    {"root_irq_cascade_refused", test_irq_cascade_refused, false},
    {NULL, NULL, false},
};

static const struct test *const lists[] = {tests, roottest_ioport_tests};

static const struct test_suite suite = {
    .name = "roottest",
    .lists = lists,
    .list_count = 2,
    .leaks = SNAPSHOT_NO_MORE,
    .leak_timeout_ns = SECOND_NS,
};

/* Connects to init's server at the address in argv[1]. */
static enum wg_error connect_to_init(int argc, char **argv)
{
    struct wg_result connection = wg_ipc_connect(WG_SELF, argc > 1 ? helper_parse_hex(argv[1]) : 0);
    if (!wg_ok(connection))
        return connection.err;
    root = connection.value;
    return wg_ipc_wait_accept(WG_SELF, root, 5 * SECOND_NS).err;
}

int main(int argc, char **argv)
{
    enum wg_error err = connect_to_init(argc, argv);
    if (err != WG_ERR_OK) {
        printf("roottest: cannot reach init: %s\n", wg_error_name(err));
        return 1;
    }
    int failed = suite_main(&suite, argc, argv);
    wg_asset_release(WG_SELF, root);
    return failed;
}
