/* Helper processes in child spaces (helper.h). */
#include "test.h"

bool helper_create(struct helper *helper)
{
    helper->task = 0;
    struct wg_result space = wg_space_create(WG_SELF, 0);
    helper->space = VALUE(space);
    return space.err == WG_ERR_OK;
}

wg_handle helper_give(struct helper *helper, wg_handle handle)
{
    return VALUE(wg_asset_copy(WG_SELF, handle, helper->space));
}

/* Packs argv into `strings` as EXEC wants it; false if it does not fit. */
static bool pack_args(int argc, const char *const *argv, char *strings, struct wg_exec_args *args)
{
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        size_t size = strlen(argv[i]) + 1;
        if (used + size > WG_EXEC_ARG_MAX_SIZE)
            return false;
        memcpy(strings + used, argv[i], size);
        used += size;
    }
    *args = (struct wg_exec_args){.count = (uint64_t)argc, .size = used, .strings = strings};
    return true;
}

bool helper_exec(struct helper *helper, const char *program, int argc, const char *const *argv,
                 uint64_t cpu_mask)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args args;
    if (!CHECK(pack_args(argc, argv, strings, &args), "arguments of %s too long", program))
        return false;
    struct wg_result task = wg_exec(helper->space, program, strlen(program), &args);
    helper->task = VALUE(task);
    if (task.err != WG_ERR_OK)
        return false;
    if (cpu_mask != 0 && !CHECK_OK(wg_task_set_affinity(WG_SELF, helper->task, cpu_mask)))
        return false;
    return CHECK_OK(wg_task_start(WG_SELF, helper->task));
}

int64_t helper_wait(struct helper *helper, uint64_t timeout_ns)
{
    if (helper->task == 0)
        return INT64_MIN;
    struct wg_result status = wg_task_wait(WG_SELF, helper->task, timeout_ns);
    if (status.err != WG_ERR_OK) {
        FAIL("waiting for a helper: %s", wg_error_name(status.err));
        return INT64_MIN;
    }
    return (int64_t)status.value;
}

void helper_end(struct helper *helper)
{
    if (helper->task != 0)
        CHECK_OK(wg_asset_release(WG_SELF, helper->task));
    if (helper->space != 0)
        CHECK_OK(wg_space_destroy(WG_SELF, helper->space));
    helper->task = 0;
    helper->space = 0;
}

int64_t helper_run(const char *program, int argc, const char *const *argv)
{
    struct helper helper;
    int64_t status = INT64_MIN;
    if (!helper_create(&helper))
        return status;
    if (helper_exec(&helper, program, argc, argv, 0))
        status = helper_wait(&helper, 10 * SECOND_NS);
    helper_end(&helper);
    return status;
}

const char *helper_hex(char *buffer, uint64_t value)
{
    snprintf(buffer, HELPER_HEX_SIZE, "%llx", (unsigned long long)value);
    return buffer;
}

uint64_t helper_parse_hex(const char *text)
{
    uint64_t value = 0;
    for (; text && *text; text++) {
        char c = *text;
        unsigned digit = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                                : 16;
        if (digit == 16)
            return 0;
        value = value << 4 | digit;
    }
    return value;
}
