/* Scheduling seen from userspace: TASK_SET_PRIORITY and TASK_SET_AFFINITY (rules and what can
 * be observed of them), SSE state kept across switches, many threads at once. */
#include "cpu_probes.h"
#include "systest.h"

static int64_t return_arg(uint64_t arg)
{
    return (int64_t)arg;
}

static uint64_t cpu_count(void)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    return info.cpus;
}

/* Our priority: the highest one TASK_SET_PRIORITY lets us give `victim` (which gets it). */
static unsigned own_priority(wg_handle victim)
{
    for (unsigned p = WG_PRIORITY_MAX; p >= 1; p--)
        if (wg_task_set_priority(WG_SELF, victim, p).err != WG_ERR_ACCESS_DENIED)
            return p;
    return 0;
}

static volatile wg_handle sibling_handle;

/* Lowers itself to 4, then checks it can go no higher and can lower others; the status has
 * one bit per unexpected answer. */
static int64_t lower_self(uint64_t arg)
{
    (void)arg;
    int64_t wrong = 0;
    wg_handle self = wg_task_self().value;
    wrong |= (wg_task_set_priority(WG_SELF, self, 4).err != WG_ERR_OK) << 0;
    wrong |= (wg_task_set_priority(WG_SELF, self, 5).err != WG_ERR_ACCESS_DENIED) << 1;
    wrong |= (wg_task_set_priority(WG_SELF, self, 4).err != WG_ERR_OK) << 2;
    wrong |= (wg_task_set_priority(WG_SELF, sibling_handle, 10).err != WG_ERR_ACCESS_DENIED) << 3;
    wrong |= (wg_task_set_priority(WG_SELF, sibling_handle, 3).err != WG_ERR_OK) << 4;
    wg_asset_release(WG_SELF, self);
    return wrong;
}

static void test_priority_rules(void)
{
    struct thread sleeper;
    if (!thread_start(&sleeper, thread_sleep_until_killed, 0, 0))
        return;
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_task_set_priority(WG_SELF, sleeper.task, 0));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_task_set_priority(WG_SELF, sleeper.task, 32));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_task_set_priority(WG_SELF, sleeper.task, UINT32_MAX));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_syscall6(WG_SYS_TASK_SET_PRIORITY, WG_SELF, sleeper.task,
                                                   (1ull << 32) | 1, 0, 0, 0));
    unsigned own = own_priority(sleeper.task);
    CHECK(own >= 1, "no priority was accepted");
    for (unsigned p = own + 1; p <= WG_PRIORITY_MAX; p++)
        CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_task_set_priority(WG_SELF, sleeper.task, p));
    for (unsigned p = 1; p <= own; p++)
        CHECK_OK(wg_task_set_priority(WG_SELF, sleeper.task, p));
    struct thread lowering;
    sibling_handle = sleeper.task;
    if (thread_start(&lowering, lower_self, 0, 0)) {
        int64_t wrong = thread_join(&lowering, 5 * SECOND_NS);
        CHECK(wrong == 0, "a task that lowered its priority: wrong answers %#llx",
              (unsigned long long)wrong);
    }
    CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
    thread_join(&sleeper, 2 * SECOND_NS);
}

static volatile uint64_t low_ran;

static int64_t mark_ran(uint64_t arg)
{
    (void)arg;
    __atomic_store_n(&low_ran, 1, __ATOMIC_RELEASE);
    return 0;
}

/* On one CPU, a ready task of lower priority does not run while a higher one keeps busy. */
static void test_priority_order(void)
{
    wg_handle self = VALUE(wg_task_self());
    struct thread low;
    if (!self || !CHECK_OK(wg_task_set_affinity(WG_SELF, self, 1)) ||
        !thread_create(&low, mark_ran, 0)) {
        wg_task_set_affinity(WG_SELF, self, UINT64_MAX);
        wg_asset_release(WG_SELF, self);
        return;
    }
    low_ran = 0;
    CHECK_OK(wg_task_set_affinity(WG_SELF, low.task, 1));
    CHECK_OK(wg_task_set_priority(WG_SELF, low.task, 1));
    CHECK_OK(wg_task_start(WG_SELF, low.task));
    uint64_t until = wg_clock().value + 30 * MS_NS;
    while (wg_clock().value < until && !__atomic_load_n(&low_ran, __ATOMIC_ACQUIRE))
        ;
    CHECK(low_ran == 0, "a priority-1 task pinned to our CPU ran while we were busy");
    CHECK(test_wait_nonzero(&low_ran, 2 * SECOND_NS) == 1, "the low task never ran while we slept");
    thread_join(&low, 2 * SECOND_NS);
    CHECK_OK(wg_task_set_affinity(WG_SELF, self, UINT64_MAX));
    CHECK_OK(wg_asset_release(WG_SELF, self));
}

