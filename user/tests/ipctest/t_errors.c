/* Bad inputs, each with its exact error: handles of the wrong kind, dead or never valid,
 * reply tokens spent or foreign, replies collected by the wrong task or for unknown ids, bad
 * entry flags and entry handles, and message pointers no user copy may use. */
#include "ipct.h"

static void test_wrong_handle_kinds(void)
{
    struct pair pair;
    struct wg_message message = message_of(0), out;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle not_connections[] = {page, pair.server};
    for (unsigned i = 0; i < 2; i++) {
        wg_handle h = not_connections[i];
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_send(WG_SELF, h, &message, 0));
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_call(WG_SELF, h, &message, &out, 0));
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_receive_reply(WG_SELF, h, 1, &out, 0));
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_wait_accept(WG_SELF, h, 0));
    }
    wg_handle not_servers[] = {page, pair.client, pair.accepted};
    for (unsigned i = 0; i < 3; i++) {
        wg_handle h = not_servers[i];
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_receive(WG_SELF, h, &out, 0));
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_accept(WG_SELF, h, 0));
        CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_reply(WG_SELF, h, 1, &message));
    }
    /* The server's end of a connection is not a client's. */
    CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_send(WG_SELF, pair.accepted, &message, 0));
    CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_call(WG_SELF, pair.accepted, &message, &out, 0));
    CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_receive_reply(WG_SELF, pair.accepted, 1, &out, 0));
    CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_wait_accept(WG_SELF, pair.accepted, 0));
    /* A space argument that is not a space; no handle; a released one. */
    CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_send(page, pair.client, &message, 0));
    CHECK_ERR(WG_ERR_WRONG_KIND, wg_ipc_connect(page, pair.address));
    CHECK_ERR(WG_ERR_BAD_HANDLE, wg_ipc_send(WG_SELF, 0, &message, 0));
    CHECK_ERR(WG_ERR_BAD_HANDLE, wg_ipc_receive(WG_SELF, (wg_handle)1 << 60, &out, 0));
    CHECK_OK(wg_asset_release(WG_SELF, page));
    CHECK_ERR(WG_ERR_STALE_HANDLE, wg_ipc_send(WG_SELF, page, &message, 0));
    pair_close(&pair);
}

/* A message sent on the pair expecting a reply, and the server's token for it. */
static uint64_t request_token(struct pair *pair, uint64_t *id)
{
    struct wg_message message = message_of(40), got;
    *id = VALUE(wg_ipc_send(WG_SELF, pair->client, &message, WG_IPC_EXPECT_REPLY));
    return VALUE(wg_ipc_receive(WG_SELF, pair->server, &got, SECOND_NS));
}

static void test_reply_tokens(void)
{
    struct pair one, two;
    struct wg_message reply = message_of(41), got;
    if (!pair_open(&one))
        return;
    if (pair_open(&two)) {
        uint64_t id;
        uint64_t token = request_token(&one, &id);
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, two.server, token, &reply));
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, one.server, 0, &reply));
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, one.server, token + 1000, &reply));
        CHECK_OK(wg_ipc_reply(WG_SELF, one.server, token, &reply));
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_reply(WG_SELF, one.server, token, &reply));
        CHECK_OK(wg_ipc_receive_reply(WG_SELF, one.client, id, &got, SECOND_NS));
        CHECK(got.entries[0].value == 41, "the reply carried %llu",
              (unsigned long long)got.entries[0].value);
        pair_close(&two);
    }
    pair_close(&one);
}

struct collect_job {
    wg_handle connection;
    uint64_t id;
};

static int64_t collect_other(uint64_t arg)
{
    struct collect_job *job = (struct collect_job *)arg;
    struct wg_message out;
    return wg_ipc_receive_reply(WG_SELF, job->connection, job->id, &out, 0).err;
}

static void test_reply_collection(void)
{
    struct pair pair;
    struct wg_message reply = message_of(50), got;
    if (!pair_open(&pair))
        return;
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_receive_reply(WG_SELF, pair.client, 999, &got, 0));
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_receive_reply(WG_SELF, pair.client, 0, &got, 0));
    uint64_t id;
    uint64_t token = request_token(&pair, &id);
    CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, token, &reply));
    struct collect_job job = {pair.client, id};
    struct thread other;
    if (thread_start(&other, collect_other, (uint64_t)&job, 0)) {
        int64_t status = thread_join(&other, 2 * SECOND_NS);
        CHECK(status == WG_ERR_ACCESS_DENIED, "another task collecting the reply got %s",
              wg_error_name((int)status));
    }
    CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0));
    pair_close(&pair);
}

