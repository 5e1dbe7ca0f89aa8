/* Virtual memory: VMEM_MAP, its checks, and what a mapping really gives (rights, aliasing,
 * unmapping on release, which address space it lands in), up to filling an address space. */
#include "systest.h"

#define AT(n) (SCRATCH_ADDRESS + (uint64_t)(n)*0x100000)

static const uint8_t return_42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* mov $42,%eax; ret */

static int64_t read_word(uint64_t address)
{
    return (int64_t)(*(volatile uint64_t *)address & 0x7fffffff);
}

static int64_t write_word(uint64_t address)
{
    *(volatile uint64_t *)address = 1;
    return 0;
}

static int64_t call_code(uint64_t address)
{
    return ((int (*)(void))address)();
}

static void test_vmem_map(void)
{
    struct mapping m;
    if (!mapping_create(&m, 2, AT(0), WG_MAP_READ | WG_MAP_WRITE))
        return;
    m.words[0] = 0x1122334455667788ull;
    m.words[1023] = 42;
    CHECK(m.words[0] == 0x1122334455667788ull && m.words[1023] == 42, "memory did not keep data");
    struct wg_asset_info info;
    if (CHECK_OK(wg_asset_info(WG_SELF, m.vmem, &info)))
        CHECK(info.kind == WG_ASSET_VIRT_MEMORY && info.size == 2 * 4096 &&
                  info.flags == (WG_MAP_READ | WG_MAP_WRITE) && info.address == AT(0),
              "vmem info: kind %u size %llu flags %u address %#llx", info.kind,
              (unsigned long long)info.size, info.flags, (unsigned long long)info.address);
    /* A pmem released while mapped lives on in its mapping. */
    CHECK_OK(wg_asset_release(WG_SELF, m.pmem));
    m.pmem = 0;
    CHECK(m.words[0] == 0x1122334455667788ull, "memory lost when its pmem handle went");
    mapping_release(&m);
}

static void test_vmem_map_bad_arguments(void)
{
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 2, 0, WG_PMEM_ANY_NODE));
    const unsigned rw = WG_MAP_READ | WG_MAP_WRITE;
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_vmem_map(WG_SELF, pmem, AT(0), 8));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_vmem_map(WG_SELF, pmem, AT(0), 0x80000000u | 1));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_syscall6(WG_SYS_VMEM_MAP, WG_SELF, pmem, AT(0), 1ull << 40 | 1, 0, 0));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED,
                  wg_vmem_map(WG_SELF, pmem, AT(0), WG_MAP_WRITE | WG_MAP_EXEC));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_vmem_map(WG_SELF, pmem, AT(0), rw | WG_MAP_EXEC));
    CHECK_REFUSED(WG_ERR_MISALIGNED, wg_vmem_map(WG_SELF, pmem, AT(0) + 1, rw));
    CHECK_REFUSED(WG_ERR_MISALIGNED, wg_vmem_map(WG_SELF, pmem, AT(0) + 8, rw));
    CHECK_REFUSED(WG_ERR_MISALIGNED, wg_vmem_map(WG_SELF, pmem, AT(0) + 2048, WG_MAP_READ));
    CHECK_REFUSED(WG_ERR_MISALIGNED, wg_vmem_map(WG_SELF, pmem, KERNEL_POINTER + 16, rw));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_vmem_map(WG_SELF, pmem, 0, rw));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_vmem_map(WG_SELF, pmem, UNMAPPED_LOW, rw));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_vmem_map(WG_SELF, pmem, KERNEL_POINTER, rw));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_vmem_map(WG_SELF, pmem, NONCANONICAL, rw));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_vmem_map(WG_SELF, pmem, NONCANONICAL - 4096, rw));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS,
                  wg_vmem_map(WG_SELF, pmem, UINT64_MAX - 4095, rw)); /* wraps */
    /* The highest user pages still work. */
    struct wg_result top = wg_vmem_map(WG_SELF, pmem, NONCANONICAL - 2 * 4096, rw);
    if (CHECK_OK(top)) {
        *(volatile uint64_t *)(NONCANONICAL - 8) = 5;
        CHECK_OK(wg_asset_release(WG_SELF, top.value));
    }
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
}

