/* Task life cycle in our own space (threads): TASK_CREATE, TASK_START, TASK_EXIT, TASK_WAIT,
 * TASK_KILL, TASK_SELF. Tasks in child spaces: t_task_spaces.c. */
#include "systest.h"

static int64_t twice_plus_one(uint64_t arg)
{
    return (int64_t)(arg * 2 + 1);
}

static int64_t return_seven(uint64_t arg)
{
    (void)arg;
    return 7;
}

static int64_t sleep_then_exit(uint64_t ns)
{
    wg_sleep(ns);
    return 42;
}

static int64_t exit_directly(uint64_t arg)
{
    wg_task_exit((int64_t)arg);
}

/* Waits forever on the task whose handle is `arg`; its status, or -err. */
static int64_t wait_for_task(uint64_t arg)
{
    struct wg_result status = wg_task_wait(WG_SELF, arg, WG_WAIT_FOREVER);
    return status.err == WG_ERR_OK ? (int64_t)status.value : -(int64_t)status.err;
}

static volatile wg_handle killer_handle; /* the kill_self thread's own handle, in our table */

static int64_t kill_self(uint64_t arg)
{
    (void)arg;
    wg_task_kill(WG_SELF, killer_handle);
    return 5; /* only if the kill did not end us */
}

static uint64_t shared_counter;

static int64_t count_up(uint64_t arg)
{
    for (uint64_t i = 0; i < arg; i++) {
        __atomic_fetch_add(&shared_counter, 1, __ATOMIC_RELAXED);
        if (i % 64 == 0)
            wg_yield();
    }
    return 0;
}

static void test_thread_runs(void)
{
    CHECK(thread_run(twice_plus_one, 20) == 41, "the thread's status did not come back");
    const int64_t statuses[] = {0, -5, 0x123456789ab, INT64_MIN + 1, INT64_MAX};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        int64_t got = thread_run(exit_directly, (uint64_t)statuses[i]);
        CHECK(got == statuses[i], "TASK_EXIT(%lld) came back as %lld", (long long)statuses[i],
              (long long)got);
    }
}

static void test_threads_share_memory(void)
{
    struct thread threads[4];
    shared_counter = 0;
    for (int i = 0; i < 4; i++)
        thread_start(&threads[i], count_up, 1000, 0);
    for (int i = 0; i < 4; i++)
        CHECK(thread_join(&threads[i], 10 * SECOND_NS) == 0, "a counting thread failed");
    CHECK(shared_counter == 4000, "the threads counted to %llu, not 4000",
          (unsigned long long)shared_counter);
}

static void test_task_wait_timeouts(void)
{
    struct thread sleeper;
    if (!thread_start(&sleeper, thread_sleep_until_killed, 0, 0))
        return;
    CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, sleeper.task, 0));
    uint64_t before = wg_clock().value;
    CHECK_REFUSED(WG_ERR_TIMED_OUT, wg_task_wait(WG_SELF, sleeper.task, 20 * MS_NS));
    uint64_t waited = wg_clock().value - before;
    CHECK(waited >= 20 * MS_NS && waited < 2 * SECOND_NS, "a 20 ms wait took %llu ns",
          (unsigned long long)waited);
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
    CHECK(thread_join(&sleeper, 2 * SECOND_NS) == WG_EXIT_KILLED, "a killed sleeper's status");
    /* Timeouts too long to expire are no different from forever. */
    const uint64_t long_ones[] = {UINT64_MAX - 1, 1ull << 63};
    for (int i = 0; i < 2; i++) {
        struct thread quick;
        if (!thread_start(&quick, sleep_then_exit, 3 * MS_NS, 0))
            continue;
        struct wg_result status = wg_task_wait(WG_SELF, quick.task, long_ones[i]);
        CHECK(status.err == WG_ERR_OK && status.value == 42, "a wait of %#llx ns: %s, %lld",
              (unsigned long long)long_ones[i], wg_error_name(status.err), (long long)status.value);
        thread_join(&quick, SECOND_NS);
    }
}

static void test_task_kill(void)
{
    struct thread sleeper, spinner, waiter;
    if (!thread_start(&sleeper, thread_sleep_until_killed, 0, 0) ||
        !thread_start(&spinner, thread_spin_until_killed, 0, 0) ||
        !thread_start(&waiter, wait_for_task, sleeper.task, 0))
        return;
    wg_sleep(5 * MS_NS);
    CHECK_OK(wg_task_kill(WG_SELF, spinner.task));
    CHECK(thread_join(&spinner, 2 * SECOND_NS) == WG_EXIT_KILLED, "a killed spinner's status");
    /* Killing a task blocked in TASK_WAIT ends it, not what it waits for. */
    CHECK_OK(wg_task_kill(WG_SELF, waiter.task));
    CHECK(thread_join(&waiter, 2 * SECOND_NS) == WG_EXIT_KILLED, "a killed waiter's status");
    CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, sleeper.task, 0));
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task)); /* twice is fine */
    struct wg_result status = wg_task_wait(WG_SELF, sleeper.task, 2 * SECOND_NS);
    CHECK(status.err == WG_ERR_OK && (int64_t)status.value == WG_EXIT_KILLED,
          "a killed sleeper's status");
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task)); /* and so is killing the dead */
    thread_join(&sleeper, SECOND_NS);
    struct thread killer;
    if (thread_create(&killer, kill_self, 0)) {
        killer_handle = killer.task;
        CHECK_OK(wg_task_start(WG_SELF, killer.task));
        CHECK(thread_join(&killer, 2 * SECOND_NS) == WG_EXIT_KILLED,
              "a task that killed itself went on");
    }
}

