/* Threads on a fixed stack pool (thread.h). */
#include "test.h"

#define STACK_SIZE (16 * 1024)

static uint8_t stacks[THREADS_MAX][STACK_SIZE] __attribute__((aligned(16)));
static bool slot_used[THREADS_MAX];
static struct {
    thread_fn fn;
    uint64_t arg;
} boots[THREADS_MAX];

/* Where a thread starts: rdi = its slot, rsp as if it had just been called (rsp + 8 is
 * 16-byte aligned). */
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

static void slot_give_back(struct thread *thread)
{
    __atomic_store_n(&slot_used[thread->slot], false, __ATOMIC_RELEASE);
    thread->slot = -1;
}

bool thread_create(struct thread *thread, thread_fn fn, uint64_t arg)
{
    return thread_create_in(thread, WG_SELF, fn, arg);
}

void thread_forget(struct thread *thread)
{
    thread->task = 0;
    if (thread->slot >= 0)
        slot_give_back(thread);
}

bool thread_create_in(struct thread *thread, wg_handle space, thread_fn fn, uint64_t arg)
{
    thread->task = 0;
    thread->space = space;
    thread->slot = slot_take();
    if (!CHECK(thread->slot >= 0, "no free thread stack"))
        return false;
    boots[thread->slot].fn = fn;
    boots[thread->slot].arg = arg;
    uintptr_t sp = (uintptr_t)&stacks[thread->slot][STACK_SIZE] - 8;
    *(uint64_t *)sp = 0; /* no return address */
    struct wg_result task =
        wg_task_create(space, (uintptr_t)thread_entry, sp, (uint64_t)thread->slot);
    thread->task = VALUE(task);
    if (task.err != WG_ERR_OK) {
        slot_give_back(thread);
        return false;
    }
    return true;
}

bool thread_start(struct thread *thread, thread_fn fn, uint64_t arg, uint64_t cpu_mask)
{
    if (!thread_create(thread, fn, arg))
        return false;
    enum wg_error err = WG_ERR_OK;
    if (cpu_mask != 0)
        err = wg_task_set_affinity(thread->space, thread->task, cpu_mask).err;
    if (err == WG_ERR_OK)
        err = wg_task_start(thread->space, thread->task).err;
    if (err == WG_ERR_OK)
        return true;
    FAIL("starting a thread: %s", wg_error_name(err));
    wg_task_kill(thread->space, thread->task); /* a kill starts it so that it ends */
    wg_task_wait(thread->space, thread->task, SECOND_NS);
    wg_asset_release(thread->space, thread->task);
    thread->task = 0;
    slot_give_back(thread);
    return false;
}

int64_t thread_join(struct thread *thread, uint64_t timeout_ns)
{
    if (thread->task == 0)
        return INT64_MIN;
    struct wg_result status = wg_task_wait(thread->space, thread->task, timeout_ns);
    if (status.err != WG_ERR_OK) {
        FAIL("a thread did not end: %s", wg_error_name(status.err));
        wg_task_kill(thread->space, thread->task);
        status = wg_task_wait(thread->space, thread->task, SECOND_NS);
    }
    wg_asset_release(thread->space, thread->task);
    thread->task = 0;
    if (status.err != WG_ERR_OK)
        return INT64_MIN; /* it may still run on its stack: the slot stays taken */
    slot_give_back(thread);
    return (int64_t)status.value;
}

int64_t thread_run(thread_fn fn, uint64_t arg)
{
    struct thread thread;
    if (!thread_start(&thread, fn, arg, 0))
        return INT64_MIN;
    return thread_join(&thread, 5 * SECOND_NS);
}

int64_t thread_sleep_until_killed(uint64_t arg)
{
    (void)arg;
    while (wg_sleep(SECOND_NS).err == WG_ERR_OK)
        ;
    return -1;
}

int64_t thread_spin_until_killed(uint64_t arg)
{
    volatile bool forever = true;
    (void)arg;
    while (forever)
        __asm__ volatile("pause");
    return -1;
}
