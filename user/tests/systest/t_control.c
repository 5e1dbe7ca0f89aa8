/* Task suspension (TASK_SUSPEND/TASK_RESUME: the WRITE right), the granted powers
 * (SYSTEM_POWER, KLOG_READ: refused to a space not given WG_SPACE_POWER/WG_SPACE_KLOG, and
 * those grants given down only by a space that has them), and the ids ASSET_INFO reports
 * for tasks and spaces. systest runs without either grant. */
#include "systest.h"

static int64_t count_forever(uint64_t arg)
{
    volatile uint64_t *counter = (volatile uint64_t *)arg;
    while (*counter != UINT64_MAX) /* until killed, in practice */
        (*counter)++;
    return 0;
}

/* The counter's value after it stopped changing for a while, or after `ms`. */
static uint64_t settle_ms(volatile uint64_t *counter, uint64_t ms)
{
    wg_sleep(ms * MS_NS);
    return *counter;
}

static void test_suspend_stops_and_resume_restarts(void)
{
    static volatile uint64_t counter;
    struct thread t;
    if (!thread_start(&t, count_forever, (uint64_t)&counter, 0))
        return;
    settle_ms(&counter, 20);
    CHECK_OK(wg_task_suspend(WG_SELF, t.task));
    uint64_t stopped = settle_ms(&counter, 30); /* the suspension has taken hold */
    CHECK(settle_ms(&counter, 50) == stopped, "a suspended thread kept counting");
    CHECK_OK(wg_task_resume(WG_SELF, t.task));
    CHECK(settle_ms(&counter, 50) != stopped, "a resumed thread did not count again");
    CHECK_OK(wg_task_kill(WG_SELF, t.task));
    thread_join(&t, SECOND_NS);
}

static void test_suspended_task_can_be_killed(void)
{
    struct thread t;
    if (!thread_start(&t, thread_sleep_until_killed, 0, 0))
        return;
    CHECK_OK(wg_task_suspend(WG_SELF, t.task));
    wg_sleep(10 * MS_NS);
    CHECK_OK(wg_task_kill(WG_SELF, t.task));
    int64_t status = thread_join(&t, SECOND_NS);
    CHECK(status == WG_EXIT_KILLED, "a suspended thread ended with %lld", (long long)status);
}

/* SYSTEM_TASKS shows a suspended task as state 5 ("stopped" in ps). */
static void test_suspended_task_listed_as_stopped(void)
{
    static struct wg_task_info tasks[256];
    struct thread t;
    struct wg_asset_info info;
    if (!thread_start(&t, thread_spin_until_killed, 0, 0))
        return;
    CHECK_OK(wg_task_suspend(WG_SELF, t.task));
    CHECK_OK(wg_asset_info(WG_SELF, t.task, &info));
    struct wg_result listed = wg_system_tasks(tasks, 256);
    bool found = false;
    for (uint64_t i = 0; wg_ok(listed) && i < listed.value; i++)
        if (tasks[i].id == info.address) {
            found = true;
            CHECK(tasks[i].state == 5, "a suspended task is in state %u", tasks[i].state);
        }
    CHECK(found, "ASSET_INFO's task id %llu is not in SYSTEM_TASKS",
          (unsigned long long)info.address);
    CHECK_OK(wg_task_kill(WG_SELF, t.task));
    thread_join(&t, SECOND_NS);
}

static void test_suspend_needs_write(void)
{
    struct thread t;
    if (!thread_start(&t, thread_sleep_until_killed, 0, 0))
        return;
    struct wg_result weak =
        wg_asset_copy_rights(WG_SELF, t.task, WG_SELF, WG_RIGHTS_ALL & ~WG_RIGHT_WRITE);
    if (CHECK_OK(weak)) {
        CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_task_suspend(WG_SELF, weak.value));
        CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_task_resume(WG_SELF, weak.value));
        CHECK_OK(wg_asset_release(WG_SELF, weak.value));
    }
    struct wg_result self = wg_task_self();
    if (CHECK_OK(self)) {
        CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_task_suspend(WG_SELF, self.value));
        CHECK_OK(wg_asset_release(WG_SELF, self.value));
    }
    CHECK_REFUSED(WG_ERR_BAD_HANDLE, wg_task_suspend(WG_SELF, RESERVED_BITS_HANDLE));
    CHECK_OK(wg_task_kill(WG_SELF, t.task));
    thread_join(&t, SECOND_NS);
}

static void test_power_and_klog_need_grants(void)
{
    char text[64];
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_system_power(WG_POWER_OFF));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_system_power(WG_POWER_REBOOT));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_system_power(2));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_klog_read(text, sizeof text));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_klog_read((char *)KERNEL_POINTER, 64));
}

static void test_grants_given_only_by_holders(void)
{
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_space_create(WG_SELF, WG_SPACE_POWER));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_space_create(WG_SELF, WG_SPACE_KLOG));
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_space_create(WG_SELF, 16));
}

static void test_asset_info_gives_space_ids(void)
{
    static struct wg_task_info tasks[256];
    struct helper child;
    struct wg_asset_info info;
    const char *argv[] = {"probe", "sleep"};
    if (!helper_create(&child))
        return;
    if (helper_exec(&child, "probe", 2, argv, 0) &&
        CHECK_OK(wg_asset_info(WG_SELF, child.space, &info))) {
        struct wg_result listed = wg_system_tasks(tasks, 256);
        bool found = false;
        for (uint64_t i = 0; wg_ok(listed) && i < listed.value; i++)
            found =
                found || (tasks[i].space == info.address && strcmp(tasks[i].name, "probe") == 0);
        CHECK(found, "no probe task in space %llu", (unsigned long long)info.address);
    }
    helper_end(&child);
}

const struct test control_tests[] = {
    {"suspend_stops_and_resume_restarts", test_suspend_stops_and_resume_restarts, false},
    {"suspended_task_can_be_killed", test_suspended_task_can_be_killed, false},
    {"suspended_task_listed_as_stopped", test_suspended_task_listed_as_stopped, false},
    {"suspend_needs_write", test_suspend_needs_write, false},
    {"power_and_klog_need_grants", test_power_and_klog_need_grants, false},
    {"grants_given_only_by_holders", test_grants_given_only_by_holders, false},
    {"asset_info_gives_space_ids", test_asset_info_gives_space_ids, false},
    {NULL, NULL, false},
};
