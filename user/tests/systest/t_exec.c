/* EXEC: loading programs from the boot archive into child spaces, its argument checks, and
 * the argument block reaching the program. */
#include "systest.h"

#define STACK_TOP 0x00007ffffff00000ull /* where EXEC puts a program's stack (kernel's layout) */

static struct wg_result exec_in(wg_handle space, const char *name, const struct wg_exec_args *a)
{
    return wg_exec(space, name, strlen(name), a);
}

static void test_exec_hello(void)
{
    const char *argv[] = {"hello", "first", "second"};
    struct wg_process process;
    if (!CHECK_CODE(WG_ERR_OK, wg_spawn("hello", 3, argv, &process)))
        return;
    struct wg_result status = wg_process_wait(&process, 10 * SECOND_NS);
    CHECK(status.err == WG_ERR_OK && status.value == 7, "hello: %s, status %lld",
          wg_error_name(status.err), (long long)status.value);
    CHECK_CODE(WG_ERR_OK, wg_process_destroy(&process));
    /* No arguments at all, not even a name. */
    CHECK(helper_run("hello", 0, NULL) == 7, "hello without arguments");
}

/* Sixteen arguments of WG_EXEC_ARG_MAX_SIZE bytes in all reach the program intact. */
static void test_exec_arguments_arrive(void)
{
    static char strings[WG_EXEC_MAX_ARGS][80];
    const char *argv[WG_EXEC_MAX_ARGS] = {"probe", "argsum"};
    int characters = 11; /* "probe" and "argsum" */
    size_t used = 6 + 7; /* with their NULs */
    for (int i = 2; i < WG_EXEC_MAX_ARGS; i++) {
        size_t length = i + 1 < WG_EXEC_MAX_ARGS ? 71 : WG_EXEC_ARG_MAX_SIZE - used - 1;
        memset(strings[i], 'a' + i, length);
        strings[i][length] = '\0';
        argv[i] = strings[i];
        used += length + 1;
        characters += (int)length;
    }
    CHECK(used == WG_EXEC_ARG_MAX_SIZE, "the test built %u bytes of arguments", (unsigned)used);
    int64_t status = helper_run("probe", WG_EXEC_MAX_ARGS, argv);
    CHECK(status == WG_EXEC_MAX_ARGS * 10000 + characters, "probe argsum gave %lld, not %d",
          (long long)status, WG_EXEC_MAX_ARGS * 10000 + characters);
    /* Empty strings are arguments too. */
    const char *empties[] = {"probe", "argsum", "", "", ""};
    CHECK(helper_run("probe", 5, empties) == 5 * 10000 + 11, "empty arguments were lost");
}

static void test_exec_refusals(void)
{
    const struct wg_exec_args args = {1, 6, "hello", 0};
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, exec_in(WG_SELF, "hello", &args));
    wg_handle shared = VALUE(wg_space_create(WG_SELF, WG_SPACE_SHARE_MEMORY));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, exec_in(shared, "hello", &args));
    CHECK_OK(wg_space_destroy(WG_SELF, shared));
    struct helper child;
    if (!helper_create(&child))
        return;
    CHECK_REFUSED(WG_ERR_NOT_FOUND, exec_in(child.space, "no-such-program", &args));
    CHECK_REFUSED(WG_ERR_NOT_FOUND, exec_in(child.space, "hell", &args));
    static struct wg_asset_info infos[8];
    CHECK(wg_asset_list(child.space, infos, 8).value == 0, "a failed EXEC left assets behind");
    /* A dead space. */
    wg_handle copy = VALUE(wg_asset_copy(WG_SELF, child.space, WG_SELF));
    helper_end(&child);
    CHECK_REFUSED(WG_ERR_STALE_HANDLE, exec_in(copy, "hello", &args));
    CHECK_OK(wg_asset_release(WG_SELF, copy));
}

