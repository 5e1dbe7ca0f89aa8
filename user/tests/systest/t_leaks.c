/* Nothing outlives its space: a whole tree of spaces with memory and tasks, a thousand spaces,
 * a deep chain of spaces, a space whose last handle is released, a child whose parent goes
 * first (also at the same time). Each compares the system's free pages, assets and tasks
 * (SYSTEM_INFO) with what they were before. The last four are destructive: the bugs they
 * found crashed the kernel. */
#include "systest.h"

#define TREE_DEPTH 2 /* "probe tree 2": 1 + 2 + 4 programs */

/* Creates a child of `parent` (a space we may reach) and returns our own handle to it. */
static wg_handle child_of(wg_handle parent, uint32_t flags, wg_handle *theirs)
{
    struct wg_result made = wg_space_create(parent, flags);
    *theirs = VALUE(made);
    if (made.err != WG_ERR_OK)
        return 0;
    if (parent == WG_SELF)
        return made.value;
    return VALUE(wg_asset_copy(parent, made.value, WG_SELF));
}

/* Maps `pages` of new memory at `address` in `space` (both handles stay in that space). */
static void give_memory(wg_handle space, uint64_t pages, uint64_t address)
{
    wg_handle pmem = VALUE(wg_pmem_create(space, pages, 0, WG_PMEM_ANY_NODE));
    if (pmem)
        CHECK_OK(wg_vmem_map(space, pmem, address, WG_MAP_READ | WG_MAP_WRITE));
}

/* Starts "probe ARGS..." in `space`; the task handle EXEC gives us is moved into `holder`. */
static void start_probe(wg_handle space, wg_handle holder, int argc, const char *const *argv)
{
    struct helper child = {.space = space};
    if (helper_exec(&child, "probe", argc, argv, 0))
        CHECK_OK(wg_asset_move(WG_SELF, child.task, holder));
}

static bool wait_for_tasks(uint64_t count, uint64_t timeout_ns)
{
    uint64_t deadline = wg_clock().value + timeout_ns;
    while (snapshot_take().tasks < count && wg_clock().value < deadline)
        wg_sleep(10 * MS_NS);
    return snapshot_take().tasks >= count;
}

/* top: a (own address space; with grandchild a1), b (own), s (sharing top's), t (running a
 * tree of probes that spawn their own children). Memory in each, sleeping tasks in a, a1, b
 * and the whole tree. Destroys top and waits for the counts (free pages too if `pages`). */
static void build_and_destroy_tree(bool pages)
{
    struct snapshot start = snapshot_take();
    wg_handle unused;
    wg_handle top = child_of(WG_SELF, 0, &unused);
    wg_handle a_in_top, a1_in_a, b_in_top, s_in_top, t_in_top;
    wg_handle a = child_of(top, 0, &a_in_top);
    wg_handle a1 = child_of(a, 0, &a1_in_a);
    wg_handle b = child_of(top, 0, &b_in_top);
    wg_handle s = child_of(top, WG_SPACE_SHARE_MEMORY, &s_in_top);
    wg_handle t = child_of(top, 0, &t_in_top);
    if (test_failed())
        return;
    give_memory(top, 2, 0x20000000);
    give_memory(a, 3, 0x20000000);
    give_memory(a1, 1, 0x20000000);
    give_memory(b, 5, 0x20000000);
    give_memory(s, 7, 0x30000000); /* lands in top's address space */
    /* A raw task in a, running code we map there. */
    if (code_map(a, CODE_SLEEP_FOREVER))
        CHECK_OK(wg_task_start(a, VALUE(wg_task_create(a, CODE_ADDRESS, 0, 0))));
    const char *sleep_argv[] = {"probe", "sleep"};
    start_probe(a1, a, 2, sleep_argv);
    start_probe(b, top, 2, sleep_argv);
    char depth[4];
    snprintf(depth, sizeof depth, "%d", TREE_DEPTH);
    const char *tree_argv[] = {"probe", "tree", depth};
    start_probe(t, t, 3, tree_argv);
    /* A pmem of ours copied in, which must survive. */
    wg_handle kept = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    CHECK_OK(wg_asset_copy(WG_SELF, kept, a1));
    uint64_t tasks = 3 + (1u << (TREE_DEPTH + 1)) - 1;
    CHECK(wait_for_tasks(start.tasks + tasks, 5 * SECOND_NS), "the tree never had %llu tasks",
          (unsigned long long)tasks);
    const wg_handle ours[] = {a, a1, b, s, t};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
        CHECK_OK(wg_asset_release(WG_SELF, ours[i]));
    CHECK_OK(wg_space_destroy(WG_SELF, top));
    struct wg_asset_info info;
    CHECK_OK(wg_asset_info(WG_SELF, kept, &info));
    CHECK_OK(wg_asset_release(WG_SELF, kept));
    SNAPSHOT_SETTLE(&start, pages ? SNAPSHOT_NO_MORE_PAGES : SNAPSHOT_NO_MORE,
                    "after destroying the tree");
}

static void test_space_tree_destroy(void)
{
    /* The first round may leave kernel caches (heap slabs) grown; the second must come back
     * to exactly where it started. */
    build_and_destroy_tree(false);
    if (!test_failed())
        build_and_destroy_tree(true);
}

