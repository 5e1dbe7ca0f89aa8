/* Handle values and the handle table's limits: the layout the ABI gives, one slot reused
 * many times, and a table filled to its 4096 handles. */
#include "kit.h"

static void test_handle_layout(void)
{
    struct kit kit;
    if (kit_create(&kit)) {
        const wg_handle all[] = {kit.space, kit.pmem, kit.vmem, kit.thread.task};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
            CHECK(all[i] != 0 && (all[i] >> 56) == 0 && ((all[i] >> 24) & 0xffffffff) != 0,
                  "handle %#llx breaks the layout", (unsigned long long)all[i]);
            for (size_t j = 0; j < i; j++)
                CHECK(all[i] != all[j], "two assets share handle %#llx",
                      (unsigned long long)all[i]);
        }
    }
    kit_destroy(&kit);
}

/* One slot used over and over: each handle it ever had stays stale, none repeats. */
static void test_slot_reuse(void)
{
    enum { ROUNDS = 300 };
    static wg_handle seen[ROUNDS];
    struct wg_asset_info info;
    for (int i = 0; i < ROUNDS && !test_failed(); i++) {
        seen[i] = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
        CHECK((seen[i] & 0xffffff) == (seen[0] & 0xffffff), "round %d took another slot", i);
        CHECK(i == 0 || seen[i] != seen[i - 1], "round %d reissued a handle", i);
        CHECK_OK(wg_asset_release(WG_SELF, seen[i]));
        CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_info(WG_SELF, seen[i], &info));
        if (i > 0)
            CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_info(WG_SELF, seen[i / 2], &info));
    }
}

/* A space holds at most 4096 handles: the next insert is NO_MEMORY, and the full table
 * still lists, looks up and tears down. */
static void test_handle_limit(void)
{
    enum { LIMIT = 4096 };
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle last = 0;
    int made = 0;
    for (; child && pmem && made < LIMIT; made++) {
        struct wg_result copy = wg_asset_copy(WG_SELF, pmem, child);
        if (!CHECK_OK(copy))
            break;
        last = copy.value;
    }
    CHECK(made == LIMIT, "only %d handles fit", made);
    CHECK_REFUSED(WG_ERR_NO_MEMORY, wg_asset_copy(WG_SELF, pmem, child));
    CHECK_REFUSED(WG_ERR_NO_MEMORY, wg_pmem_create(child, 1, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_NO_MEMORY, wg_space_create(child, 0));
    struct wg_asset_info *infos = malloc(LIMIT * sizeof *infos);
    if (infos) {
        struct wg_result listed = wg_asset_list(child, infos, LIMIT);
        CHECK(listed.err == WG_ERR_OK && listed.value == LIMIT, "a full table lists %llu",
              (unsigned long long)listed.value);
        CHECK(listed.value < 1 || infos[listed.value - 1].handle == last,
              "the last listed handle is not the last made");
        free(infos);
    }
    /* One release makes room for one more. */
    CHECK_OK(wg_asset_release(child, last));
    CHECK_OK(wg_asset_copy(WG_SELF, pmem, child));
    if (child)
        CHECK_OK(wg_space_destroy(WG_SELF, child));
    if (pmem)
        CHECK_OK(wg_asset_release(WG_SELF, pmem));
}

const struct test handle_limit_tests[] = {
    {"handle_layout", test_handle_layout, false},
    {"slot_reuse", test_slot_reuse, false},
    {"handle_limit", test_handle_limit, false},
    {NULL, NULL, false},
};
