/* Destroying spaces under busy tasks: nothing leaks when a dying space's own tasks keep
 * naming it (WG_SELF), and a destroy is bounded by the tree it found, because the whole
 * subtree stops taking new spaces and assets the moment the destroy begins. */
#include "systest.h"

#define WORKERS 4

/* Calls a syscall on its own (dying) space forever: WG_SELF resolves to it. */
static int64_t release_self_forever(uint64_t arg)
{
    (void)arg;
    while (wg_asset_release(WG_SELF, 1).err != WG_ERR_KILLED)
        ;
    return 0;
}

static void test_self_calls_during_destroy_leak_nothing(void)
{
    struct snapshot start = snapshot_take();
    for (int round = 0; round < 12 && !test_failed(); round++) {
        wg_handle child = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
        struct thread threads[3];
        thread_fn bodies[3] = {thread_sleep_until_killed, release_self_forever,
                               release_self_forever};
        for (int i = 0; i < 3; i++) {
            if (thread_create_in(&threads[i], child, bodies[i], 0))
                CHECK_OK(wg_task_start(child, threads[i].task));
        }
        wg_sleep(2 * MS_NS);
        CHECK_OK(wg_space_destroy(WG_SELF, child)); /* kills and waits for all three */
        for (int i = 0; i < 3; i++)
            thread_forget(&threads[i]);
    }
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE, "after 12 destroys under WG_SELF callers");
}

static volatile uint64_t created; /* spaces and memory the workers made */
static volatile bool dead_seen;   /* a worker was told its space is being destroyed */
static volatile uint64_t late;    /* made although a worker had seen that before the call */

/* One creation: counted, and checked against what the workers know already. */
static void create_one(struct wg_result (*make)(void))
{
    bool known_dead = __atomic_load_n(&dead_seen, __ATOMIC_ACQUIRE);
    struct wg_result made = make();
    if (wg_ok(made))
        __atomic_fetch_add(known_dead ? &late : &created, 1, __ATOMIC_RELAXED);
    else if (made.err == WG_ERR_STALE_HANDLE)
        __atomic_store_n(&dead_seen, true, __ATOMIC_RELEASE);
}

static struct wg_result make_space(void)
{
    return wg_space_create(WG_SELF, 0);
}

static struct wg_result make_page(void)
{
    return wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
}

/* Makes spaces and memory in its own space as fast as it can, until killed. */
static int64_t create_forever(uint64_t arg)
{
    volatile bool forever = true;
    (void)arg;
    while (forever) {
        create_one(make_space);
        create_one(make_page);
    }
    return 0;
}

/* Workers in a child and a grandchild (the walk reaches the grandchild last). */
static void start_workers(wg_handle child, wg_handle grandchild, struct thread *threads)
{
    for (int i = 0; i < WORKERS; i++) {
        wg_handle where = i % 2 ? grandchild : child;
        if (!thread_create_in(&threads[i], where, create_forever, 0))
            continue;
        CHECK_OK(wg_task_start(where, threads[i].task));
    }
}

static void test_destroy_is_bounded_by_the_tree_it_found(void)
{
    struct snapshot start = snapshot_take();
    created = late = 0;
    dead_seen = false;
    wg_handle child = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    wg_handle inner = VALUE(wg_space_create(child, WG_SPACE_SHARE_MEMORY));
    wg_handle grandchild = VALUE(wg_asset_copy(child, inner, WG_SELF));
    struct thread threads[WORKERS];
    start_workers(child, grandchild, threads);
    while (__atomic_load_n(&created, __ATOMIC_RELAXED) < 40)
        wg_sleep(MS_NS);
    uint64_t began = wg_clock().value;
    CHECK_OK(wg_space_destroy(WG_SELF, child));
    uint64_t took = wg_clock().value - began;
    /* The moment the destroy began, the whole tree stopped taking new things: once any
     * worker had been refused (the mark was there), no call of any worker succeeded. */
    CHECK(late == 0, "%llu spaces and pages made after the tree was marked dead",
          (unsigned long long)late);
    CHECK(took < 10 * SECOND_NS, "the destroy took %llu ms", (unsigned long long)(took / MS_NS));
    for (int i = 0; i < WORKERS; i++)
        thread_forget(&threads[i]);
    CHECK_ERR(WG_ERR_STALE_HANDLE, wg_space_create(grandchild, 0)); /* dead, handle kept */
    CHECK_OK(wg_asset_release(WG_SELF, grandchild));
    SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE, "after destroying the busy tree");
}

/* Found by sysfuzz: a killed task of low priority must still end while busy tasks of higher
 * priority (here in the same dying space, not yet killed) keep every CPU: the destroy waits
 * for each task it kills in turn, so without a boost it waited for ever. The first two it
 * kills: one never started, one running, both at priority 1. */
static void test_destroy_ends_low_priority_task_behind_busy_ones(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    struct thread threads[5];
    for (int i = 0; i < 5; i++) {
        if (!thread_create_in(&threads[i], child, thread_spin_until_killed, 0))
            continue;
        if (i < 2)
            CHECK_OK(wg_task_set_priority(child, threads[i].task, 1));
        if (i > 0)
            CHECK_OK(wg_task_start(child, threads[i].task));
    }
    wg_sleep(5 * MS_NS);
    uint64_t began = wg_clock().value;
    CHECK_OK(wg_space_destroy(WG_SELF, child));
    uint64_t took = wg_clock().value - began;
    CHECK(took < 2 * SECOND_NS, "destroy took %llu ms", (unsigned long long)(took / MS_NS));
    for (int i = 0; i < 5; i++)
        thread_forget(&threads[i]);
}

const struct test teardown_tests[] = {
    {"teardown_self_calls_leak_nothing", test_self_calls_during_destroy_leak_nothing, false},
    {"teardown_bounded_by_tree", test_destroy_is_bounded_by_the_tree_it_found, false},
    {"teardown_low_priority_behind_busy", test_destroy_ends_low_priority_task_behind_busy_ones,
     false},
    {NULL, NULL, false},
};