static void test_thousand_spaces(void)
{
    enum { COUNT = 1000 };
    static wg_handle spaces[COUNT];
    for (int round = 0; round < 2 && !test_failed(); round++) {
        struct snapshot start = snapshot_take();
        int made = 0;
        for (; made < COUNT; made++) {
            struct wg_result space = wg_space_create(WG_SELF, made % 4 == 3 ? 1 : 0);
            if (!CHECK_OK(space))
                break;
            spaces[made] = space.value;
        }
        for (int i = 0; i < made; i++)
            CHECK_OK(wg_space_destroy(WG_SELF, spaces[i]));
        SNAPSHOT_SETTLE(&start, round > 0 ? SNAPSHOT_NO_MORE_PAGES : SNAPSHOT_NO_MORE,
                        "after a thousand spaces");
    }
}

/* A chain of spaces 1000 deep, each the child of the one before; destroying its top must
 * neither crash the kernel (a recursion per level) nor leave anything. */
static void test_deep_space_chain(void)
{
    enum { DEPTH = 1000 };
    struct snapshot start = snapshot_take();
    wg_handle top = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    wg_handle last = top;
    int depth = 1;
    for (; top && depth < DEPTH; depth++) {
        wg_handle theirs;
        wg_handle next = child_of(last, WG_SPACE_SHARE_MEMORY, &theirs);
        if (!next)
            break;
        if (last != top)
            CHECK_OK(wg_asset_release(WG_SELF, last));
        last = next;
    }
    if (last != top)
        CHECK_OK(wg_asset_release(WG_SELF, last));
    if (top)
        CHECK_OK(wg_space_destroy(WG_SELF, top));
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE, "after a deep chain");
}

/* Releasing the last handle to a space (not destroying it) must neither free it while it is
 * still its parent's child nor leak what it holds: either it dies at once, or it lives on
 * until its parent is destroyed. */
static void test_release_last_space_handle(void)
{
    struct snapshot start = snapshot_take();
    wg_handle parent = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle in_parent;
    wg_handle child = child_of(parent, 0, &in_parent);
    if (!child)
        return;
    give_memory(child, 4, 0x20000000);
    CHECK_OK(wg_asset_release(WG_SELF, child));
    struct snapshot before = snapshot_take();
    CHECK_OK(wg_asset_release(parent, in_parent));
    struct snapshot after = snapshot_take();
    bool died = after.assets == start.assets + 1; /* the parent alone */
    bool lives = after.assets == before.assets;   /* the child, its pmem and vmem */
    if (!CHECK(died || lives,
               "assets went %llu -> %llu: the space was freed but what it held was not "
               "(and its parent still lists it)",
               (unsigned long long)before.assets, (unsigned long long)after.assets))
        return; /* destroying the parent now would walk the freed child */
    CHECK_OK(wg_space_destroy(WG_SELF, parent));
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE, "after the parent went");
}

/* A child outlives its parent when we hold a handle to it: once the parent is destroyed (and
 * freed), naming the child must still be safe (its parent pointer must not dangle). */
static void test_child_outlives_parent(void)
{
    wg_handle parent = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle theirs = VALUE(wg_space_create(parent, 0));
    wg_handle child = VALUE(wg_asset_copy(parent, theirs, WG_SELF));
    if (test_failed())
        return;
    CHECK_OK(wg_space_destroy(WG_SELF, parent));
    struct wg_asset_info info;
    CHECK_OK(wg_asset_info(WG_SELF, child, &info));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_space_destroy(WG_SELF, child));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_space_create(child, 0));
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, wg_asset_list(child, NULL, 0));
    CHECK_OK(wg_asset_release(WG_SELF, child));
}

static volatile wg_handle doomed_child;

static int64_t destroy_doomed(uint64_t arg)
{
    (void)arg;
    enum wg_error err = wg_space_destroy(WG_SELF, doomed_child).err;
    return err == WG_ERR_OK || err == WG_ERR_STALE_HANDLE ? 0 : -(int64_t)err;
}

/* A space and its child destroyed at the same time by two tasks. */
static void test_destroy_parent_and_child_together(void)
{
    for (int round = 0; round < 20 && !test_failed(); round++) {
        struct snapshot start = snapshot_take();
        wg_handle parent = VALUE(wg_space_create(WG_SELF, 0));
        wg_handle theirs = VALUE(wg_space_create(parent, 0));
        wg_handle child = VALUE(wg_asset_copy(parent, theirs, WG_SELF));
        for (int i = 0; i < 4 && child; i++)
            VALUE(wg_space_create(child, i & 1));
        doomed_child = child;
        struct thread other;
        if (test_failed() || !thread_create(&other, destroy_doomed, 0))
            break;
        CHECK_OK(wg_task_start(WG_SELF, other.task));
        if (round % 2)
            wg_yield();
        CHECK_OK(wg_space_destroy(WG_SELF, parent));
        CHECK(thread_join(&other, 5 * SECOND_NS) == 0, "destroying the child failed");
        wg_asset_release(WG_SELF, child); /* still ours if the other task lost the race */
        SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE, "after destroying parent and child together");
    }
}

const struct test leak_tests[] = {
    {"space_tree_destroy_frees_everything", test_space_tree_destroy, false},
    {"thousand_spaces", test_thousand_spaces, false},
    {"release_last_space_handle", test_release_last_space_handle, true},
    {"deep_space_chain", test_deep_space_chain, true},
    {"child_outlives_parent", test_child_outlives_parent, true},
    {"destroy_parent_and_child_together", test_destroy_parent_and_child_together, true},
    {NULL, NULL, false},
};
