/* Concurrency: threads working on a space while it is destroyed, on one handle table at
 * once, and handles released while a syscall still uses them. Each must end with the
 * system's counts where they started. */
#include "systest.h"

#define BUSY_THREADS 3

static volatile wg_handle busy_target; /* our handle to the space under destruction */
static volatile uint64_t busy_calls;

/* Keeps creating things in busy_target until it is gone; returns how many calls worked. */
static int64_t keep_busy(uint64_t kind)
{
    const struct wg_exec_args args = {2, 12, "probe\0sleep", 0};
    int64_t worked = 0;
    for (int i = 0; i < 100000; i++) {
        wg_handle space = busy_target;
        struct wg_result r;
        if (kind == 0) {
            r = wg_space_create(space, i & 1);
        } else if (kind == 1) {
            r = wg_pmem_create(space, 1, 0, WG_PMEM_ANY_NODE);
            if (wg_ok(r))
                r = wg_vmem_map(space, r.value, 0x40000000 + (uint64_t)i * 4096, WG_MAP_READ);
        } else {
            r = wg_task_create(space, CODE_ADDRESS, 0, 0);
            if (wg_ok(r))
                r = wg_task_start(space, r.value);
            struct wg_result program = {WG_ERR_NOT_FOUND, 0};
            if (i % 16 == 0)
                program = wg_exec(space, "probe", 5, &args); /* never started */
            if (wg_ok(program))
                wg_asset_release(WG_SELF, program.value);
        }
        __atomic_fetch_add(&busy_calls, 1, __ATOMIC_RELAXED);
        if (r.err == WG_ERR_STALE_HANDLE)
            return worked;
        if (r.err == WG_ERR_NO_MEMORY) /* the space's handle table is full: wait for the end */
            continue;
        if (r.err != WG_ERR_OK && r.err != WG_ERR_ALREADY_EXISTS)
            return -(int64_t)r.err - 1000000;
        worked++;
    }
    return worked;
}

/* Destroys a space while threads keep creating spaces, memory, tasks and programs in it. */
static void test_destroy_while_busy(void)
{
    for (int round = 0; round < 6 && !test_failed(); round++) {
        struct snapshot start = snapshot_take();
        wg_handle target = VALUE(wg_space_create(WG_SELF, 0));
        if (!target || !code_map(target, CODE_SLEEP_FOREVER)) {
            wg_space_destroy(WG_SELF, target);
            return;
        }
        busy_target = target;
        busy_calls = 0;
        struct thread threads[BUSY_THREADS];
        for (int i = 0; i < BUSY_THREADS; i++)
            thread_start(&threads[i], keep_busy, (uint64_t)i, 0);
        uint64_t deadline = wg_clock().value + SECOND_NS;
        while (__atomic_load_n(&busy_calls, __ATOMIC_RELAXED) < 30 * (uint64_t)(round + 1) &&
               wg_clock().value < deadline)
            wg_sleep(MS_NS / 2);
        CHECK_OK(wg_space_destroy(WG_SELF, target));
        for (int i = 0; i < BUSY_THREADS; i++) {
            int64_t worked = thread_join(&threads[i], 5 * SECOND_NS);
            CHECK(worked >= 0, "round %d, thread %d: a call failed with %s", round, i,
                  worked < -1000000 ? wg_error_name((int)(-worked - 1000000)) : "?");
        }
        SNAPSHOT_SETTLE(&start, SNAPSHOT_NO_MORE, "after destroying a busy space");
    }
}

static int64_t churn_handles(uint64_t rounds)
{
    struct wg_asset_info info;
    for (uint64_t i = 0; i < rounds; i++) {
        struct wg_result a = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
        struct wg_result b = wg_space_create(WG_SELF, 1);
        if (!wg_ok(a) || !wg_ok(b))
            return 1;
        struct wg_result copy = wg_asset_copy(WG_SELF, a.value, b.value);
        if (!wg_ok(copy) || !wg_ok(wg_asset_info(b.value, copy.value, &info)) ||
            info.kind != WG_ASSET_PHYS_MEMORY)
            return 2;
        if (!wg_ok(wg_asset_release(WG_SELF, a.value)) ||
            !wg_ok(wg_space_destroy(WG_SELF, b.value)))
            return 3;
        if (wg_asset_info(WG_SELF, a.value, &info).err != WG_ERR_STALE_HANDLE)
            return 4;
    }
    return 0;
}

