/* Messages going across: calls between two spaces on one CPU and on two, between threads of
 * one space, send + receive-reply with ids and tokens, memory shared through a message, and
 * assets copied or moved. */
#include "ipct.h"

#define CALLS 200

struct call_job {
    uint64_t address;     /* connect to this... */
    wg_handle connection; /* ...or use this connection when it is not 0 */
    uint64_t calls;
};

/* Calls CALLS times, checking each reply (data[0] + 1, the rest echoed); 0 or a line. */
static int64_t call_many(uint64_t arg)
{
    struct call_job *job = (struct call_job *)arg;
    wg_handle connection = job->connection;
    if (connection == 0) {
        struct wg_result connected = wg_ipc_connect(WG_SELF, job->address);
        if (!wg_ok(connected) || !wg_ok(wg_ipc_wait_accept(WG_SELF, connected.value, SECOND_NS)))
            return __LINE__;
        connection = connected.value;
    }
    int64_t status = 0;
    for (uint64_t i = 0; i < job->calls && status == 0; i++) {
        struct wg_message request = message_of(i * 10), reply;
        if (!wg_ok(wg_ipc_call(WG_SELF, connection, &request, &reply, 5 * SECOND_NS)))
            status = __LINE__;
        request.entries[0].value++;
        for (unsigned e = 0; e < WG_MESSAGE_ENTRIES && status == 0; e++)
            if (reply.entries[e].value != request.entries[e].value || reply.entries[e].flags)
                status = __LINE__;
    }
    if (job->connection == 0)
        wg_asset_release(WG_SELF, connection);
    return status;
}

/* A helper process serves an echo server of ours, pinned to server_cpu; a thread of ours
 * pinned to client_cpu calls it. */
static void call_between_spaces(unsigned server_cpu, unsigned client_cpu)
{
    if (server_cpu >= cpu_count() || client_cpu >= cpu_count()) {
        printf("ipctest: only %llu CPUs: cross-CPU case not run\n",
               (unsigned long long)cpu_count());
        return;
    }
    struct call_job job = {.calls = CALLS};
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &job.address);
    struct helper helper;
    if (!VALUE(server) || !helper_create(&helper))
        return;
    wg_handle given = helper_give(&helper, server.value);
    CHECK_OK(wg_asset_release(WG_SELF, server.value)); /* the helper's is the only one */
    uint64_t args[] = {given, CALLS};
    if (given && helper_role(&helper, "echo", args, 2, cpu_bit(server_cpu))) {
        struct thread client;
        if (thread_start(&client, call_many, (uint64_t)&job, cpu_bit(client_cpu))) {
            int64_t status = thread_join(&client, 20 * SECOND_NS);
            CHECK(status == 0, "the caller failed at line %lld", (long long)status);
        }
        int64_t status = helper_wait(&helper, 5 * SECOND_NS);
        CHECK(status == 0, "the server helper failed at roles.c:%lld", (long long)status);
    }
    helper_end(&helper);
}

static void test_call_between_spaces_same_cpu(void)
{
    call_between_spaces(0, 0);
}

static void test_call_between_spaces_cross_cpu(void)
{
    call_between_spaces(1, 0);
}

/* Answers job->calls calls on the pair's server: data[0] + 1, the rest echoed. */
static int64_t serve_many(uint64_t arg)
{
    struct pair *pair = (struct pair *)arg;
    for (int i = 0; i < CALLS; i++) {
        struct wg_message message;
        struct wg_result token = wg_ipc_receive(WG_SELF, pair->server, &message, 5 * SECOND_NS);
        if (!wg_ok(token) || token.value == 0 || message.connection != pair->accepted)
            return __LINE__;
        message.entries[0].value++;
        if (!wg_ok(wg_ipc_reply(WG_SELF, pair->server, token.value, &message)))
            return __LINE__;
    }
    return 0;
}

/* Server and client as two threads of our space, on one CPU and then on two. */
static void test_call_between_threads(void)
{
    for (unsigned client_cpu = 0; client_cpu < 2 && client_cpu < cpu_count(); client_cpu++) {
        struct pair pair;
        if (!pair_open(&pair))
            return;
        struct call_job job = {.connection = pair.client, .calls = CALLS};
        struct thread server, client;
        if (thread_start(&server, serve_many, (uint64_t)&pair, cpu_bit(0))) {
            if (thread_start(&client, call_many, (uint64_t)&job, cpu_bit(client_cpu))) {
                int64_t status = thread_join(&client, 20 * SECOND_NS);
                CHECK(status == 0, "client on cpu %u failed at line %lld", client_cpu,
                      (long long)status);
            }
            int64_t status = thread_join(&server, 20 * SECOND_NS);
            CHECK(status == 0, "server failed at line %lld", (long long)status);
        }
        pair_close(&pair);
    }
}

