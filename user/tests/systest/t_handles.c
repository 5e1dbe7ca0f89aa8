/* Handles: every syscall that takes a space or an asset handle, given handles that never
 * were valid (BAD_HANDLE), that were released (STALE_HANDLE, also once the slot holds a new
 * asset, which must stay untouched) and that name the wrong kind of asset (WRONG_KIND). */
#include "kit.h"

static void test_bad_space_handles(void)
{
    struct kit kit;
    if (!kit_create(&kit)) {
        kit_destroy(&kit);
        return;
    }
    const wg_handle bad[] = {
        RESERVED_BITS_HANDLE | (kit.pmem & 0xffffffffffffull), /* a live handle + reserved bit */
        0x123456789abcdef0ull,
        UINT64_MAX,
        (1ull << 24) | 0xfffff,  /* slot far beyond the table */
        1,                       /* slot 1, generation 0 */
        kit.pmem + (1ull << 24), /* a live slot, a generation it never had */
    };
    for (int c = 0; c < KIT_COUNT; c++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            kit_expect((enum kit_call)c, bad[i], kit_handle(&kit, (enum kit_call)c),
                       WG_ERR_BAD_HANDLE, "a bad space handle");
    kit_destroy(&kit);
}

static void test_bad_asset_handles(void)
{
    struct kit kit;
    if (!kit_create(&kit)) {
        kit_destroy(&kit);
        return;
    }
    for (int c = 0; c < KIT_COUNT; c++) {
        if (kit_calls[c].kind < 0)
            continue;
        wg_handle good = kit_handle(&kit, (enum kit_call)c);
        const wg_handle bad[] = {
            0,
            RESERVED_BITS_HANDLE | good,
            (wg_handle)1 << 56 | good,
            0x123456789abcdef0ull,
            UINT64_MAX,
            (1ull << 24) | 0xfffff,
            good & 0xffffff,     /* generation 0 */
            good + (1ull << 24), /* a generation the slot never had */
            good + (1000ull << 24),
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            kit_expect((enum kit_call)c, WG_SELF, bad[i], WG_ERR_BAD_HANDLE, "a bad asset handle");
    }
    kit_destroy(&kit);
}

/* An asset of `kind` in our space (a space, a pmem, or a sleeping thread). */
static wg_handle make_asset(int kind, struct thread *thread)
{
    if (kind == WG_ASSET_SPACE)
        return VALUE(wg_space_create(WG_SELF, 0));
    if (kind == WG_ASSET_TASK)
        return thread_start(thread, thread_sleep_until_killed, 0, 0) ? thread->task : 0;
    return VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
}

static void drop_asset(int kind, wg_handle handle, struct thread *thread)
{
    if (kind == WG_ASSET_SPACE) {
        CHECK_OK(wg_space_destroy(WG_SELF, handle));
    } else if (kind == WG_ASSET_TASK) {
        CHECK_OK(wg_task_kill(WG_SELF, thread->task));
        CHECK(thread_join(thread, 2 * SECOND_NS) == WG_EXIT_KILLED, "a killed sleeper");
    } else {
        CHECK_OK(wg_asset_release(WG_SELF, handle));
    }
}

/* Released handles are stale; once the slot is reused they still are, and the call leaves
 * the slot's new asset alone. */
static void test_stale_asset_handles(void)
{
    struct kit kit;
    if (!kit_create(&kit)) {
        kit_destroy(&kit);
        return;
    }
    for (int c = 0; c < KIT_COUNT && !test_failed(); c++) {
        int kind = kit_calls[c].kind;
        if (kind < 0)
            continue;
        struct thread old_thread = {0}, new_thread = {0};
        wg_handle old = make_asset(kind, &old_thread);
        drop_asset(kind, old, &old_thread);
        kit_expect((enum kit_call)c, WG_SELF, old, WG_ERR_STALE_HANDLE, "a released handle");
        wg_handle fresh = make_asset(kind, &new_thread);
        CHECK((fresh & 0xffffff) == (old & 0xffffff), "%s: the slot was not reused",
              kit_calls[c].name);
        kit_expect((enum kit_call)c, WG_SELF, old, WG_ERR_STALE_HANDLE,
                   "a handle to a reused slot");
        struct wg_asset_info info;
        if (CHECK_OK(wg_asset_info(WG_SELF, fresh, &info)))
            CHECK(info.kind == (uint32_t)(kind == WG_ASSET_NONE ? WG_ASSET_PHYS_MEMORY : kind),
                  "%s: the new asset changed kind", kit_calls[c].name);
        if (kind == WG_ASSET_TASK)
            CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, fresh, 0));
        if (kind == WG_ASSET_SPACE)
            CHECK(wg_asset_list(fresh, NULL, 0).err == WG_ERR_OK, "the new space is unusable");
        drop_asset(kind, fresh, &new_thread);
    }
    kit_destroy(&kit);
}