static void test_vmem_map_overlaps(void)
{
    struct mapping m;
    if (!mapping_create(&m, 1, AT(1), WG_MAP_READ | WG_MAP_WRITE))
        return;
    wg_handle two = VALUE(wg_pmem_create(WG_SELF, 2, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_ALREADY_EXISTS, wg_vmem_map(WG_SELF, m.pmem, AT(1), WG_MAP_READ));
    CHECK_REFUSED(WG_ERR_ALREADY_EXISTS, wg_vmem_map(WG_SELF, two, AT(1), WG_MAP_READ));
    CHECK_REFUSED(WG_ERR_ALREADY_EXISTS, wg_vmem_map(WG_SELF, two, AT(1) - 4096, WG_MAP_READ));
    CHECK_REFUSED(WG_ERR_ALREADY_EXISTS,
                  wg_vmem_map(WG_SELF, two, 0x400000, WG_MAP_READ)); /* code */
    /* All or nothing: the free page before AT(1) was not taken by the failed map. */
    struct wg_result before = wg_vmem_map(WG_SELF, m.pmem, AT(1) - 4096, WG_MAP_READ);
    if (CHECK_OK(before))
        CHECK_OK(wg_asset_release(WG_SELF, before.value));
    CHECK_OK(wg_asset_release(WG_SELF, two));
    mapping_release(&m);
}

/* One pmem mapped twice: a write through one mapping shows through the other; the exec
 * mapping runs what the writable one wrote; the read-only one refuses writes. */
static void test_vmem_aliases_and_rights(void)
{
    struct mapping m;
    if (!mapping_create(&m, 1, AT(2), WG_MAP_READ | WG_MAP_WRITE))
        return;
    wg_handle ro = VALUE(wg_vmem_map(WG_SELF, m.pmem, AT(3), WG_MAP_READ));
    wg_handle rx = VALUE(wg_vmem_map(WG_SELF, m.pmem, AT(4), WG_MAP_READ | WG_MAP_EXEC));
    if (!test_failed()) {
        memcpy((void *)AT(2), return_42, sizeof return_42);
        m.words[100] = 0xabcdef;
        CHECK(*(volatile uint64_t *)(AT(3) + 800) == 0xabcdef, "the alias does not see a write");
        CHECK(thread_run(call_code, AT(4)) == 42, "code in an exec mapping did not run");
        CHECK(WG_EXIT_IS_FAULT(thread_run(write_word, AT(3))),
              "a write to a read-only mapping did not fault");
        CHECK(WG_EXIT_IS_FAULT(thread_run(call_code, AT(2))), "code in a non-exec mapping ran");
        /* The kernel does not write to read-only user memory either. */
        CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)AT(3)));
        CHECK_REFUSED(WG_ERR_BAD_ADDRESS,
                      wg_asset_info(WG_SELF, ro, (struct wg_asset_info *)AT(4)));
        CHECK(memcmp((const void *)AT(2), return_42, sizeof return_42) == 0 &&
                  m.words[100] == 0xabcdef,
              "read-only memory was written by the kernel");
    }
    if (ro)
        CHECK_OK(wg_asset_release(WG_SELF, ro));
    if (rx)
        CHECK_OK(wg_asset_release(WG_SELF, rx));
    mapping_release(&m);
}

/* Releasing a vmem unmaps it: an access then faults; the memory itself lives on in the pmem. */
static void test_vmem_release_unmaps(void)
{
    struct mapping m;
    if (!mapping_create(&m, 1, AT(5), WG_MAP_READ | WG_MAP_WRITE))
        return;
    m.words[7] = 77;
    CHECK_OK(wg_asset_release(WG_SELF, m.vmem));
    m.vmem = 0;
    CHECK(WG_EXIT_IS_FAULT(thread_run(read_word, AT(5) + 56)),
          "memory still readable after its vmem was released");
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)AT(5), 8));
    wg_handle again = VALUE(wg_vmem_map(WG_SELF, m.pmem, AT(6), WG_MAP_READ));
    CHECK(*(volatile uint64_t *)(AT(6) + 56) == 77, "the pmem lost its data");
    if (again)
        CHECK_OK(wg_asset_release(WG_SELF, again));
    mapping_release(&m);
}

/* A vmem copied into a child still describes the mapping in our address space: it keeps
 * it alive after our handle goes, and takes it away when the child goes. */
