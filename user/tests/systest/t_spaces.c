/* Spaces and generic asset syscalls: SPACE_CREATE, SPACE_DESTROY, ASSET_LIST, ASSET_INFO,
 * ASSET_RELEASE, ASSET_MOVE, ASSET_COPY. */
#include "systest.h"

static const struct wg_asset_info read_only_infos[2] = {{.handle = 0x5a5a}};

static uint64_t count_assets(wg_handle space)
{
    static struct wg_asset_info infos[64];
    return VALUE(wg_asset_list(space, infos, 64));
}

static void test_space_create_destroy(void)
{
    struct wg_asset_info info;
    wg_handle own = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle shared = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    if (CHECK_OK(wg_asset_info(WG_SELF, own, &info)))
        CHECK(info.kind == WG_ASSET_SPACE && info.size == 0, "space info: kind %u", info.kind);
    CHECK(own != shared, "two spaces, one handle");
    CHECK(count_assets(own) == 0 && count_assets(shared) == 0, "a new space holds assets");
    CHECK_OK(wg_space_destroy(WG_SELF, own));
    CHECK_OK(wg_space_destroy(WG_SELF, shared));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_space_destroy(WG_SELF, own));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_info(WG_SELF, shared, &info));
}

static void test_space_bad_arguments(void)
{
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_space_create(WG_SELF, 16));
    /* Introspection is only given by a space that has it: init's child, not ours. */
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_space_create(WG_SELF, WG_SPACE_INTROSPECT));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_space_create(WG_SELF, 0x80000001u));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_syscall6(WG_SYS_SPACE_CREATE, WG_SELF, 1ull << 32, 0, 0, 0, 0));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_syscall6(WG_SYS_SPACE_CREATE, WG_SELF, UINT64_MAX, 0, 0, 0, 0));
    CHECK_REFUSED(WG_ERR_BAD_HANDLE, wg_space_destroy(WG_SELF, 0));
    /* WG_SELF as the child: the handle 0 never names an asset, our own space included. */
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    CHECK_REFUSED(WG_ERR_WRONG_KIND, wg_space_destroy(WG_SELF, pmem));
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
}

/* A grandchild made through the child's handle lives in the child's table and can be
 * reached and destroyed from here. */
static void test_space_nesting(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle grandchild = VALUE(wg_space_create(child, 0)); /* a handle in child's table */
    struct wg_asset_info info;
    if (CHECK_OK(wg_asset_info(child, grandchild, &info)))
        CHECK(info.kind == WG_ASSET_SPACE, "the grandchild's handle is of kind %u", info.kind);
    CHECK(count_assets(child) == 1, "the child does not hold just the grandchild");
    wg_handle mine = VALUE(wg_asset_copy(child, grandchild, WG_SELF));
    wg_handle pmem = VALUE(wg_pmem_create(mine, 2, 0, WG_PMEM_ANY_NODE));
    CHECK(count_assets(mine) == 1, "the grandchild does not hold its pmem");
    CHECK_OK(wg_asset_info(mine, pmem, &info));
    CHECK_OK(wg_space_destroy(child, grandchild));
    CHECK(count_assets(child) == 0, "the destroyed grandchild's handle is still listed");
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_list(mine, NULL, 0));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_space_destroy(WG_SELF, mine));
    CHECK_OK(wg_asset_release(WG_SELF, mine));
    CHECK_OK(wg_space_destroy(WG_SELF, child));
}

