/* Bad input to the short-message syscalls, each with its exact error: handles never valid,
 * stale, forged and of the wrong kind (a server or the server's end of a connection to
 * IPC_CALL_SHORT, a connection to IPC_REPLY_RECEIVE_SHORT), copies missing a right, a
 * connection not yet accepted, a full queue, and reply tokens that are not the server's to
 * spend: none of them may answer anybody. */
#include "ipct.h"

static enum wg_error call_on(wg_handle connection, uint64_t timeout)
{
    uint64_t words[4] = {1, 2, 3, 4}, reply[4], long_id;
    return wg_ipc_call_words(connection, words, timeout, reply, &long_id);
}

/* Only for handles that are refused: a real server with nothing queued waits for ever. */
static enum wg_error receive_on(wg_handle server, uint64_t token)
{
    uint64_t reply[4] = {1, 2, 3, 4}, words[4];
    wg_handle connection;
    return wg_ipc_reply_receive_words(server, &token, reply, words, &connection);
}

/* A handle to an asset already released. */
static wg_handle dead_server(void)
{
    uint64_t address;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    CHECK_OK(wg_asset_release(WG_SELF, server));
    return server;
}

static void test_bad_handles(void)
{
    struct pair pair;
    struct wg_message got;
    if (!pair_open(&pair))
        return;
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle dead_client = VALUE(wg_ipc_connect(WG_SELF, pair.address));
    CHECK_OK(wg_asset_release(WG_SELF, dead_client));
    wg_handle never[] = {0,       RESERVED_BITS_HANDLE,       pair.client | 1ull << 60,
                         0xfffff, pair.client + (1ull << 24), pair.server + (1ull << 24)};
    for (unsigned i = 0; i < sizeof never / sizeof never[0]; i++) {
        CHECK_CODE(WG_ERR_BAD_HANDLE, call_on(never[i], SECOND_NS));
        CHECK_CODE(WG_ERR_BAD_HANDLE, receive_on(never[i], 0));
    }
    CHECK_CODE(WG_ERR_STALE_HANDLE, call_on(dead_client, SECOND_NS));
    CHECK_CODE(WG_ERR_STALE_HANDLE, receive_on(dead_server(), 0));
    wg_handle not_clients[] = {page, pair.server, pair.accepted};
    for (unsigned i = 0; i < 3; i++)
        CHECK_CODE(WG_ERR_WRONG_KIND, call_on(not_clients[i], SECOND_NS));
    wg_handle not_servers[] = {page, pair.client, pair.accepted};
    for (unsigned i = 0; i < 3; i++)
        CHECK_CODE(WG_ERR_WRONG_KIND, receive_on(not_servers[i], 0));
    CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive(WG_SELF, pair.server, &got, 0));
    CHECK_OK(wg_asset_release(WG_SELF, page));
    pair_close(&pair);
}

/* A copy of `handle` with every right but those in `without`. */
static wg_handle weaker(wg_handle handle, uint32_t without)
{
    return VALUE(wg_asset_copy_rights(WG_SELF, handle, WG_SELF, WG_RIGHTS_ALL & ~without));
}

static void test_missing_rights(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    uint32_t needed[] = {WG_RIGHT_READ, WG_RIGHT_WRITE};
    for (unsigned i = 0; i < 2; i++) {
        wg_handle client = weaker(pair.client, needed[i]);
        wg_handle server = weaker(pair.server, needed[i]);
        CHECK_CODE(WG_ERR_ACCESS_DENIED, call_on(client, SECOND_NS));
        CHECK_CODE(WG_ERR_ACCESS_DENIED, receive_on(server, 0));
        CHECK_OK(wg_asset_release(WG_SELF, client));
        CHECK_OK(wg_asset_release(WG_SELF, server));
    }
    /* Read and write are enough: a call that only checks, a receive of a queued message. */
    uint32_t others = WG_RIGHTS_ALL & ~(WG_RIGHT_READ | WG_RIGHT_WRITE);
    wg_handle client = weaker(pair.client, others), server = weaker(pair.server, others);
    CHECK_CODE(WG_ERR_WOULD_BLOCK, call_on(client, 0));
    short_send(client, 9);
    short_take(server, 0, 9, true);
    CHECK_OK(wg_asset_release(WG_SELF, client));
    CHECK_OK(wg_asset_release(WG_SELF, server));
    pair_close(&pair);
}