static void test_exec_bad_names(void)
{
    static const char long_name[64] =
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const struct wg_exec_args args = {1, 6, "hello", 0};
    struct helper child;
    if (!helper_create(&child))
        return;
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_exec(child.space, "hello", 0, &args));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE,
                  wg_exec(child.space, long_name, WG_EXEC_NAME_MAX + 1, &args));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_exec(child.space, long_name, 1ull << 40, &args));
    CHECK_REFUSED(WG_ERR_NOT_FOUND, wg_exec(child.space, long_name, WG_EXEC_NAME_MAX, &args));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_exec(child.space, (const char *)KERNEL_POINTER, 5, &args));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_exec(child.space, (const char *)UNMAPPED_LOW, 5, &args));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_exec(child.space, (const char *)UNMAPPED_HIGH, 5, &args));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_exec(child.space, (const char *)NONCANONICAL, 5, &args));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_exec(child.space, NULL, 5, &args));
    helper_end(&child);
}

static void test_exec_bad_argument_blocks(void)
{
    struct helper child;
    if (!helper_create(&child))
        return;
    const struct {
        struct wg_exec_args args;
        enum wg_error want;
    } cases[] = {
        {{2, 6, "hello", 0}, WG_ERR_BAD_FORMAT},      /* one string, two counted */
        {{1, 8, "hello\0a", 0}, WG_ERR_BAD_FORMAT},   /* two strings, one counted */
        {{1, 5, "hello", 0}, WG_ERR_BAD_FORMAT},      /* no final NUL */
        {{1, 0, "hello", 0}, WG_ERR_BAD_FORMAT},      /* counted, but no bytes */
        {{0, 6, "hello", 0}, WG_ERR_BAD_FORMAT},      /* bytes, but nothing counted */
        {{17, 6, "hello", 0}, WG_ERR_OUT_OF_RANGE},   /* more than WG_EXEC_MAX_ARGS */
        {{1, 1025, "hello", 0}, WG_ERR_OUT_OF_RANGE}, /* more than WG_EXEC_ARG_MAX_SIZE */
        {{1, 1ull << 40, "hello", 0}, WG_ERR_OUT_OF_RANGE},
        {{UINT64_MAX, 6, "hello", 0}, WG_ERR_OUT_OF_RANGE},
        {{1, 6, (const char *)KERNEL_POINTER, 0}, WG_ERR_BAD_ADDRESS},
        {{1, 6, (const char *)UNMAPPED_LOW, 0}, WG_ERR_BAD_ADDRESS},
        {{1, 6, (const char *)UNMAPPED_HIGH, 0}, WG_ERR_BAD_ADDRESS},
        {{1, 6, NULL, 0}, WG_ERR_BAD_ADDRESS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_result r = exec_in(child.space, "hello", &cases[i].args);
        CHECK(r.err == cases[i].want, "argument block %u: %s, expected %s", (unsigned)i,
              wg_error_name(r.err), wg_error_name(cases[i].want));
    }
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, exec_in(child.space, "hello", NULL));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, exec_in(child.space, "hello", (void *)KERNEL_POINTER));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, exec_in(child.space, "hello", (void *)UNMAPPED_HIGH));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, exec_in(child.space, "hello", (void *)(NONCANONICAL - 8)));
    /* The argument block is checked before the target space. */
    CHECK_REFUSED(WG_ERR_BAD_FORMAT, exec_in(WG_SELF, "hello", &cases[0].args));
    helper_end(&child);
}

/* A second EXEC into the same space finds its addresses taken; the first program is fine. */
static void test_exec_twice(void)
{
    const struct wg_exec_args args = {1, 6, "hello", 0};
    struct helper child;
    if (!helper_create(&child))
        return;
    child.task = VALUE(exec_in(child.space, "hello", &args));
    CHECK_REFUSED(WG_ERR_ALREADY_EXISTS, exec_in(child.space, "hello", &args));
    if (child.task && CHECK_OK(wg_task_start(WG_SELF, child.task)))
        CHECK(helper_wait(&child, 5 * SECOND_NS) == 7, "the first program's status");
    helper_end(&child);
}