static void test_stale_space_handles(void)
{
    struct kit kit;
    if (!kit_create(&kit)) {
        kit_destroy(&kit);
        return;
    }
    wg_handle old = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle copy = VALUE(wg_asset_copy(WG_SELF, old, WG_SELF));
    CHECK_OK(wg_space_destroy(WG_SELF, old));
    for (int c = 0; c < KIT_COUNT; c++) {
        kit_expect((enum kit_call)c, old, kit_handle(&kit, (enum kit_call)c), WG_ERR_STALE_HANDLE,
                   "a destroyed space's released handle");
        /* The second handle is live but names a dead space. */
        kit_expect((enum kit_call)c, copy, kit_handle(&kit, (enum kit_call)c), WG_ERR_STALE_HANDLE,
                   "a live handle to a destroyed space");
    }
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_space_destroy(WG_SELF, copy));
    CHECK_OK(wg_asset_release(WG_SELF, copy));
    /* The slot freed last is reused first: the new space takes the copy's slot. */
    wg_handle fresh = VALUE(wg_space_create(WG_SELF, 0));
    CHECK((fresh & 0xffffff) == (copy & 0xffffff), "the slot was not reused");
    for (int c = 0; c < KIT_COUNT; c++) {
        kit_expect((enum kit_call)c, copy, kit_handle(&kit, (enum kit_call)c), WG_ERR_STALE_HANDLE,
                   "a handle to a reused slot");
        kit_expect((enum kit_call)c, old, kit_handle(&kit, (enum kit_call)c), WG_ERR_STALE_HANDLE,
                   "an older released handle");
    }
    struct wg_asset_info infos[4];
    struct wg_result listed = wg_asset_list(fresh, infos, 4);
    CHECK(listed.err == WG_ERR_OK && listed.value == 0,
          "the new space got %llu assets through a stale handle", (unsigned long long)listed.value);
    CHECK_OK(wg_space_destroy(WG_SELF, fresh));
    kit_destroy(&kit);
}

static void test_wrong_kinds(void)
{
    struct kit kit;
    if (!kit_create(&kit)) {
        kit_destroy(&kit);
        return;
    }
    const struct {
        int kind;
        wg_handle handle;
    } all[] = {
        {WG_ASSET_SPACE, kit.space},
        {WG_ASSET_PHYS_MEMORY, kit.pmem},
        {WG_ASSET_VIRT_MEMORY, kit.vmem},
        {WG_ASSET_TASK, kit.thread.task},
    };
    for (int c = 0; c < KIT_COUNT; c++) {
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
            if (all[i].kind != WG_ASSET_SPACE)
                kit_expect((enum kit_call)c, all[i].handle, kit_handle(&kit, (enum kit_call)c),
                           WG_ERR_WRONG_KIND, "a non-space handle as the space");
            if (kit_calls[c].kind > 0 && kit_calls[c].kind != all[i].kind)
                kit_expect((enum kit_call)c, WG_SELF, all[i].handle, WG_ERR_WRONG_KIND,
                           "an asset of the wrong kind");
        }
    }
    kit_destroy(&kit);
}

/* Random 64-bit values, and random values with clear reserved bits naming one of our first
 * slots with a generation far ahead of it, are never valid handles. */
static void test_random_handles(void)
{
    struct kit kit;
    if (!kit_create(&kit)) {
        kit_destroy(&kit);
        return;
    }
    uint64_t state = 0x853c49e6748fea9bull;
    for (int i = 0; i < 200 && !test_failed(); i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        wg_handle any = state ^ (state >> 29);
        wg_handle near = ((any & 0xffffffff) | (1ull << 20)) << 24 | (any >> 58);
        for (int c = 0; c < KIT_COUNT; c++) {
            if (kit_calls[c].kind < 0)
                continue;
            kit_expect((enum kit_call)c, WG_SELF, any, WG_ERR_BAD_HANDLE, "a random handle");
            kit_expect((enum kit_call)c, WG_SELF, near, WG_ERR_BAD_HANDLE, "a random near handle");
            kit_expect((enum kit_call)c, any, kit_handle(&kit, (enum kit_call)c), WG_ERR_BAD_HANDLE,
                       "a random space handle");
        }
    }
    kit_destroy(&kit);
}

const struct test handle_tests[] = {
    {"bad_space_handles", test_bad_space_handles, false},
    {"bad_asset_handles", test_bad_asset_handles, false},
    {"random_handles", test_random_handles, false},
    {"stale_asset_handles", test_stale_asset_handles, false},
    {"stale_space_handles", test_stale_space_handles, false},
    {"wrong_kind_handles", test_wrong_kinds, false},
    {NULL, NULL, false},
};