/* Four threads creating, copying and releasing in one handle table at once. */
static void test_handle_table_concurrency(void)
{
    struct thread threads[4];
    for (int i = 0; i < 4; i++)
        thread_start(&threads[i], churn_handles, 150, 0);
    for (int i = 0; i < 4; i++) {
        int64_t wrong = thread_join(&threads[i], 10 * SECOND_NS);
        CHECK(wrong == 0, "thread %d failed at step %lld", i, (long long)wrong);
    }
}

static int64_t wait_on(uint64_t task)
{
    struct wg_result status = wg_task_wait(WG_SELF, task, WG_WAIT_FOREVER);
    return status.err == WG_ERR_OK ? (int64_t)status.value : -(int64_t)status.err;
}

/* A handle released while another task waits through it: the wait goes on and ends with
 * the status; the task itself is not stopped by the release. */
static void test_release_while_waited(void)
{
    struct thread sleeper, waiter;
    if (!thread_start(&sleeper, thread_sleep_until_killed, 0, 0))
        return;
    wg_handle second = VALUE(wg_asset_copy(WG_SELF, sleeper.task, WG_SELF));
    if (!thread_start(&waiter, wait_on, second, 0))
        return;
    wg_sleep(3 * MS_NS);
    CHECK_OK(wg_asset_release(WG_SELF, second));
    wg_sleep(3 * MS_NS);
    CHECK_REFUSED(WG_ERR_TIMED_OUT, wg_task_wait(WG_SELF, waiter.task, MS_NS));
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
    CHECK(thread_join(&waiter, 2 * SECOND_NS) == WG_EXIT_KILLED,
          "the waiter did not get the killed status through a released handle");
    thread_join(&sleeper, 2 * SECOND_NS);
}

enum { MOVED = 64, MOVERS = 3 };
static wg_handle move_from[MOVED];
static volatile wg_handle move_to;

/* Tries to move every handle of move_from into move_to; returns how many moves it won. */
static int64_t move_all(uint64_t arg)
{
    int64_t won = 0;
    (void)arg;
    for (int i = 0; i < MOVED; i++) {
        struct wg_result r = wg_asset_move(WG_SELF, move_from[i], move_to);
        if (r.err == WG_ERR_OK)
            won++;
        else if (r.err != WG_ERR_STALE_HANDLE)
            return -1 - (int64_t)r.err;
    }
    return won;
}

/* Threads moving the same handles at once: each asset moves exactly once. */
static void test_concurrent_moves(void)
{
    move_to = VALUE(wg_space_create(WG_SELF, 0));
    for (int i = 0; i < MOVED; i++)
        move_from[i] = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    struct thread movers[MOVERS];
    for (int i = 0; i < MOVERS; i++)
        thread_start(&movers[i], move_all, 0, 0);
    int64_t moved = 0;
    for (int i = 0; i < MOVERS; i++) {
        int64_t won = thread_join(&movers[i], 5 * SECOND_NS);
        CHECK(won >= 0, "a mover got %s", won < 0 ? wg_error_name((int)(-won - 1)) : "");
        moved += won > 0 ? won : 0;
    }
    static struct wg_asset_info infos[2 * MOVED];
    struct wg_result listed = wg_asset_list(move_to, infos, 2 * MOVED);
    CHECK(moved == MOVED && listed.value == MOVED, "%lld moves won, %llu handles arrived",
          (long long)moved, (unsigned long long)listed.value);
    if (move_to)
        CHECK_OK(wg_space_destroy(WG_SELF, move_to));
}

const struct test race_tests[] = {
    {"destroy_while_busy", test_destroy_while_busy, false},
    {"handle_table_concurrency", test_handle_table_concurrency, false},
    {"release_while_waited", test_release_while_waited, false},
    {"concurrent_moves", test_concurrent_moves, false},
    {NULL, NULL, false},
};
