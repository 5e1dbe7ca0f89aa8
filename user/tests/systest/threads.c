/* Threads for the tests (threads.h). */
#include "test.h"

#define THREAD_STACK_SIZE (16 * 1024)

/* What a new thread finds at the top of its stack: what to run. */
struct thread_boot {
    int64_t (*fn)(uint64_t arg);
    uint64_t arg;
};

/* The kernel enters here with rdi = the boot record and rsp as TASK_CREATE gave it, set up
 * to look like a call (rsp + 8 is 16-byte aligned). */
__attribute__((noreturn)) static void thread_trampoline(struct thread_boot *boot)
{
    wg_task_exit(boot->fn(boot->arg));
}

bool thread_create(struct thread *thread, int64_t (*fn)(uint64_t arg), uint64_t arg)
{
    thread->task = 0;
    thread->stack = malloc(THREAD_STACK_SIZE);
    if (!CHECK(thread->stack != NULL, "malloc of a thread stack failed"))
        return false;
    uintptr_t top = ((uintptr_t)thread->stack + THREAD_STACK_SIZE) & ~(uintptr_t)15;
    struct thread_boot *boot = (struct thread_boot *)(top - sizeof(struct thread_boot));
    boot->fn = fn;
    boot->arg = arg;
    uintptr_t sp = ((uintptr_t)boot & ~(uintptr_t)15) - 8; /* as if just called */
    *(uint64_t *)sp = 0;                                   /* no return address */
    struct wg_result task =
        wg_task_create(WG_SELF, (uintptr_t)thread_trampoline, sp, (uint64_t)(uintptr_t)boot);
    thread->task = VALUE(task);
    if (task.err != WG_ERR_OK) {
        free(thread->stack);
        thread->stack = NULL;
        return false;
    }
    return true;
}

bool thread_spawn(struct thread *thread, int64_t (*fn)(uint64_t arg), uint64_t arg)
{
    if (!thread_create(thread, fn, arg))
        return false;
    return CHECK_OK(wg_task_start(WG_SELF, thread->task));
}

int64_t thread_join(struct thread *thread, uint64_t timeout_ns)
{
    if (thread->task == 0)
        return INT64_MIN;
    struct wg_result status = wg_task_wait(WG_SELF, thread->task, timeout_ns);
    if (status.err != WG_ERR_OK) {
        FAIL("waiting for a thread: %s", wg_error_name(status.err));
        wg_task_kill(WG_SELF, thread->task);
        status = wg_task_wait(WG_SELF, thread->task, SECOND_NS);
    }
    wg_asset_release(WG_SELF, thread->task);
    thread->task = 0;
    if (status.err != WG_ERR_OK)
        return INT64_MIN; /* it may still run on its stack: leave the stack alone */
    free(thread->stack);
    thread->stack = NULL;
    return (int64_t)status.value;
}

int64_t sleep_until_killed(uint64_t arg)
{
    (void)arg;
    while (wg_sleep(SECOND_NS).err == WG_ERR_OK)
        ;
    return -1;
}

int64_t spin_until_killed(uint64_t arg)
{
    volatile bool forever = true;
    (void)arg;
    while (forever)
        __asm__ volatile("pause");
    return -1;
}

int64_t run_in_thread(int64_t (*fn)(uint64_t arg), uint64_t arg)
{
    struct thread thread;
    if (!thread_spawn(&thread, fn, arg))
        return INT64_MIN;
    return thread_join(&thread, 5 * SECOND_NS);
}
