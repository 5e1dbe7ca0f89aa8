/* Helper processes (child spaces given handles before they start, optionally pinned to
 * CPUs), server/client pairs in our own space, and small message utilities. */
#include "ipct.h"

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

bool helper_role(struct helper *helper, const char *role, const uint64_t *args, int count,
                 uint64_t cpu_mask)
{
    char numbers[WG_EXEC_MAX_ARGS][20];
    const char *argv[WG_EXEC_MAX_ARGS] = {"ipctest", "helper", role};
    if (!CHECK(count + 3 <= WG_EXEC_MAX_ARGS, "too many arguments for %s", role))
        return false;
    for (int i = 0; i < count; i++) {
        snprintf(numbers[i], sizeof numbers[i], "%llx", (unsigned long long)args[i]);
        argv[3 + i] = numbers[i];
    }
    return helper_exec(helper, "ipctest", count + 3, argv, cpu_mask);
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

bool pair_open(struct pair *pair)
{
    *pair = (struct pair){0};
    pair->server = VALUE(wg_ipc_server_create(WG_SELF, 0, &pair->address));
    if (pair->server != 0)
        pair->client = VALUE(wg_ipc_connect(WG_SELF, pair->address));
    if (pair->client != 0)
        pair->accepted = VALUE(wg_ipc_accept(WG_SELF, pair->server, SECOND_NS));
    if (pair->accepted != 0 && CHECK_OK(wg_ipc_wait_accept(WG_SELF, pair->client, SECOND_NS)))
        return true;
    pair_close(pair);
    return false;
}

void pair_close(struct pair *pair)
{
    wg_handle handles[] = {pair->client, pair->accepted, pair->server};
    for (unsigned i = 0; i < sizeof handles / sizeof handles[0]; i++)
        if (handles[i] != 0)
            CHECK_OK(wg_asset_release(WG_SELF, handles[i]));
    *pair = (struct pair){0};
}

struct wg_message message_of(uint64_t base)
{
    struct wg_message message = {0};
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        message.entries[i].value = base + i;
    return message;
}

void message_drop_assets(const struct wg_message *message)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if ((message->entries[i].flags & WG_ENTRY_ASSET) &&
            !(message->entries[i].flags & WG_ENTRY_DROPPED))
            wg_asset_release(WG_SELF, message->entries[i].value);
}

uint64_t parse_hex(const char *text)
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
