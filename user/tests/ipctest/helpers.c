/* ipctest's helpers: helper processes running a role of ipctest, server/client pairs in our
 * own space, and small message utilities. */
#include "ipct.h"

uint64_t cpu_count(void)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    return info.cpus;
}

bool helper_role(struct helper *helper, const char *role, const uint64_t *args, int count,
                 uint64_t cpu_mask)
{
    char numbers[WG_EXEC_MAX_ARGS][HELPER_HEX_SIZE];
    const char *argv[WG_EXEC_MAX_ARGS] = {"ipctest", "helper", role};
    if (!CHECK(count + 3 <= WG_EXEC_MAX_ARGS, "too many arguments for %s", role))
        return false;
    for (int i = 0; i < count; i++)
        argv[3 + i] = helper_hex(numbers[i], args[i]);
    return helper_exec(helper, "ipctest", count + 3, argv, cpu_mask);
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