static void test_vmem_copy_keeps_mapping(void)
{
    struct mapping m;
    struct helper child;
    if (!mapping_create(&m, 1, AT(9), WG_MAP_READ | WG_MAP_WRITE))
        return;
    if (!helper_create(&child)) {
        mapping_release(&m);
        return;
    }
    m.words[3] = 333;
    wg_handle theirs = helper_give(&child, m.vmem);
    struct wg_asset_info info;
    if (theirs && CHECK_OK(wg_asset_info(child.space, theirs, &info)))
        CHECK(info.kind == WG_ASSET_VIRT_MEMORY && info.address == AT(9),
              "the copied vmem says kind %u, address %#llx", info.kind,
              (unsigned long long)info.address);
    CHECK_OK(wg_asset_release(WG_SELF, m.vmem));
    m.vmem = 0;
    CHECK(thread_run(read_word, AT(9) + 24) == 333, "the mapping went with our handle");
    helper_end(&child);
    CHECK(WG_EXIT_IS_FAULT(thread_run(read_word, AT(9) + 24)),
          "the mapping outlived the last vmem handle");
    mapping_release(&m);
}

/* A child space sharing our address space maps into it; destroying the child unmaps. */
static void test_vmem_in_shared_child(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    wg_handle pmem = VALUE(wg_pmem_create(child, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle vmem = VALUE(wg_vmem_map(child, pmem, AT(7), WG_MAP_READ | WG_MAP_WRITE));
    if (!test_failed()) {
        *(volatile uint64_t *)AT(7) = 99;
        struct wg_asset_info infos[4];
        struct wg_result listed = wg_asset_list(child, infos, 4);
        CHECK(listed.err == WG_ERR_OK && listed.value == 2, "the child lists %llu assets",
              (unsigned long long)listed.value);
        (void)vmem;
    }
    if (child)
        CHECK_OK(wg_space_destroy(WG_SELF, child));
    CHECK(WG_EXIT_IS_FAULT(thread_run(read_word, AT(7))),
          "a destroyed child's mapping is still in our address space");
}

/* Mappings in a child with its own address space are not in ours. */
static void test_vmem_in_own_child(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle pmem = VALUE(wg_pmem_create(child, 1, 0, WG_PMEM_ANY_NODE));
    if (!test_failed()) {
        CHECK_OK(wg_vmem_map(child, pmem, AT(8), WG_MAP_READ | WG_MAP_WRITE));
        CHECK(WG_EXIT_IS_FAULT(thread_run(read_word, AT(8))),
              "a child's own mapping appeared in our address space");
        /* The same address is still free here. */
        struct mapping m;
        if (mapping_create(&m, 1, AT(8), WG_MAP_READ))
            mapping_release(&m);
    }
    if (child)
        CHECK_OK(wg_space_destroy(WG_SELF, child));
}

/* Maps one page at 1 GiB steps in a child until the kernel says NO_MEMORY (the handle
 * table fills, or page tables use up memory on a small machine); destroying the child gives
 * every page back. */
static void map_until_full(void)
{
    struct snapshot start = snapshot_take();
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle pmem = child ? VALUE(wg_pmem_create(child, 1, 0, WG_PMEM_ANY_NODE)) : 0;
    struct wg_result r = {WG_ERR_OK, 0};
    uint64_t maps = 0;
    for (; pmem && r.err == WG_ERR_OK && maps < 10000; maps++)
        r = wg_vmem_map(child, pmem, (maps + 1) << 30, WG_MAP_READ | WG_MAP_WRITE);
    CHECK(r.err == WG_ERR_NO_MEMORY, "mapping ended after %llu maps with %s, not NO_MEMORY",
          (unsigned long long)maps, wg_error_name(r.err));
    if (child)
        CHECK_OK(wg_space_destroy(WG_SELF, child));
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE_PAGES, "after filling a child's address space");
}

static void test_page_table_exhaustion(void)
{
    map_until_full();
    if (!test_failed())
        map_until_full();
}

const struct test vmem_tests[] = {
    {"vmem_map", test_vmem_map, false},
    {"vmem_map_bad_arguments", test_vmem_map_bad_arguments, false},
    {"vmem_map_overlaps", test_vmem_map_overlaps, false},
    {"vmem_aliases_and_rights", test_vmem_aliases_and_rights, false},
    {"vmem_release_unmaps", test_vmem_release_unmaps, false},
    {"vmem_copy_keeps_mapping", test_vmem_copy_keeps_mapping, false},
    {"vmem_in_shared_child", test_vmem_in_shared_child, false},
    {"vmem_in_own_child", test_vmem_in_own_child, false},
    {"page_table_exhaustion", test_page_table_exhaustion, false},
    {NULL, NULL, false},
};