static void test_asset_list(void)
{
    struct wg_asset_info *infos = malloc(4096 * sizeof *infos);
    if (!CHECK(infos != NULL, "malloc failed"))
        return;
    struct wg_result all = wg_asset_list(WG_SELF, infos, 4096);
    CHECK_OK(all);
    CHECK(all.value >= 5 && all.value < 4096, "we hold %llu assets", (unsigned long long)all.value);
    for (uint64_t i = 0; i < all.value && i < 4096; i++) {
        struct wg_asset_info one;
        if (CHECK_OK(wg_asset_info(WG_SELF, infos[i].handle, &one)))
            CHECK(memcmp(&one, &infos[i], sizeof one) == 0,
                  "ASSET_LIST and ASSET_INFO disagree on handle %#llx",
                  (unsigned long long)infos[i].handle);
    }
    for (uint64_t i = 1; i < all.value && i < 4096; i++)
        CHECK((infos[i].handle & 0xffffff) > (infos[i - 1].handle & 0xffffff),
              "ASSET_LIST is not in slot order at entry %llu", (unsigned long long)i);
    memset(infos, 0x77, 4 * sizeof *infos);
    struct wg_result two = wg_asset_list(WG_SELF, infos, 2);
    CHECK(two.err == WG_ERR_OK && two.value == 2, "ASSET_LIST with max 2 gave %llu",
          (unsigned long long)two.value);
    CHECK(infos[2].handle == 0x7777777777777777ull, "ASSET_LIST wrote past max");
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_asset_list(WG_SELF, infos, 4097));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_asset_list(WG_SELF, infos, 1ull << 40));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_asset_list(WG_SELF, infos, UINT64_MAX));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_list(WG_SELF, (void *)KERNEL_POINTER, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_list(WG_SELF, (void *)UNMAPPED_LOW, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_list(WG_SELF, (void *)UNMAPPED_HIGH, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_list(WG_SELF, (void *)NONCANONICAL, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_list(WG_SELF, (void *)(NONCANONICAL - 32), 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_list(WG_SELF, (void *)read_only_infos, 2));
    CHECK(*(volatile uint64_t *)&read_only_infos[0].handle == 0x5a5a,
          "ASSET_LIST wrote into read-only data");
    free(infos);
}

static void test_asset_info(void)
{
    struct wg_asset_info info;
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle self = VALUE(wg_task_self());
    if (CHECK_OK(wg_asset_info(WG_SELF, self, &info)))
        CHECK(info.kind == WG_ASSET_TASK && info.handle == self, "task info: kind %u", info.kind);
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)KERNEL_POINTER));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)UNMAPPED_LOW));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)UNMAPPED_HIGH));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)NONCANONICAL));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)(NONCANONICAL - 8)));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)read_only_infos));
    CHECK(*(volatile uint64_t *)&read_only_infos[0].handle == 0x5a5a,
          "ASSET_INFO wrote into read-only data");
    /* An out buffer running off the end of a mapped page. */
    struct mapping m;
    if (mapping_create(&m, 1, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE)) {
        uintptr_t end = SCRATCH_ADDRESS + 4096;
        CHECK_OK(wg_asset_info(WG_SELF, pmem, (void *)(end - sizeof info)));
        CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_asset_info(WG_SELF, pmem, (void *)(end - 8)));
        mapping_release(&m);
    }
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
    CHECK_OK(wg_asset_release(WG_SELF, self));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_release(WG_SELF, pmem));
}

static void test_asset_copy(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle twin = VALUE(wg_asset_copy(WG_SELF, pmem, WG_SELF));
    wg_handle theirs = VALUE(wg_asset_copy(WG_SELF, pmem, child));
    CHECK(twin != pmem, "a copy in the same space got the same handle");
    struct wg_asset_info info;
    if (CHECK_OK(wg_asset_info(child, theirs, &info)))
        CHECK(info.kind == WG_ASSET_PHYS_MEMORY && info.size == 4096, "the copy is not the pmem");
    /* Each handle keeps the asset alive on its own. */
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
    CHECK_OK(wg_asset_info(WG_SELF, twin, &info));
    CHECK_OK(wg_vmem_map(child, theirs, SCRATCH_ADDRESS, WG_MAP_READ));
    CHECK_OK(wg_asset_release(WG_SELF, twin));
    CHECK_OK(wg_asset_info(child, theirs, &info));
    /* Copying into a child and back. */
    wg_handle back = VALUE(wg_asset_copy(child, theirs, WG_SELF));
    CHECK_OK(wg_asset_info(WG_SELF, back, &info));
    CHECK_OK(wg_space_destroy(WG_SELF, child));
    CHECK_OK(wg_asset_info(WG_SELF, back, &info)); /* survives the child */
    CHECK_OK(wg_asset_release(WG_SELF, back));
}

static void test_asset_move(void)
{
    wg_handle a = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle b = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    struct wg_asset_info info;
    wg_handle in_a = VALUE(wg_asset_move(WG_SELF, pmem, a));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_info(WG_SELF, pmem, &info));
    CHECK_OK(wg_asset_info(a, in_a, &info));
    wg_handle in_b = VALUE(wg_asset_move(a, in_a, b)); /* between two children */
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_info(a, in_a, &info));
    CHECK(count_assets(a) == 0 && count_assets(b) == 1, "the move left the lists wrong");
    wg_handle home = VALUE(wg_asset_move(b, in_b, WG_SELF));
    wg_handle again = VALUE(wg_asset_move(WG_SELF, home, WG_SELF)); /* onto itself */
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_info(WG_SELF, home, &info));
    if (CHECK_OK(wg_asset_info(WG_SELF, again, &info)))
        CHECK(info.kind == WG_ASSET_PHYS_MEMORY, "the moved asset changed kind");
    CHECK_OK(wg_asset_release(WG_SELF, again));
    /* A space handle moved into a sibling: the sibling holds it, we may still reach the
     * space through the sibling (it is below us). */
    wg_handle a_in_b = VALUE(wg_asset_move(WG_SELF, a, b));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_space_destroy(WG_SELF, a));
    CHECK_OK(wg_space_destroy(b, a_in_b));
    CHECK_OK(wg_space_destroy(WG_SELF, b));
}

const struct test space_tests[] = {
    {"space_create_destroy", test_space_create_destroy, false},
    {"space_bad_arguments", test_space_bad_arguments, false},
    {"space_nesting", test_space_nesting, false},
    {"asset_list", test_asset_list, false},
    {"asset_info", test_asset_info, false},
    {"asset_copy", test_asset_copy, false},
    {"asset_move", test_asset_move, false},
    {NULL, NULL, false},
};
