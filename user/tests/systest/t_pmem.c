/* Physical memory: PMEM_CREATE and PMEM_PHYS_ADDR, their checks, zeroed pages, and running
 * out of memory. */
#include "systest.h"

static void test_pmem_create(void)
{
    struct wg_asset_info info;
    wg_handle plain = VALUE(wg_pmem_create(WG_SELF, 3, 0, WG_PMEM_ANY_NODE));
    wg_handle contiguous = VALUE(wg_pmem_create(WG_SELF, 4, WG_PMEM_CONTIGUOUS, 0));
    if (CHECK_OK(wg_asset_info(WG_SELF, plain, &info)))
        CHECK(info.kind == WG_ASSET_PHYS_MEMORY && info.size == 3 * 4096 && info.flags == 0 &&
                  info.handle == plain,
              "pmem info: kind %u size %llu flags %u", info.kind, (unsigned long long)info.size,
              info.flags);
    if (CHECK_OK(wg_asset_info(WG_SELF, contiguous, &info)))
        CHECK(info.kind == WG_ASSET_PHYS_MEMORY && info.size == 4 * 4096 &&
                  info.flags == WG_PMEM_CONTIGUOUS,
              "contiguous pmem info: size %llu flags %u", (unsigned long long)info.size,
              info.flags);
    /* Only DMA memory shows its physical address, and only the root space makes it. */
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_pmem_phys_addr(WG_SELF, contiguous));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_pmem_phys_addr(WG_SELF, plain));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_pmem_create(WG_SELF, 1, WG_PMEM_DMA, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED,
                  wg_pmem_create(WG_SELF, 1, WG_PMEM_DMA | WG_PMEM_CONTIGUOUS, WG_PMEM_ANY_NODE));
    CHECK_OK(wg_asset_release(WG_SELF, plain));
    CHECK_OK(wg_asset_release(WG_SELF, contiguous));
}

static void test_pmem_bad_arguments(void)
{
    struct wg_system_info info;
    wg_system_info(&info);
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_pmem_create(WG_SELF, 1, 0x80000000u, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_pmem_create(WG_SELF, 1, 0x80000001u, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_syscall6(WG_SYS_PMEM_CREATE, WG_SELF, 1, 1ull << 32, WG_PMEM_ANY_NODE, 0, 0));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_pmem_create(WG_SELF, 0, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE,
                  wg_pmem_create(WG_SELF, WG_PMEM_MAX_PAGES + 1, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_pmem_create(WG_SELF, 1ull << 40, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_pmem_create(WG_SELF, UINT64_MAX, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_pmem_create(WG_SELF, 1, 0, info.nodes));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_pmem_create(WG_SELF, 1, 0, 1ull << 40));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_pmem_create(WG_SELF, 1, 0, UINT64_MAX - 1));
    for (uint64_t node = 0; node < info.nodes; node++) {
        struct wg_result pmem = wg_pmem_create(WG_SELF, 1, 0, node);
        if (CHECK_OK(pmem))
            CHECK_OK(wg_asset_release(WG_SELF, pmem.value));
    }
}

/* New physical memory is zero, even when its frames were just written by someone else. */
static void test_pmem_zeroed(void)
{
    for (int round = 0; round < 2; round++) {
        struct mapping m;
        if (!mapping_create(&m, 8, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE))
            return;
        for (uint64_t i = 0; i < 8 * 512; i++) {
            if (m.words[i] != 0) {
                FAIL("round %d: word %llu of new memory is %#llx", round, (unsigned long long)i,
                     (unsigned long long)m.words[i]);
                break;
            }
        }
        for (uint64_t i = 0; i < 8 * 512; i++)
            m.words[i] = 0xfeedfacecafebeefull;
        mapping_release(&m);
    }
}

/* More pages than the machine has: NO_MEMORY, and every page taken on the way comes back. */
static void test_pmem_out_of_memory(void)
{
    struct wg_system_info info;
    wg_system_info(&info);
    if (info.total_pages >= WG_PMEM_MAX_PAGES)
        return; /* PMEM_MAX_PAGES would fit: not testable on this machine */
    struct snapshot start = snapshot_take();
    CHECK_REFUSED(WG_ERR_NO_MEMORY,
                  wg_pmem_create(WG_SELF, WG_PMEM_MAX_PAGES, 0, WG_PMEM_ANY_NODE));
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE_PAGES, "after a failed huge PMEM_CREATE");
    CHECK_REFUSED(WG_ERR_NO_MEMORY,
                  wg_pmem_create(WG_SELF, WG_PMEM_MAX_PAGES, WG_PMEM_CONTIGUOUS, 0));
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE_PAGES, "after a failed huge contiguous PMEM_CREATE");
    /* And the system still works. */
    struct mapping m;
    if (mapping_create(&m, 1, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE))
        mapping_release(&m);
}

const struct test pmem_tests[] = {
    {"pmem_create", test_pmem_create, false},
    {"pmem_bad_arguments", test_pmem_bad_arguments, false},
    {"pmem_zeroed", test_pmem_zeroed, false},
    {"pmem_out_of_memory", test_pmem_out_of_memory, false},
    {NULL, NULL, false},
};