/* `message` is refused with `want`, and nothing reaches the server. */
static void refused_send(struct pair *pair, const struct wg_message *message, enum wg_error want)
{
    struct wg_message out;
    CHECK_ERR(want, wg_ipc_send(WG_SELF, pair->client, message, 0));
    CHECK_ERR(want, wg_ipc_call(WG_SELF, pair->client, message, &out, 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair->server, &out, 0));
}

static void test_bad_entry_flags(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    uint32_t bad[] = {WG_ENTRY_MOVE, WG_ENTRY_DROPPED, WG_ENTRY_ASSET | WG_ENTRY_DROPPED, 8,
                      0x80000000u};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_message message = {0};
        message.entries[0] = (struct wg_message_entry){page, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
        message.entries[4] = (struct wg_message_entry){page, bad[i], 0};
        refused_send(&pair, &message, WG_ERR_INVALID_ARGUMENT);
    }
    struct wg_asset_info info;
    CHECK_OK(wg_asset_info(WG_SELF, page, &info)); /* not moved by a refused send */
    struct wg_message message = message_of(0);
    CHECK_ERR(WG_ERR_INVALID_ARGUMENT, wg_ipc_send(WG_SELF, pair.client, &message, 2));
    CHECK_OK(wg_asset_release(WG_SELF, page));
    pair_close(&pair);
}

static void test_bad_entry_handles(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle dead = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    CHECK_OK(wg_asset_release(WG_SELF, dead));
    wg_handle bad[] = {0, 0xfffff, (wg_handle)1 << 60, dead};
    enum wg_error want[] = {WG_ERR_BAD_HANDLE, WG_ERR_BAD_HANDLE, WG_ERR_BAD_HANDLE,
                            WG_ERR_STALE_HANDLE};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_message message = {0};
        message.entries[1] = (struct wg_message_entry){page, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
        message.entries[5] = (struct wg_message_entry){bad[i], WG_ENTRY_ASSET, 0};
        refused_send(&pair, &message, want[i]);
    }
    struct wg_asset_info info;
    CHECK_OK(wg_asset_info(WG_SELF, page, &info)); /* not moved by a refused send */
    CHECK_OK(wg_asset_release(WG_SELF, page));
    pair_close(&pair);
}

static void test_bad_message_pointers(void)
{
    struct pair pair;
    struct wg_message message = message_of(0), out;
    if (!pair_open(&pair))
        return;
    uint64_t bad[] = {UNMAPPED_LOW, KERNEL_POINTER, 0x0000800000000000ull, UINT64_MAX - 8};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *p = (void *)(uintptr_t)bad[i];
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_send(WG_SELF, pair.client, p, 0));
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_call(WG_SELF, pair.client, p, &out, 0));
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_reply(WG_SELF, pair.server, 1, p));
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_server_create(WG_SELF, 0, p));
    }
    /* Output buffers, with a message waiting that must survive the refusal. */
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &message, WG_IPC_EXPECT_REPLY));
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *p = (void *)(uintptr_t)bad[i];
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_receive(WG_SELF, pair.server, p, 0));
        CHECK_ERR(WG_ERR_BAD_ADDRESS, wg_ipc_receive_reply(WG_SELF, pair.client, id, p, 0));
    }
    CHECK_ERR(WG_ERR_BAD_ADDRESS,
              wg_ipc_call(WG_SELF, pair.client, &message, (void *)(uintptr_t)KERNEL_POINTER, 0));
    uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, token, &message));
    CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &out, 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &out, 0));
    pair_close(&pair);
}

const struct test error_tests[] = {
    {"ipc_wrong_handle_kinds", test_wrong_handle_kinds, false},
    {"ipc_reply_tokens", test_reply_tokens, false},
    {"ipc_reply_collection", test_reply_collection, false},
    {"ipc_bad_entry_flags", test_bad_entry_flags, false},
    {"ipc_bad_entry_handles", test_bad_entry_handles, false},
    {"ipc_bad_message_pointers", test_bad_message_pointers, false},
    {NULL, NULL, false},
};
