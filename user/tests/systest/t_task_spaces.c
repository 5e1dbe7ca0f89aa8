/* Tasks in child spaces: made by TASK_CREATE in a child with its own address space (running
 * code mapped there) or sharing ours, and killed when their space is destroyed, started or
 * not. */
#include "systest.h"

/* A task made in a child that shares our address space runs our code, belongs to the
 * child, and dies with it. */
static void test_task_in_shared_child(void)
{
    enum { STACK = 16384 };
    wg_handle child = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    char *stack = malloc(STACK);
    wg_handle task = 0;
    if (child && CHECK(stack != NULL, "malloc failed")) {
        uintptr_t sp = (((uintptr_t)stack + STACK) & ~(uintptr_t)15) - 8;
        *(uint64_t *)sp = 0;
        wg_handle made = VALUE(wg_task_create(child, (uintptr_t)thread_sleep_until_killed, sp, 0));
        task = made ? VALUE(wg_asset_copy(child, made, WG_SELF)) : 0;
        if (task)
            CHECK_OK(wg_task_start(WG_SELF, task));
    }
    wg_sleep(2 * MS_NS);
    if (task)
        CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, task, 0));
    if (child)
        CHECK_OK(wg_space_destroy(WG_SELF, child));
    if (task) {
        struct wg_result status = wg_task_wait(WG_SELF, task, 2 * SECOND_NS);
        CHECK(status.err == WG_ERR_OK && (int64_t)status.value == WG_EXIT_KILLED,
              "the shared child's task: %s, status %lld", wg_error_name(status.err),
              (long long)status.value);
        CHECK_OK(wg_asset_release(WG_SELF, task));
    }
    free(stack);
}

/* A task made by TASK_CREATE in a child space with its own address space runs the code
 * mapped there; its handle is in the child's table. */
static void test_task_in_child_space(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    if (!child || !code_map(child, CODE_EXIT_1234)) {
        wg_space_destroy(WG_SELF, child);
        return;
    }
    wg_handle task = VALUE(wg_task_create(child, CODE_ADDRESS, 0, 0));
    struct wg_asset_info info;
    CHECK_OK(wg_asset_info(child, task, &info));
    CHECK_OK(wg_task_start(child, task));
    struct wg_result status = wg_task_wait(child, task, 2 * SECOND_NS);
    CHECK(status.err == WG_ERR_OK && status.value == 1234, "the child's task: %s, status %lld",
          wg_error_name(status.err), (long long)status.value);
    CHECK_OK(wg_space_destroy(WG_SELF, child));
}

/* Destroying a space kills its tasks; a handle we hold sees them end killed. */
static void test_space_destroy_kills_tasks(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    if (!child || !code_map(child, CODE_SLEEP_FOREVER)) {
        wg_space_destroy(WG_SELF, child);
        return;
    }
    wg_handle tasks[3];
    for (int i = 0; i < 3; i++) {
        wg_handle theirs = VALUE(wg_task_create(child, CODE_ADDRESS, 0, 0));
        tasks[i] = VALUE(wg_asset_copy(child, theirs, WG_SELF));
        CHECK_OK(wg_task_start(WG_SELF, tasks[i]));
    }
    wg_sleep(5 * MS_NS);
    CHECK_REFUSED(WG_ERR_WOULD_BLOCK, wg_task_wait(WG_SELF, tasks[0], 0));
    CHECK_OK(wg_space_destroy(WG_SELF, child));
    for (int i = 0; i < 3; i++) {
        struct wg_result status = wg_task_wait(WG_SELF, tasks[i], 2 * SECOND_NS);
        CHECK(status.err == WG_ERR_OK && (int64_t)status.value == WG_EXIT_KILLED,
              "a task of a destroyed space: %s, status %lld", wg_error_name(status.err),
              (long long)status.value);
        CHECK_OK(wg_asset_release(WG_SELF, tasks[i]));
    }
}

static int64_t destroy_space(uint64_t space)
{
    return wg_space_destroy(WG_SELF, space).err;
}

/* A space whose task was created but never started can still be destroyed. Done by a
 * thread, so a hang is seen (and broken by killing the thread) instead of stopping us. */
static void test_space_destroy_with_unstarted_task(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    if (!child || !code_map(child, CODE_SLEEP_FOREVER)) {
        wg_space_destroy(WG_SELF, child);
        return;
    }
    VALUE(wg_task_create(child, CODE_ADDRESS, 0, 0));
    struct thread destroyer;
    if (!thread_start(&destroyer, destroy_space, child, 0))
        return;
    struct wg_result status = wg_task_wait(WG_SELF, destroyer.task, 2 * SECOND_NS);
    if (status.err == WG_ERR_TIMED_OUT)
        FAIL("SPACE_DESTROY of a space with a never-started task hangs");
    else
        CHECK(status.err == WG_ERR_OK && status.value == WG_ERR_OK, "SPACE_DESTROY: %s",
              wg_error_name((int)status.value));
    thread_join(&destroyer, SECOND_NS);
}

const struct test task_space_tests[] = {
    {"task_in_child_space", test_task_in_child_space, false},
    {"task_in_shared_child", test_task_in_shared_child, false},
    {"space_destroy_kills_tasks", test_space_destroy_kills_tasks, false},
    {"space_destroy_with_unstarted_task", test_space_destroy_with_unstarted_task, false},
    {NULL, NULL, false},
};