static bool same_entries(const struct wg_message *got, const struct wg_message *want)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (got->entries[i].value != want->entries[i].value ||
            got->entries[i].flags != want->entries[i].flags)
            return false;
    return true;
}

/* Two sends, one expecting a reply: what the server sees (connection, event, token) and
 * what the client collects by id, once. */
static void test_send_and_receive_reply(void)
{
    struct pair pair;
    if (!pair_open(&pair))
        return;
    struct wg_message asked = message_of(10), told = message_of(20), answer = message_of(11);
    struct wg_message got;
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, pair.client, &asked, WG_IPC_EXPECT_REPLY));
    uint64_t other = VALUE(wg_ipc_send(WG_SELF, pair.client, &told, 0));
    CHECK(id != 0 && other != 0 && id != other, "message ids %llu and %llu", (unsigned long long)id,
          (unsigned long long)other);
    uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &got, SECOND_NS));
    CHECK(token != 0, "no reply token for a message expecting a reply");
    CHECK(got.connection == pair.accepted && got.event == WG_IPC_EVENT_MESSAGE,
          "stamped connection %llx event %u", (unsigned long long)got.connection, got.event);
    CHECK(same_entries(&got, &asked), "the first message changed on the way");
    struct wg_result second = wg_ipc_receive(WG_SELF, pair.server, &got, SECOND_NS);
    CHECK(wg_ok(second) && second.value == 0, "the second message gave %s, token %llu",
          wg_error_name(second.err), (unsigned long long)second.value);
    CHECK(same_entries(&got, &told), "the second message changed on the way");
    CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, token, &answer));
    CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, SECOND_NS));
    CHECK(same_entries(&got, &answer) && got.connection == 0, "the reply changed on the way");
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_receive_reply(WG_SELF, pair.client, id, &got, 0));
    CHECK_ERR(WG_ERR_NOT_FOUND, wg_ipc_receive_reply(WG_SELF, pair.client, other, &got, 0));
    pair_close(&pair);
}

/* Sends a page to a helper process over `connection` and checks that each side sees the
 * other's writes (protocol: role_shm). */
static void exchange_page(wg_handle connection, volatile uint64_t *words, wg_handle pmem)
{
    struct wg_message request = {0}, reply;
    words[0] = 0x5eed0001;
    request.entries[0] = (struct wg_message_entry){.value = pmem, .flags = WG_ENTRY_ASSET};
    request.entries[1].value = 0x5eed0001;
    if (!CHECK_OK(wg_ipc_call(WG_SELF, connection, &request, &reply, 5 * SECOND_NS)))
        return;
    CHECK(words[1] == 0x5eed0002, "the helper's write is not seen: %llx",
          (unsigned long long)words[1]);
    words[2] = 0xc0ffee;
    request = (struct wg_message){0};
    request.entries[0].value = 0xc0ffee;
    if (!CHECK_OK(wg_ipc_call(WG_SELF, connection, &request, &reply, 5 * SECOND_NS)))
        return;
    CHECK(words[3] == 0xc0ffef, "the helper's second write is not seen: %llx",
          (unsigned long long)words[3]);
}

static void test_shared_memory(void)
{
    uint64_t address;
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle vmem = VALUE(wg_vmem_map(WG_SELF, pmem, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE));
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    struct helper helper;
    if (vmem && server && helper_create(&helper)) {
        uint64_t given = helper_give(&helper, server);
        if (given && helper_role(&helper, "shm", &given, 1, 0)) {
            struct wg_result connection = wg_ipc_connect(WG_SELF, address);
            if (VALUE(connection) &&
                CHECK_OK(wg_ipc_wait_accept(WG_SELF, connection.value, 5 * SECOND_NS)))
                exchange_page(connection.value, (volatile uint64_t *)SCRATCH_ADDRESS, pmem);
            if (connection.value)
                CHECK_OK(wg_asset_release(WG_SELF, connection.value));
            int64_t status = helper_wait(&helper, 5 * SECOND_NS);
            CHECK(status == 0, "the helper failed at roles.c:%lld", (long long)status);
        }
        helper_end(&helper);
    }
    wg_handle handles[] = {server, vmem, pmem};
    for (unsigned i = 0; i < 3; i++)
        if (handles[i])
            CHECK_OK(wg_asset_release(WG_SELF, handles[i]));
}

