/* The campaign: runs seeds one after another, each as `sysfuzz worker` in a child space of
 * ours, then destroys that space (with whatever still runs in it) and checks that free
 * pages, live assets and tasks are back where they were before the seed. One
 * "utest: PASS/FAIL sysfuzz_seed_N" line per seed (tests/system/run.sh counts them), then the
 * rate and "utest: done: N passed, M failed"; the exit status is the failure count.
 * Words: seed=N (the first seed; default: from the clock), seeds=K (default 4), iters=M
 * (steps per seed, default 2000), log (every call of every seed). */
#include <test/test.h>
#include "sysfuzz.h"

#define WORKER_TIMEOUT (120 * SECOND_NS)

struct seed_run {
    uint64_t calls;
    uint64_t destroy_ms;
    char why[120];
};

static bool start_worker(wg_handle space, uint64_t seed, uint64_t iters, bool log, wg_handle *task)
{
    static char strings[WG_EXEC_ARG_MAX_SIZE];
    int used =
        snprintf(strings, sizeof strings, "sysfuzz%cworker%cseed=%llu%citers=%llu%c%s", 0, 0,
                 (unsigned long long)seed, 0, (unsigned long long)iters, 0, log ? "log" : "");
    struct wg_exec_args args = {log ? 5 : 4, (uint64_t)used + (log ? 1 : 0), strings, 0};
    struct wg_result made = wg_exec(space, "sysfuzz", 7, &args);
    if (!wg_ok(made))
        return false;
    *task = made.value;
    return wg_ok(wg_task_start(WG_SELF, *task));
}

static wg_handle destroying;
static volatile uint64_t destroyed;

static int64_t destroy_body(uint64_t arg)
{
    (void)arg;
    wg_space_destroy(WG_SELF, destroying);
    destroyed = 1;
    return 0;
}

/* Prints every task still alive below us (a destroy that does not end shows who is stuck). */
static void dump_tasks(void)
{
    static struct wg_task_info tasks[256];
    struct wg_result n = wg_system_tasks(tasks, 256);
    for (uint64_t i = 0; wg_ok(n) && i < n.value; i++)
        printf("sysfuzz: task %llu space %llu (parent %llu) state %u prio %u cpu %u %s\n",
               (unsigned long long)tasks[i].id, (unsigned long long)tasks[i].space,
               (unsigned long long)tasks[i].parent_space, tasks[i].state, tasks[i].priority,
               tasks[i].cpu, tasks[i].name);
}

static void destroy_watched(wg_handle space)
{
    struct thread t;
    destroying = space;
    destroyed = 0;
    thread_start(&t, destroy_body, 0, 0);
    for (int i = 0; i < 1000 && !destroyed; i++)
        wg_sleep(10 * MS_NS);
    if (!destroyed) {
        printf("sysfuzz: SPACE_DESTROY has not returned after 10 s\n");
        dump_tasks();
    }
    thread_join(&t, 600 * SECOND_NS);
}

/* One seed; false and run->why if it failed. */
static bool run_seed(uint64_t seed, uint64_t iters, bool log, bool pages, struct seed_run *run)
{
    struct snapshot before = snapshot_take();
    struct wg_result space = wg_space_create(WG_SELF, 0);
    wg_handle task = 0;
    run->why[0] = 0;
    if (!wg_ok(space) || !start_worker(space.value, seed, iters, log, &task)) {
        snprintf(run->why, sizeof run->why, "cannot start the worker");
        if (wg_ok(space))
            wg_space_destroy(WG_SELF, space.value);
        return false;
    }
    struct wg_result status = wg_task_wait(WG_SELF, task, WORKER_TIMEOUT);
    int64_t code = wg_ok(status) ? (int64_t)status.value : -1;
    wg_asset_release(WG_SELF, task);
    uint64_t began = wg_clock().value;
    destroy_watched(space.value);
    run->destroy_ms = (wg_clock().value - began) / MS_NS;
    run->calls = code > 0 ? (uint64_t)code / 1000 : 0;
    if (!wg_ok(status))
        snprintf(run->why, sizeof run->why, "the worker did not end: %s",
                 wg_error_name(status.err));
    else if (code < 0)
        snprintf(run->why, sizeof run->why, "the worker ended with %lld", (long long)code);
    else if (code % 1000 != 0)
        snprintf(run->why, sizeof run->why, "%lld oracle failures", (long long)(code % 1000));
    if (run->why[0])
        return false;
    struct snapshot after = snapshot_take();
    uint64_t deadline = wg_clock().value + 2 * SECOND_NS;
    while ((after.assets != before.assets || after.tasks != before.tasks ||
            (pages && after.free_pages != before.free_pages)) &&
           wg_clock().value < deadline) {
        wg_sleep(10 * MS_NS);
        after = snapshot_take();
    }
    if (after.assets == before.assets && after.tasks == before.tasks &&
        (!pages || after.free_pages == before.free_pages))
        return true;
    snprintf(run->why, sizeof run->why,
             "left behind: free pages %llu -> %llu, assets %llu -> %llu, tasks %llu -> %llu",
             (unsigned long long)before.free_pages, (unsigned long long)after.free_pages,
             (unsigned long long)before.assets, (unsigned long long)after.assets,
             (unsigned long long)before.tasks, (unsigned long long)after.tasks);
    return false;
}

int campaign_main(int argc, char **argv)
{
    uint64_t first = fuzz_word(argc, argv, "seed", wg_clock().value % 1000000);
    uint64_t seeds = fuzz_word(argc, argv, "seeds", 4);
    uint64_t iters = fuzz_word(argc, argv, "iters", 2000);
    bool log = false;
    for (int i = 1; i < argc; i++)
        log = log || strcmp(argv[i], "log") == 0;
    printf(
        "sysfuzz: seeds %llu..%llu, %llu steps each (replay one: seed=N seeds=1 iters=%llu log)\n",
        (unsigned long long)first, (unsigned long long)(first + seeds - 1),
        (unsigned long long)iters, (unsigned long long)iters);
    snapshot_wait_quiet();
    /* The first run of a seed grows the kernel's heap and caches for good: the warm-up seed
     * is checked for everything but free pages. */
    struct seed_run run;
    int passed = 0, failed = 0;
    uint64_t calls = 0, began = wg_clock().value;
    for (uint64_t i = 0; i <= seeds; i++) {
        uint64_t seed = i == 0 ? first : first + i - 1;
        bool ok = run_seed(seed, iters, log, i > 0, &run);
        calls += run.calls;
        if (i == 0 && ok)
            continue;
        printf("sysfuzz: seed %llu: %llu calls, destroy took %llu ms\n", (unsigned long long)seed,
               (unsigned long long)run.calls, (unsigned long long)run.destroy_ms);
        if (ok)
            printf("utest: PASS sysfuzz_seed_%llu\n", (unsigned long long)seed), passed++;
        else
            printf("utest: FAIL sysfuzz_seed_%llu: %s\n", (unsigned long long)seed, run.why),
                failed++;
        if (i == 0)
            break;
    }
    uint64_t ms = (wg_clock().value - began) / MS_NS;
    printf("sysfuzz: %llu calls in %llu ms: %llu calls/s\n", (unsigned long long)calls,
           (unsigned long long)ms, (unsigned long long)(ms ? calls * 1000 / ms : 0));
    printf("utest: done: %d passed, %d failed\n", passed, failed);
    return failed;
}