/* Refusals that must come at once, whatever the timeout: not accepted yet (BUSY), a full
 * queue (WOULD_BLOCK), the server's end gone (PEER_CLOSED). */
static void test_refused_at_once(void)
{
    struct pair pair;
    struct wg_message message = {0};
    if (!pair_open(&pair))
        return;
    wg_handle pending = VALUE(wg_ipc_connect(WG_SELF, pair.address));
    CHECK_CODE(WG_ERR_BUSY, call_on(pending, WG_WAIT_FOREVER));
    wg_handle accepted = VALUE(wg_ipc_accept(WG_SELF, pair.server, SECOND_NS));
    CHECK_CODE(WG_ERR_WOULD_BLOCK, call_on(pending, 0));
    for (int i = 0; i < WG_IPC_QUEUE_MAX; i++)
        if (!CHECK_OK(wg_ipc_send(WG_SELF, pending, &message, 0)))
            break;
    CHECK_CODE(WG_ERR_WOULD_BLOCK, call_on(pending, WG_WAIT_FOREVER));
    CHECK_OK(wg_asset_release(WG_SELF, accepted));
    CHECK_CODE(WG_ERR_PEER_CLOSED, call_on(pending, WG_WAIT_FOREVER));
    CHECK_OK(wg_asset_release(WG_SELF, pending));
    pair_close(&pair);
}

/* Tokens of another server, never issued, or already spent: IPC_REPLY_RECEIVE_SHORT drops
 * the reply and receives; the caller they might name is not answered. */
static void test_foreign_tokens(void)
{
    struct pair one, two;
    struct wg_message message = message_of(5), got;
    if (!pair_open(&one))
        return;
    if (pair_open(&two)) {
        uint64_t id = VALUE(wg_ipc_send(WG_SELF, one.client, &message, WG_IPC_EXPECT_REPLY));
        uint64_t theirs = VALUE(wg_ipc_receive(WG_SELF, one.server, &got, 0));
        uint64_t tokens[] = {theirs, theirs + 1000, UINT64_MAX, 1, theirs ^ 1ull << 63};
        for (unsigned i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
            short_send(two.client, 300 + i);
            short_take(two.server, tokens[i], 300 + i, true);
            CHECK_ERR(WG_ERR_WOULD_BLOCK, wg_ipc_receive_reply(WG_SELF, one.client, id, &got, 0));
        }
        uint64_t mine_id = VALUE(wg_ipc_send(WG_SELF, two.client, &message, WG_IPC_EXPECT_REPLY));
        uint64_t mine = VALUE(wg_ipc_receive(WG_SELF, two.server, &got, 0));
        short_send(two.client, 400);
        short_take(two.server, mine, 400, true);
        if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, two.client, mine_id, &got, 0)))
            CHECK(got.entries[0].value == 400, "the reply carried %llu",
                  (unsigned long long)got.entries[0].value);
        short_send(two.client, 401); /* spent now: nothing is answered twice */
        short_take(two.server, mine, 401, true);
        CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_receive_reply(WG_SELF, two.client, mine_id, &got, 0));
        CHECK_OK(wg_ipc_reply(WG_SELF, one.server, theirs, &message));
        if (CHECK_OK(wg_ipc_receive_reply(WG_SELF, one.client, id, &got, 0)))
            CHECK(got.entries[0].value == 5, "their reply carried %llu",
                  (unsigned long long)got.entries[0].value);
        pair_close(&two);
    }
    pair_close(&one);
}

const struct test short_error_tests[] = {
    {"ipc_short_bad_handles", test_bad_handles, false},
    {"ipc_short_missing_rights", test_missing_rights, false},
    {"ipc_short_refused_at_once", test_refused_at_once, false},
    {"ipc_short_foreign_tokens", test_foreign_tokens, false},
    {NULL, NULL, false},
};
