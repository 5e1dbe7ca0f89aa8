/* Child spaces and tiny programs for the tests (children.h). */
#include "test.h"

bool child_create(struct child *child)
{
    child->task = 0;
    struct wg_result space = wg_space_create(WG_SELF, 0);
    child->space = VALUE(space);
    return space.err == WG_ERR_OK;
}

wg_handle child_give(struct child *child, wg_handle handle)
{
    return VALUE(wg_asset_copy(WG_SELF, handle, child->space));
}

bool child_exec(struct child *child, const char *program, int argc, const char *const *argv)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        size_t size = strlen(argv[i]) + 1;
        if (!CHECK(used + size <= sizeof strings, "arguments too long"))
            return false;
        memcpy(strings + used, argv[i], size);
        used += size;
    }
    struct wg_exec_args args = {.count = (uint64_t)argc, .size = used, .strings = strings};
    struct wg_result task = wg_exec(child->space, program, strlen(program), &args);
    child->task = VALUE(task);
    if (task.err != WG_ERR_OK)
        return false;
    return CHECK_OK(wg_task_start(WG_SELF, child->task));
}

int64_t child_wait(struct child *child, uint64_t timeout_ns)
{
    if (child->task == 0)
        return INT64_MIN;
    struct wg_result status = wg_task_wait(WG_SELF, child->task, timeout_ns);
    if (status.err != WG_ERR_OK) {
        FAIL("waiting for a child program: %s", wg_error_name(status.err));
        return INT64_MIN;
    }
    return (int64_t)status.value;
}

void child_destroy(struct child *child)
{
    if (child->task != 0)
        CHECK_OK(wg_asset_release(WG_SELF, child->task));
    if (child->space != 0)
        CHECK_OK(wg_space_destroy(WG_SELF, child->space));
    child->task = 0;
    child->space = 0;
}

int64_t run_program(const char *program, int argc, const char *const *argv)
{
    struct child child;
    int64_t status = INT64_MIN;
    if (!child_create(&child))
        return status;
    if (child_exec(&child, program, argc, argv))
        status = child_wait(&child, 10 * SECOND_NS);
    child_destroy(&child);
    return status;
}

#define CODE_STAGING 0x0000510000000000ull /* where our copy of the code is written */

bool child_code(wg_handle space, enum code_kind kind)
{
    /* clang-format off */
    static const uint8_t exit_1234[] = {
        0xb8, WG_SYS_TASK_EXIT, 0, 0, 0,          /* mov $TASK_EXIT, %eax */
        0xbf, 0xd2, 0x04, 0, 0,                   /* mov $1234, %edi */
        0x0f, 0x05,                               /* syscall */
        0x0f, 0x0b,                               /* ud2 */
    };
    static const uint8_t sleep_forever[] = {
        0xb8, WG_SYS_SLEEP, 0, 0, 0,              /* mov $SLEEP, %eax */
        0x48, 0xc7, 0xc7, 0xff, 0xff, 0xff, 0xff, /* mov $-1, %rdi */
        0x0f, 0x05,                               /* syscall */
        0xeb, 0xf0,                               /* jmp back to the start */
    };
    /* clang-format on */
    struct mapping staging;
    if (!map_new(&staging, 1, CODE_STAGING, WG_MAP_READ | WG_MAP_WRITE))
        return false;
    if (kind == CODE_EXIT_1234)
        memcpy((void *)CODE_STAGING, exit_1234, sizeof exit_1234);
    else
        memcpy((void *)CODE_STAGING, sleep_forever, sizeof sleep_forever);
    wg_handle theirs = VALUE(wg_asset_copy(WG_SELF, staging.pmem, space));
    mapping_release(&staging);
    if (!theirs)
        return false;
    return CHECK_OK(wg_vmem_map(space, theirs, CODE_ADDRESS, WG_MAP_READ | WG_MAP_EXEC));
}

const char *hex_arg(char *buffer, uint64_t value)
{
    snprintf(buffer, 19, "%llx", (unsigned long long)value);
    return buffer;
}