/* Several tasks waiting for one all get its status. */
static void test_many_waiters(void)
{
    struct thread sleeper, waiters[3];
    if (!thread_start(&sleeper, thread_sleep_until_killed, 0, 0))
        return;
    for (int i = 0; i < 3; i++)
        thread_start(&waiters[i], wait_for_task, sleeper.task, 0);
    wg_sleep(5 * MS_NS);
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
    for (int i = 0; i < 3; i++)
        CHECK(thread_join(&waiters[i], 2 * SECOND_NS) == WG_EXIT_KILLED,
              "waiter %d did not get the killed status", i);
    thread_join(&sleeper, 2 * SECOND_NS);
}

static void test_task_start_and_wait_rules(void)
{
    struct thread thread, twice;
    if (thread_start(&twice, return_seven, 0, 0)) {
        CHECK_REFUSED(WG_ERR_BUSY, wg_task_start(WG_SELF, twice.task));
        CHECK(thread_join(&twice, 2 * SECOND_NS) == 7, "the twice-started thread's status");
    }
    if (!thread_create(&thread, thread_sleep_until_killed, 0))
        return;
    CHECK_REFUSED(WG_ERR_BUSY, wg_task_wait(WG_SELF, thread.task, 0));
    CHECK_REFUSED(WG_ERR_BUSY, wg_task_wait(WG_SELF, thread.task, WG_WAIT_FOREVER));
    /* Killed before it starts: the kill starts it, just to end it; starting it is late. */
    CHECK_OK(wg_task_kill(WG_SELF, thread.task));
    CHECK_REFUSED(WG_ERR_BUSY, wg_task_start(WG_SELF, thread.task));
    CHECK(thread_join(&thread, 2 * SECOND_NS) == WG_EXIT_KILLED,
          "a task killed before its start did not end killed");

    wg_handle self = VALUE(wg_task_self());
    wg_handle again = VALUE(wg_task_self());
    CHECK(self != again, "two TASK_SELF calls gave one handle");
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_task_wait(WG_SELF, self, 0));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_task_wait(WG_SELF, again, WG_WAIT_FOREVER));
    CHECK_REFUSED(WG_ERR_BUSY, wg_task_start(WG_SELF, self));
    CHECK_OK(wg_asset_release(WG_SELF, self));
    CHECK_OK(wg_asset_release(WG_SELF, again));
}

static void test_task_create_bad_arguments(void)
{
    uintptr_t entry = (uintptr_t)thread_sleep_until_killed;
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_task_create(WG_SELF, 0, 0, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_task_create(WG_SELF, KERNEL_POINTER, 0, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_task_create(WG_SELF, NONCANONICAL, 0, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_task_create(WG_SELF, UINT64_MAX, 0, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_task_create(WG_SELF, entry, KERNEL_POINTER, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_task_create(WG_SELF, entry, NONCANONICAL, 0));
    /* Addresses the kernel cannot judge are the task's business: it faults. */
    const uint64_t pairs[][2] = {{UNMAPPED_HIGH, 0},
                                 {UNMAPPED_LOW, 0},
                                 {entry, 0},
                                 {entry, UNMAPPED_HIGH},
                                 {entry, NONCANONICAL - 8}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct wg_result task = wg_task_create(WG_SELF, pairs[i][0], pairs[i][1], 0);
        if (!CHECK_OK(task))
            continue;
        CHECK_OK(wg_task_start(WG_SELF, task.value));
        struct wg_result status = wg_task_wait(WG_SELF, task.value, 2 * SECOND_NS);
        CHECK(status.err == WG_ERR_OK && WG_EXIT_IS_FAULTED((int64_t)status.value),
              "a task with entry %#llx, stack %#llx: %s, status %lld",
              (unsigned long long)pairs[i][0], (unsigned long long)pairs[i][1],
              wg_error_name(status.err), (long long)status.value);
        if (status.err != WG_ERR_OK)
            wg_task_kill(WG_SELF, task.value);
        CHECK_OK(wg_asset_release(WG_SELF, task.value));
    }
}

const struct test task_tests[] = {
    {"thread_runs", test_thread_runs, false},
    {"threads_share_memory", test_threads_share_memory, false},
    {"task_wait_timeouts", test_task_wait_timeouts, false},
    {"task_kill", test_task_kill, false},
    {"task_many_waiters", test_many_waiters, false},
    {"task_start_and_wait_rules", test_task_start_and_wait_rules, false},
    {"task_create_bad_arguments", test_task_create_bad_arguments, false},
    {NULL, NULL, false},
};