static void test_affinity(void)
{
    uint64_t cpus = cpu_count();
    struct thread spinner;
    if (!thread_start(&spinner, thread_spin_until_killed, 0, 0))
        return;
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_task_set_affinity(WG_SELF, spinner.task, 0));
    if (cpus < 64) {
        CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                      wg_task_set_affinity(WG_SELF, spinner.task, 1ull << cpus));
        CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                      wg_task_set_affinity(WG_SELF, spinner.task, 1ull << 63));
    }
    CHECK_OK(wg_task_set_affinity(WG_SELF, spinner.task, 1 | 1ull << 63));
    /* Moved around while it runs, then killed. */
    for (int round = 0; round < 3; round++)
        for (uint64_t cpu = 0; cpu < cpus && cpu < 64; cpu++) {
            CHECK_OK(wg_task_set_affinity(WG_SELF, spinner.task, 1ull << cpu));
            wg_sleep(MS_NS);
        }
    CHECK_OK(wg_task_set_affinity(WG_SELF, spinner.task, UINT64_MAX));
    CHECK_OK(wg_task_kill(WG_SELF, spinner.task));
    CHECK(thread_join(&spinner, 2 * SECOND_NS) == WG_EXIT_KILLED, "the moved spinner's status");
    /* A thread pinned to each CPU before it starts runs there to its end. */
    for (uint64_t cpu = 0; cpu < cpus && cpu < 64; cpu++) {
        struct thread pinned;
        if (!thread_create(&pinned, return_arg, cpu))
            break;
        CHECK_OK(wg_task_set_affinity(WG_SELF, pinned.task, 1ull << cpu));
        CHECK_OK(wg_task_start(WG_SELF, pinned.task));
        CHECK(thread_join(&pinned, 2 * SECOND_NS) == (int64_t)cpu, "a task pinned to cpu %llu",
              (unsigned long long)cpu);
    }
}

/* Fills the SSE registers with a pattern of its own, makes syscalls that switch away, and
 * counts the rounds where a register came back changed. */
static int64_t check_sse(uint64_t seed)
{
    uint64_t in[32], out[32];
    int64_t bad = 0;
    for (int round = 0; round < 30; round++) {
        for (int i = 0; i < 32; i++)
            in[i] = (seed + 1) * 0x0101010101010101ull ^ ((uint64_t)round << 40) ^ (uint64_t)i;
        uint64_t number = round % 3 == 0 ? WG_SYS_SLEEP : WG_SYS_YIELD;
        xmm_probe(in, out, number, MS_NS / 2);
        bad += memcmp(in, out, sizeof in) != 0;
    }
    return bad;
}

static void test_sse_state_kept(void)
{
    struct thread others[3];
    for (int i = 0; i < 3; i++)
        thread_start(&others[i], check_sse, (uint64_t)i + 1, 0);
    int64_t mine = check_sse(0);
    CHECK(mine == 0, "our SSE registers changed in %lld rounds", (long long)mine);
    for (int i = 0; i < 3; i++) {
        int64_t theirs = thread_join(&others[i], 10 * SECOND_NS);
        CHECK(theirs == 0, "thread %d's SSE registers changed in %lld rounds", i,
              (long long)theirs);
    }
}

static void test_many_threads(void)
{
    enum { COUNT = 32 };
    static struct thread threads[COUNT];
    for (int i = 0; i < COUNT; i++)
        if (!thread_create(&threads[i], return_arg, (uint64_t)i * 3))
            return;
    for (int i = 0; i < COUNT; i++)
        CHECK_OK(wg_task_start(WG_SELF, threads[i].task));
    for (int i = 0; i < COUNT; i++)
        CHECK(thread_join(&threads[i], 5 * SECOND_NS) == i * 3, "thread %d's status", i);
}

const struct test sched_tests[] = {
    {"priority_rules", test_priority_rules, false},
    {"priority_order_on_one_cpu", test_priority_order, false},
    {"affinity", test_affinity, false},
    {"sse_state_kept_across_switches", test_sse_state_kept, false},
    {"many_threads", test_many_threads, false},
    {NULL, NULL, false},
};
