/* ipctest's framework (failure records, system counts) and helpers: threads on a fixed
 * stack pool (so creating one never grows the heap), helper processes, server/client pairs. */
#include "ipct.h"

#define FAILURE_TEXT_MAX 200
#define STACK_SIZE       (16 * 1024)

static struct {
    int count;
    char first[FAILURE_TEXT_MAX];
} failures;

void test_begin(void)
{
    failures.count = 0;
    failures.first[0] = '\0';
}

const char *test_result(int *count)
{
    *count = failures.count;
    return failures.first;
}

void test_fail_at(const char *file, int line, const char *format, ...)
{
    if (failures.count++ > 0)
        return;
    int used = snprintf(failures.first, sizeof failures.first, "%s:%d: ", file, line);
    if (used < 0 || used >= FAILURE_TEXT_MAX)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(failures.first + used, sizeof failures.first - (size_t)used, format, args);
    va_end(args);
}

bool test_expect_err(const char *file, int line, const char *what, enum wg_error got,
                     enum wg_error want)
{
    if (got != want)
        test_fail_at(file, line, "%.100s gave %s, expected %s", what, wg_error_name(got),
                     wg_error_name(want));
    return got == want;
}

uint64_t test_value(const char *file, int line, const char *what, struct wg_result result)
{
    if (result.err != WG_ERR_OK)
        test_fail_at(file, line, "%.100s gave %s", what, wg_error_name(result.err));
    return result.err == WG_ERR_OK ? result.value : 0;
}

uint64_t now_ns(void)
{
    return wg_clock().value;
}

uint64_t cpu_count(void)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    return info.cpus;
}

struct snapshot snapshot_take(void)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    return (struct snapshot){info.free_pages, info.assets, info.tasks};
}

static bool snapshot_equal(const struct snapshot *a, const struct snapshot *b)
{
    return a->free_pages == b->free_pages && a->assets == b->assets && a->tasks == b->tasks;
}

bool snapshot_settle(const struct snapshot *start, const char *what)
{
    uint64_t deadline = now_ns() + 2 * SECOND_NS;
    struct snapshot now = snapshot_take();
    while (!snapshot_equal(&now, start) && now_ns() < deadline) {
        wg_sleep(10 * MS_NS);
        now = snapshot_take();
    }
    if (snapshot_equal(&now, start))
        return true;
    FAIL("%s: free pages %llu -> %llu, assets %llu -> %llu, tasks %llu -> %llu", what,
         (unsigned long long)start->free_pages, (unsigned long long)now.free_pages,
         (unsigned long long)start->assets, (unsigned long long)now.assets,
         (unsigned long long)start->tasks, (unsigned long long)now.tasks);
    return false;
}

/* ---- threads ---- */

static uint8_t stacks[THREADS_MAX][STACK_SIZE] __attribute__((aligned(16)));
static bool slot_used[THREADS_MAX];
static struct {
    thread_fn fn;
    uint64_t arg;
} boots[THREADS_MAX];

/* Where a thread starts: rdi = its slot, rsp as if it had just been called. */
__attribute__((noreturn)) static void thread_entry(uint64_t slot)
{
    wg_task_exit(boots[slot].fn(boots[slot].arg));
}

static int slot_take(void)
{
    for (int i = 0; i < THREADS_MAX; i++)
        if (!__atomic_exchange_n(&slot_used[i], true, __ATOMIC_ACQUIRE))
            return i;
    return -1;
}

static void slot_give_back(int slot)
{
    __atomic_store_n(&slot_used[slot], false, __ATOMIC_RELEASE);
}

bool thread_start(struct thread *thread, thread_fn fn, uint64_t arg, uint64_t cpu_mask)
{
    thread->task = 0;
    thread->slot = slot_take();
    if (!CHECK(thread->slot >= 0, "no free thread stack"))
        return false;
    boots[thread->slot].fn = fn;
    boots[thread->slot].arg = arg;
    uintptr_t sp = (uintptr_t)&stacks[thread->slot][STACK_SIZE] - 8;
    *(uint64_t *)sp = 0; /* no return address */
    struct wg_result task = wg_task_create(WG_SELF, (uintptr_t)thread_entry, sp, thread->slot);
    enum wg_error err = task.err;
    if (err == WG_ERR_OK && cpu_mask != 0)
        err = wg_task_set_affinity(WG_SELF, task.value, cpu_mask).err;
    if (err == WG_ERR_OK)
        err = wg_task_start(WG_SELF, task.value).err;
    if (err != WG_ERR_OK) {
        FAIL("starting a thread: %s", wg_error_name(err));
        if (task.err == WG_ERR_OK) { /* a kill starts it so that it ends */
            wg_task_kill(WG_SELF, task.value);
            wg_task_wait(WG_SELF, task.value, SECOND_NS);
            wg_asset_release(WG_SELF, task.value);
        }
        slot_give_back(thread->slot);
        thread->slot = -1;
        return false;
    }
    thread->task = task.value;
    return true;
}

int64_t thread_join(struct thread *thread, uint64_t timeout_ns)
{
    if (thread->task == 0)
        return INT64_MIN;
    struct wg_result status = wg_task_wait(WG_SELF, thread->task, timeout_ns);
    if (status.err != WG_ERR_OK) {
        FAIL("a thread did not end: %s", wg_error_name(status.err));
        wg_task_kill(WG_SELF, thread->task);
        status = wg_task_wait(WG_SELF, thread->task, SECOND_NS);
    }
    wg_asset_release(WG_SELF, thread->task);
    thread->task = 0;
    if (status.err != WG_ERR_OK)
        return INT64_MIN; /* it may still use its stack: the slot stays taken */
    slot_give_back(thread->slot);
    thread->slot = -1;
    return (int64_t)status.value;
}
