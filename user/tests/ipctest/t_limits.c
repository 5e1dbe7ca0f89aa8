/* Limits and refusals: the per-connection queue bound, sending before the accept, the root
 * address taken once, unknown addresses; and that a refused call, receive or reply leaves
 * its message where it was (checks come before anything changes). */
#include "ipct.h"

/* WG_IPC_QUEUE_MAX plain sends fit, the next one does not until one is received. */
static void test_queue_full_of_sends(void)
{
    struct pair pair;
    struct wg_message message = message_of(0), out;
    if (!pair_open(&pair))
        return;
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        if (!CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0)))
            break;
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_call(WG_SELF, pair.client, &message, &out, SECOND_NS));
    CHECK_OK(wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    pair_close(&pair);
}

/* Messages awaiting a reply, or replied but not collected, count against the bound too. */
static void test_queue_full_of_calls(void)
{
    static uint64_t ids[WG_IPC_QUEUE_MAX], tokens[WG_IPC_QUEUE_MAX];
    struct pair pair;
    struct wg_message message = message_of(0), out;
    if (!pair_open(&pair))
        return;
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        ids[i] = VALUE(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        tokens[i] = VALUE(wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, tokens[i], &message));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, ids[7], &out, 0));
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &message, 0));
    pair_close(&pair); /* the 63 replies never collected go with it */
}

static void test_send_before_accept(void)
{
    uint64_t address;
    struct wg_message message = message_of(0), out;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    wg_handle client = VALUE(wg_ipc_connect(WG_SELF, address));
    CHECK_ERR(WG_ERR_BUSY, wg_ipc_send(WG_SELF, client, &message, 0));
    CHECK_ERR(WG_ERR_BUSY, wg_ipc_call(WG_SELF, client, &message, &out, SECOND_NS));
    wg_handle accepted = VALUE(wg_ipc_accept(WG_SELF, server, 0));
    CHECK_OK(wg_ipc_send(WG_SELF, client, &message, 0));
    /* The server's end closed: the client hears PEER_CLOSED. */
    CHECK_OK(wg_asset_release(WG_SELF, accepted));
    CHECK_ERR(WG_ERR_PEER_CLOSED, wg_ipc_send(WG_SELF, client, &message, 0));
    CHECK_OK(wg_asset_release(WG_SELF, client));
    CHECK_OK(wg_asset_release(WG_SELF, server));
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_connect(WG_SELF, address));
}

static void test_server_create_and_connect_refusals(void)
{
    uint64_t address = 12345;
    CHECK_ERR(WG_ERR_ALREADY_EXISTS, wg_ipc_server_create(WG_SELF, WG_IPC_SERVER_ROOT, &address));
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, wg_ipc_server_create(WG_SELF, 2, &address));
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_connect(WG_SELF, 0xdeadbeef));
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_connect(WG_SELF, UINT64_MAX));
    CHECK_ERR(WG_ERR_BAD_HANDLE, wg_ipc_connect(0xfffff, WG_IPC_ROOT_ADDRESS));
}

/* A call whose reply buffer is unmapped is refused before anything is sent. */
static void test_call_checks_reply_buffer_first(void)
{
    struct pair pair;
    struct wg_message message = message_of(0), out;
    if (!pair_open(&pair))
        return;
    CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_call(WG_SELF, pair.client, &message,
                                              (void *)(uintptr_t)UNMAPPED_LOW, 100 * MS_NS));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    pair_close(&pair);
}

/* Receiving into a read-only buffer is refused and the message stays to be received. */
static void test_receive_into_read_only_buffer(void)
{
    struct pair pair;
    struct wg_message message = message_of(60), out;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle vmem = VALUE(wg_vmem_map(WG_SELF, page, SCRATCH_ADDRESS, WG_MAP_READ));
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    void *read_only = (void *)(uintptr_t)SCRATCH_ADDRESS;
    CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_receive(WG_SELF, pair.server, read_only, 0));
    struct wg_result token = wg_ipc_receive(WG_SELF, pair.server, &out, 0);
    if (CHECK_OK(token) && CHECK(token.value != 0, "no token")) {
        CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, token.value, &message));
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_receive_reply(WG_SELF, pair.client, id, read_only, 0));
        CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &out, 0));
    }
    CHECK_OK(wg_asset_release(WG_SELF, vmem));
    CHECK_OK(wg_asset_release(WG_SELF, page));
    pair_close(&pair);
}

/* A reply refused for a bad entry leaves its token valid and the caller still waiting. */
static void test_refused_reply_keeps_token(void)
{
    struct pair pair;
    struct wg_message message = message_of(70), out, bad = {0};
    if (!pair_open(&pair))
        return;
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    bad.entries[2] = (struct wg_message_entry){0xfffff, WG_ENTRY_ASSET, 0};
    CHECK_ERR(WG_ERR_BAD_HANDLE, wg_ipc_reply(WG_SELF, pair.server, token, &bad));
    bad.entries[2].flags = 8;
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, wg_ipc_reply(WG_SELF, pair.server, token, &bad));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive_reply(WG_SELF, pair.client, id, &out, 0));
    CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, token, &message));
    if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &out, 0)))
        CHECK(out.entries[0].value == 70, "the reply carried %llu",
              (unsigned long long)out.entries[0].value);
    pair_close(&pair);
}

const struct test limit_tests[] = {
    {"ipc_queue_full_of_sends", test_queue_full_of_sends, false},
    {"ipc_queue_full_of_calls", test_queue_full_of_calls, false},
    {"ipc_send_before_accept", test_send_before_accept, false},
    {"ipc_server_create_and_connect_refusals", test_server_create_and_connect_refusals, false},
    {"ipc_call_checks_reply_buffer_first", test_call_checks_reply_buffer_first, false},
    {"ipc_receive_into_read_only_buffer", test_receive_into_read_only_buffer, false},
    {"ipc_refused_reply_keeps_token", test_refused_reply_keeps_token, false},
    {NULL, NULL, false},
};
