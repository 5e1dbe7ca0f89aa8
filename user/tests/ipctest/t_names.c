/* The name service (root server at address 0, user/lib/names.h, idl/names.idl): names
 * register, resolve and connect, duplicates are refused, names vanish with their
 * registration or their process, malformed requests are refused by the generated decoder,
 * the longest names travel out of line in a memory asset, and the seed's echo example
 * pair works. */
#include <names_idl.h>
#include "ipct.h"

/* Looks `name` up every 5 ms for up to 2 s until the answer is `want`; true if it came. */
static bool lookup_until(const char *name, enum wg_error want, uint64_t *address)
{
    uint64_t deadline = wg_clock().value + 2 * SECOND_NS, found = 0;
    enum wg_error err = wg_name_lookup(name, &found);
    while (err != want && wg_clock().value < deadline) {
        wg_sleep(5 * MS_NS);
        err = wg_name_lookup(name, &found);
    }
    if (address)
        *address = found;
    return CHECK(err == want, "looking up %s gave %s, expected %s", name, wg_error_name(err),
                 wg_error_name(want));
}

static int64_t accept_and_drop(uint64_t server)
{
    struct wg_result accepted = wg_ipc_accept(WG_SELF, server, 5 * SECOND_NS);
    if (wg_ok(accepted))
        wg_asset_release(WG_SELF, accepted.value);
    return accepted.err;
}

static void test_names_register_resolve_refuse(void)
{
    uint64_t address, found = 0;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    wg_handle registration = 0, other = 0, connection = 0;
    if (!server ||
        !CHECK_CODE(WG_ERR_OK, wg_name_register("ipctest.alpha", address, &registration)))
        goto out;
    CHECK_CODE(WG_ERR_OK, wg_name_lookup("ipctest.alpha", &found));
    CHECK(found == address, "found %llu for %llu", (unsigned long long)found,
          (unsigned long long)address);
    CHECK_CODE(WG_ERR_ALREADY_EXISTS, wg_name_register("ipctest.alpha", address + 1, &other));
    struct thread acceptor;
    if (thread_start(&acceptor, accept_and_drop, server, 0)) {
        CHECK_CODE(WG_ERR_OK, wg_connect_by_name("ipctest.alpha", &connection));
        CHECK(thread_join(&acceptor, 5 * SECOND_NS) == WG_ERR_OK, "the accept failed");
    }
    CHECK_OK(wg_asset_release(WG_SELF, registration));
    lookup_until("ipctest.alpha", WG_ERR_NOT_FOUND, NULL);
    CHECK_CODE(WG_ERR_NOT_FOUND, wg_connect_by_name("ipctest.alpha", &other));
out:
    if (connection)
        CHECK_OK(wg_asset_release(WG_SELF, connection));
    if (server)
        CHECK_OK(wg_asset_release(WG_SELF, server));
}

static void test_names_vanish_with_their_process(void)
{
    struct helper helper;
    const char *argv[] = {"ipctest", "helper", "register", "ipctest.beta", "5eed"};
    uint64_t found = 0;
    if (!helper_create(&helper))
        return;
    if (helper_exec(&helper, "ipctest", 5, argv, 0) &&
        lookup_until("ipctest.beta", WG_ERR_OK, &found)) {
        CHECK(found == 0x5eed, "found %llx", (unsigned long long)found);
        helper_end(&helper);
        lookup_until("ipctest.beta", WG_ERR_NOT_FOUND, NULL);
    }
    helper_end(&helper);
}

/* Calls the root server with `request` over `connection`; the error its answer carries. */
static enum wg_error raw_call(wg_handle connection, const struct wg_message *request)
{
    struct wg_message reply;
    enum wg_error err = wg_ipc_call(WG_SELF, connection, request, &reply, 5 * SECOND_NS).err;
    return err == WG_ERR_OK
               ? (enum wg_error)(reply.entries[0].value >> IDL_HEADER_ERROR_SHIFT & 0xff)
               : err;
}

/* A lookup of "ipctest.gamma" as the generated encoder writes it: entry 1 holds the length
 * (byte 0) and the first 7 bytes of the name. */
static void gamma_lookup(struct wg_message *request)
{
    struct name_service_lookup_request lookup = {.name = "ipctest.gamma"};
    name_service_lookup_encode_request(&lookup, request);
}

/* Requests the library would never build, sent by hand: the generated decoder refuses them
 * before the name server sees them. */