/* The name is the `length` bytes given, not a C string within them. */
static void test_exec_name_is_exact(void)
{
    const struct wg_exec_args args = {1, 6, "hello", 0};
    struct helper child;
    if (!helper_create(&child))
        return;
    const char *const names[] = {"hello\0", "hello\0xyz"};
    const size_t lengths[] = {6, 9};
    for (int i = 0; i < 2; i++) {
        struct wg_result r = wg_exec(child.space, names[i], lengths[i], &args);
        CHECK(r.err == WG_ERR_NOT_FOUND || r.err == WG_ERR_BAD_FORMAT,
              "EXEC of the %u-byte name \"hello\\0...\" gave %s, not NOT_FOUND or BAD_FORMAT",
              (unsigned)lengths[i], wg_error_name(r.err));
        if (r.err == WG_ERR_OK) { /* it ran hello: clean up */
            wg_task_kill(WG_SELF, r.value);
            wg_task_wait(WG_SELF, r.value, SECOND_NS);
            wg_asset_release(WG_SELF, r.value);
            break;
        }
    }
    helper_end(&child);
}

/* An EXEC that fails late (its stack's place is taken) may leave what it mapped in the
 * target (documented); destroying the target frees it all. */
static void test_exec_late_failure(void)
{
    const struct wg_exec_args args = {1, 6, "hello", 0};
    struct helper child;
    if (!helper_create(&child))
        return;
    wg_handle pmem = VALUE(wg_pmem_create(child.space, 1, 0, WG_PMEM_ANY_NODE));
    CHECK_OK(wg_vmem_map(child.space, pmem, STACK_TOP - 4096, WG_MAP_READ));
    CHECK_REFUSED(WG_ERR_ALREADY_EXISTS, exec_in(child.space, "hello", &args));
    static struct wg_asset_info infos[16];
    uint64_t count = wg_asset_list(child.space, infos, 16).value;
    CHECK(count >= 2, "the target lost our assets (%llu left)", (unsigned long long)count);
    helper_end(&child);
}

/* Lowers its own priority to `arg`, then runs "probe priority"; returns what it reports. */
static int64_t spawn_priority_probe(uint64_t arg)
{
    wg_handle self = wg_task_self().value;
    wg_task_set_priority(WG_SELF, self, (unsigned)arg);
    wg_asset_release(WG_SELF, self);
    struct wg_result space = wg_space_create(WG_SELF, 0);
    if (space.err != WG_ERR_OK)
        return -2;
    const struct wg_exec_args args = {2, 15, "probe\0priority", 0};
    struct wg_result task = wg_exec(space.value, "probe", 5, &args);
    int64_t status = -3;
    if (task.err == WG_ERR_OK && wg_task_start(WG_SELF, task.value).err == WG_ERR_OK) {
        struct wg_result done = wg_task_wait(WG_SELF, task.value, 5 * SECOND_NS);
        status = done.err == WG_ERR_OK ? (int64_t)done.value : -4;
    }
    if (task.err == WG_ERR_OK)
        wg_asset_release(WG_SELF, task.value);
    wg_space_destroy(WG_SELF, space.value);
    return status;
}

/* A program started by a task may not run above that task's priority. */
static void test_exec_priority_capped(void)
{
    int64_t priority = thread_run(spawn_priority_probe, 4);
    CHECK(priority >= 1 && priority <= 4,
          "a priority-4 task started a program that runs at priority %lld", (long long)priority);
}

const struct test exec_tests[] = {
    {"exec_hello", test_exec_hello, false},
    {"exec_arguments_arrive", test_exec_arguments_arrive, false},
    {"exec_refusals", test_exec_refusals, false},
    {"exec_bad_names", test_exec_bad_names, false},
    {"exec_bad_argument_blocks", test_exec_bad_argument_blocks, false},
    {"exec_twice_into_one_space", test_exec_twice, false},
    {"exec_name_is_exact", test_exec_name_is_exact, false},
    {"exec_late_failure", test_exec_late_failure, false},
    {"exec_priority_capped", test_exec_priority_capped, false},
    {NULL, NULL, false},
};