/* Sends `pmem` with `flags` and receives it: the receiver's handle, checked. */
static wg_handle pass_page(struct pair *pair, wg_handle pmem, uint32_t flags)
{
    struct wg_message message = {0}, got;
    message.entries[2] = (struct wg_message_entry){.value = pmem, .flags = flags};
    if (!CHECK_OK(wg_ipc_send(WG_SELF, pair->client, &message, 0)) ||
        !CHECK_OK(wg_ipc_receive(WG_SELF, pair->server, &got, SECOND_NS)))
        return 0;
    struct wg_asset_info info = {0};
    CHECK(got.entries[2].flags == WG_ENTRY_ASSET, "received entry flags %x", got.entries[2].flags);
    CHECK_OK(wg_asset_info(WG_SELF, got.entries[2].value, &info));
    CHECK(info.kind == WG_ASSET_PHYS_MEMORY && info.size == 4096, "received kind %u size %llu",
          info.kind, (unsigned long long)info.size);
    return got.entries[2].value;
}

static void test_copy_and_move_entries(void)
{
    struct pair pair;
    struct wg_asset_info info;
    if (!pair_open(&pair))
        return;
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle copy = pass_page(&pair, pmem, WG_ENTRY_ASSET);
    CHECK_OK(wg_asset_info(WG_SELF, pmem, &info)); /* a copy leaves ours */
    wg_handle moved = pass_page(&pair, pmem, WG_ENTRY_ASSET | WG_ENTRY_MOVE);
    CHECK_ERR(WG_ERR_STALE_HANDLE, wg_asset_info(WG_SELF, pmem, &info));
    CHECK(copy != moved && copy != pmem, "handles %llx %llx %llx", (unsigned long long)pmem,
          (unsigned long long)copy, (unsigned long long)moved);
    /* Never received: released with the connection. */
    struct wg_message unread = {0};
    unread.entries[0] = (struct wg_message_entry){.value = copy, .flags = WG_ENTRY_ASSET};
    CHECK_OK(wg_ipc_send(WG_SELF, pair.client, &unread, 0));
    CHECK_OK(wg_asset_release(WG_SELF, copy));
    CHECK_OK(wg_asset_release(WG_SELF, moved));
    pair_close(&pair);
}

/* An asset sent to a space whose handle table is full arrives as a DROPPED entry (value 0)
 * and is released, not leaked. */
static void test_entry_dropped_when_handles_run_out(void)
{
    uint64_t address;
    wg_handle server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    wg_handle page = VALUE(wg_pmem_create(WG_SELF, 8, 0, WG_PMEM_ANY_NODE));
    struct helper helper;
    if (server && page && helper_create(&helper)) {
        uint64_t given = helper_give(&helper, server);
        struct wg_result connection = {.err = WG_ERR_NOT_FOUND};
        if (given && helper_role(&helper, "dropped", &given, 1, 0))
            connection = wg_ipc_connect(WG_SELF, address);
        if (VALUE(connection) &&
            CHECK_OK(wg_ipc_wait_accept(WG_SELF, connection.value, 5 * SECOND_NS))) {
            struct wg_message message = {0}, reply;
            message.entries[0] = (struct wg_message_entry){page, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
            CHECK_OK(wg_ipc_call(WG_SELF, connection.value, &message, &reply, 10 * SECOND_NS));
            CHECK(reply.entries[0].value == (WG_ENTRY_ASSET | WG_ENTRY_DROPPED) &&
                      reply.entries[1].value == 0,
                  "the entry arrived with flags %llx value %llx",
                  (unsigned long long)reply.entries[0].value,
                  (unsigned long long)reply.entries[1].value);
            page = 0; /* moved */
        }
        if (connection.err == WG_ERR_OK)
            CHECK_OK(wg_asset_release(WG_SELF, connection.value));
        int64_t status = helper_wait(&helper, 10 * SECOND_NS);
        CHECK(status == 0, "the helper failed at roles.c:%lld", (long long)status);
        helper_end(&helper);
    }
    if (page)
        CHECK_OK(wg_asset_release(WG_SELF, page));
    if (server)
        CHECK_OK(wg_asset_release(WG_SELF, server));
}

const struct test transfer_tests[] = {
    {"ipc_call_between_spaces_same_cpu", test_call_between_spaces_same_cpu, false},
    {"ipc_call_between_spaces_cross_cpu", test_call_between_spaces_cross_cpu, false},
    {"ipc_call_between_threads", test_call_between_threads, false},
    {"ipc_send_and_receive_reply", test_send_and_receive_reply, false},
    {"ipc_shared_memory", test_shared_memory, false},
    {"ipc_copy_and_move_entries", test_copy_and_move_entries, false},
    {"ipc_entry_dropped_when_handles_run_out", test_entry_dropped_when_handles_run_out, false},
    {NULL, NULL, false},
};