static void bad_raw_requests(wg_handle connection)
{
    struct wg_message request;
    gamma_lookup(&request);
    request.entries[0].value = (request.entries[0].value & ~IDL_HEADER_ORDINAL_MASK) | 99;
    CHECK(raw_call(connection, &request) == WG_ERR_NOT_SUPPORTED, "an unknown method");
    gamma_lookup(&request);
    request.entries[1].value &= ~(0xffull << 40); /* a NUL inside the name */
    CHECK(raw_call(connection, &request) == WG_ERR_BAD_FORMAT, "a NUL in the name");
    gamma_lookup(&request);
    request.entries[1].value = (request.entries[1].value & ~0xffull) | 41; /* over string:40 */
    CHECK(raw_call(connection, &request) == WG_ERR_BAD_FORMAT, "a name over its bound");
    gamma_lookup(&request);
    request.entries[0].value |= 1ull << 44; /* a reserved header bit */
    CHECK(raw_call(connection, &request) == WG_ERR_BAD_FORMAT, "a reserved bit");
    struct name_service_lookup_request empty = {.name = ""};
    name_service_lookup_encode_request(&empty, &request);
    CHECK(raw_call(connection, &request) == WG_ERR_INVALID_ARGUMENT, "an empty name");
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    gamma_lookup(&request);
    request.entries[4] = (struct wg_message_entry){page, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
    CHECK(raw_call(connection, &request) == WG_ERR_BAD_FORMAT, "an asset entry");
    gamma_lookup(&request);
    CHECK_OK(wg_ipc_send(WG_SELF, connection, &request, 0)); /* no reply wanted: ignored */
}

static void test_names_bad_requests(void)
{
    char longest[WG_NAME_MAX + 2];
    uint64_t found = 0;
    wg_handle registration = 0;
    memset(longest, 'n', sizeof longest);
    longest[WG_NAME_MAX + 1] = '\0';
    CHECK_CODE(WG_ERR_INVALID_ARGUMENT, wg_name_lookup(longest, &found));
    longest[WG_NAME_MAX] = '\0';
    if (CHECK_CODE(WG_ERR_OK, wg_name_register(longest, 77, &registration))) {
        CHECK_CODE(WG_ERR_OK, wg_name_lookup(longest, &found));
        CHECK(found == 77, "the longest name resolved to %llu", (unsigned long long)found);
        CHECK_OK(wg_asset_release(WG_SELF, registration));
    }
    CHECK_CODE(WG_ERR_INVALID_ARGUMENT, wg_name_lookup("", &found));
    CHECK_CODE(WG_ERR_INVALID_ARGUMENT, wg_name_lookup(NULL, &found));
    if (CHECK_CODE(WG_ERR_OK, wg_name_register("ipctest.delta", UINT64_MAX, &registration))) {
        CHECK_CODE(WG_ERR_OK, wg_name_lookup("ipctest.delta", &found)); /* any address fits */
        CHECK(found == UINT64_MAX, "ipctest.delta resolved to %llx", (unsigned long long)found);
        CHECK_OK(wg_asset_release(WG_SELF, registration));
    }
    CHECK_CODE(WG_ERR_NOT_FOUND, wg_name_lookup("ipctest.none", &found));
    struct wg_result connection = wg_ipc_connect(WG_SELF, WG_IPC_ROOT_ADDRESS);
    if (VALUE(connection) && CHECK_OK(wg_ipc_wait_accept(WG_SELF, connection.value, 5 * SECOND_NS)))
        bad_raw_requests(connection.value);
    if (connection.value)
        CHECK_OK(wg_asset_release(WG_SELF, connection.value));
}

/* The seed's example pair: echo_server registers "echo", echo_client finds it and checks
 * the answer; "echo" is gone once the server is. */
static void test_echo_pair(void)
{
    struct helper server, client;
    const char *server_argv[] = {"echo_server"}, *client_argv[] = {"echo_client"};
    if (!helper_create(&server))
        return;
    if (helper_exec(&server, "echo_server", 1, server_argv, 0) && helper_create(&client)) {
        if (helper_exec(&client, "echo_client", 1, client_argv, 0)) {
            int64_t status = helper_wait(&client, 10 * SECOND_NS);
            CHECK(status == 0, "echo_client exited with %lld", (long long)status);
        }
        helper_end(&client);
    }
    helper_end(&server);
    lookup_until("echo", WG_ERR_NOT_FOUND, NULL);
}

const struct test name_tests[] = {
    {"ipc_names_register_resolve_refuse", test_names_register_resolve_refuse, false},
    {"ipc_names_vanish_with_their_process", test_names_vanish_with_their_process, false},
    {"ipc_names_bad_requests", test_names_bad_requests, false},
    {"ipc_echo_pair", test_echo_pair, false},
    {NULL, NULL, false},
};
