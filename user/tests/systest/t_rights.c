/* Handle rights: every syscall refuses a handle without the right it needs (ACCESS_DENIED),
 * takes one with it, and copies, moves and IPC transfers can only take rights away. */
#include "kit.h"

/* A copy of our `handle` in our own space with every right but `without`. */
static wg_handle without_right(wg_handle handle, uint32_t without)
{
    return VALUE(wg_asset_copy_rights(WG_SELF, handle, WG_SELF, WG_RIGHTS_ALL & ~without));
}

static uint32_t rights_of(wg_handle space, wg_handle handle)
{
    struct wg_asset_info info = {0};
    CHECK_OK(wg_asset_info(space, handle, &info));
    return info.rights;
}

/* The right each call needs on its asset handle. */
static const struct {
    enum kit_call call;
    uint32_t right;
} asset_rights[] = {
    {KIT_SPACE_DESTROY, WG_RIGHT_DESTROY},   {KIT_VMEM_MAP, WG_RIGHT_MAP},
    {KIT_VMEM_MAP, WG_RIGHT_READ},           {KIT_TASK_START, WG_RIGHT_WRITE},
    {KIT_TASK_WAIT, WG_RIGHT_READ},          {KIT_TASK_KILL, WG_RIGHT_DESTROY},
    {KIT_TASK_SET_PRIORITY, WG_RIGHT_WRITE}, {KIT_TASK_SET_AFFINITY, WG_RIGHT_WRITE},
};

static void test_rights_on_asset_handles(void)
{
    struct kit kit;
    if (!kit_create(&kit))
        return;
    for (size_t i = 0; i < sizeof asset_rights / sizeof asset_rights[0]; i++) {
        wg_handle weak =
            without_right(kit_handle(&kit, asset_rights[i].call), asset_rights[i].right);
        kit_expect(asset_rights[i].call, WG_SELF, weak, WG_ERR_ACCESS_DENIED, "a missing right");
        CHECK_OK(wg_asset_release(WG_SELF, weak));
    }
    /* With just the rights it needs, a call goes through. */
    wg_handle task = VALUE(wg_asset_copy_rights(WG_SELF, kit.thread.task, WG_SELF,
                                                WG_RIGHT_WRITE | WG_RIGHT_DUPLICATE));
    kit_expect(KIT_TASK_SET_PRIORITY, WG_SELF, task, WG_ERR_OK, "WRITE only");
    kit_expect(KIT_TASK_KILL, WG_SELF, task, WG_ERR_ACCESS_DENIED, "no DESTROY");
    CHECK_OK(wg_asset_release(WG_SELF, task));
    kit_destroy(&kit);
}

/* The right each call needs on its space argument. */
static const struct {
    enum kit_call call;
    uint32_t right;
} space_rights[] = {
    {KIT_SPACE_CREATE, WG_RIGHT_MANAGE}, {KIT_ASSET_LIST, WG_RIGHT_READ},
    {KIT_ASSET_INFO, WG_RIGHT_READ},     {KIT_ASSET_RELEASE, WG_RIGHT_MANAGE},
    {KIT_ASSET_MOVE, WG_RIGHT_MANAGE},   {KIT_ASSET_COPY, WG_RIGHT_MANAGE},
    {KIT_COPY_TO, WG_RIGHT_MANAGE},      {KIT_PMEM_CREATE, WG_RIGHT_MANAGE},
    {KIT_VMEM_MAP, WG_RIGHT_MANAGE},     {KIT_TASK_CREATE, WG_RIGHT_MANAGE},
    {KIT_TASK_KILL, WG_RIGHT_MANAGE},    {KIT_SPACE_DESTROY, WG_RIGHT_MANAGE},
    {KIT_EXEC, WG_RIGHT_MANAGE},
};

static void test_rights_on_space_arguments(void)
{
    struct kit kit;
    if (!kit_create(&kit))
        return;
    wg_handle inside = VALUE(wg_pmem_create(kit.space, 1, 0, WG_PMEM_ANY_NODE));
    for (size_t i = 0; i < sizeof space_rights / sizeof space_rights[0]; i++) {
        wg_handle weak = without_right(kit.space, space_rights[i].right);
        kit_expect(space_rights[i].call, weak, inside, WG_ERR_ACCESS_DENIED, "a weak space");
        CHECK_OK(wg_asset_release(WG_SELF, weak));
    }
    /* READ alone lists and inspects, and nothing more. */
    wg_handle reader = VALUE(wg_asset_copy_rights(WG_SELF, kit.space, WG_SELF, WG_RIGHT_READ));
    kit_expect(KIT_ASSET_LIST, reader, 0, WG_ERR_OK, "READ");
    CHECK(rights_of(reader, inside) == WG_RIGHTS_ALL, "ASSET_INFO through READ shows rights");
    kit_expect(KIT_ASSET_RELEASE, reader, inside, WG_ERR_ACCESS_DENIED, "READ only");
    CHECK_OK(wg_asset_release(WG_SELF, reader));
    CHECK_OK(wg_asset_release(kit.space, inside));
    kit_destroy(&kit);
}

static void test_copy_and_move_only_reduce(void)
{
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    CHECK(rights_of(WG_SELF, pmem) == WG_RIGHTS_ALL, "a new asset's handle has every right");
    uint32_t some = WG_RIGHT_READ | WG_RIGHT_MAP | WG_RIGHT_DUPLICATE;
    wg_handle reduced = VALUE(wg_asset_copy_rights(WG_SELF, pmem, WG_SELF, some));
    CHECK(rights_of(WG_SELF, reduced) == some, "the copy has the asked rights");
    /* Asking for more gives no more. */
    wg_handle again = VALUE(wg_asset_copy_rights(WG_SELF, reduced, WG_SELF, WG_RIGHTS_ALL));
    CHECK(rights_of(WG_SELF, again) == some, "a copy of a copy cannot grow rights");
    wg_handle moved = VALUE(wg_asset_move_rights(WG_SELF, again, WG_SELF, WG_RIGHT_READ));
    CHECK(rights_of(WG_SELF, moved) == WG_RIGHT_READ, "a move keeps the asked subset");
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT,
                  wg_asset_copy_rights(WG_SELF, pmem, WG_SELF, WG_RIGHTS_ALL + 1));
    /* Without WRITE: read-only mapping only. */
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED,
                  wg_vmem_map(WG_SELF, reduced, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE));
    wg_handle vmem = VALUE(wg_vmem_map(WG_SELF, reduced, SCRATCH_ADDRESS, WG_MAP_READ));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_vmem_map(WG_SELF, moved, SCRATCH_ADDRESS, WG_MAP_READ));
    CHECK_OK(wg_asset_release(WG_SELF, vmem));
    CHECK_OK(wg_asset_release(WG_SELF, moved));
    CHECK_OK(wg_asset_release(WG_SELF, reduced));
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
}

static void test_duplicate_and_transfer_rights(void)
{
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle single = without_right(pmem, WG_RIGHT_DUPLICATE);
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_asset_copy(WG_SELF, single, WG_SELF));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_asset_copy(WG_SELF, single, child));
    wg_handle kept = VALUE(wg_asset_move(WG_SELF, single, WG_SELF)); /* a rename is fine */
    wg_handle there = VALUE(wg_asset_move(WG_SELF, kept, child));    /* TRANSFER it has */
    CHECK_OK(wg_asset_release(child, there));
    wg_handle stuck = without_right(pmem, WG_RIGHT_TRANSFER);
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_asset_move(WG_SELF, stuck, child));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_asset_copy(WG_SELF, stuck, child));
    wg_handle twin = VALUE(wg_asset_copy(WG_SELF, stuck, WG_SELF)); /* staying home is fine */
    CHECK_OK(wg_asset_release(WG_SELF, twin));
    CHECK_OK(wg_asset_release(WG_SELF, stuck));
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
    CHECK_OK(wg_space_destroy(WG_SELF, child));
}

/* A server and a connection to it, both ends in our own space. */
struct local_pair {
    wg_handle server, client, accepted;
};

static bool local_pair_open(struct local_pair *pair)
{
    uint64_t address = 0;
    *pair = (struct local_pair){0};
    pair->server = VALUE(wg_ipc_server_create(WG_SELF, 0, &address));
    pair->client = VALUE(wg_ipc_connect(WG_SELF, address));
    pair->accepted = VALUE(wg_ipc_accept(WG_SELF, pair->server, SECOND_NS));
    return !test_failed();
}

static void local_pair_close(struct local_pair *pair)
{
    wg_handle handles[] = {pair->accepted, pair->client, pair->server};
    for (int i = 0; i < 3; i++)
        if (handles[i])
            CHECK_OK(wg_asset_release(WG_SELF, handles[i]));
}

static void test_ipc_rights(void)
{
    struct local_pair pair;
    if (!local_pair_open(&pair)) {
        local_pair_close(&pair);
        return;
    }
    struct wg_message message = {0}, out;
    wg_handle mute = without_right(pair.client, WG_RIGHT_WRITE);
    wg_handle deaf = without_right(pair.client, WG_RIGHT_READ);
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_ipc_send(WG_SELF, mute, &message, 0));
    CHECK_ERR(WG_ERR_ACCESS_DENIED, wg_ipc_call(WG_SELF, deaf, &message, &out, 0));
    uint64_t id = VALUE(wg_ipc_send(WG_SELF, deaf, &message, WG_IPC_EXPECT_REPLY));
    CHECK_ERR(WG_ERR_ACCESS_DENIED, wg_ipc_receive_reply(WG_SELF, deaf, id, &out, 0));
    wg_handle blind = without_right(pair.server, WG_RIGHT_READ);
    wg_handle dumb = without_right(pair.server, WG_RIGHT_WRITE);
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_ipc_receive(WG_SELF, blind, &out, 0));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_ipc_accept(WG_SELF, blind, 0));
    uint64_t token = VALUE(wg_ipc_receive(WG_SELF, pair.server, &out, SECOND_NS));
    CHECK_ERR(WG_ERR_ACCESS_DENIED, wg_ipc_reply(WG_SELF, dumb, token, &message));
    CHECK_OK(wg_ipc_reply(WG_SELF, pair.server, token, &message)); /* the token still stands */
    CHECK_OK(wg_ipc_receive_reply(WG_SELF, pair.client, id, &out, SECOND_NS));
    wg_handle weak[] = {mute, deaf, blind, dumb};
    for (int i = 0; i < 4; i++)
        CHECK_OK(wg_asset_release(WG_SELF, weak[i]));
    local_pair_close(&pair);
}

/* Sends one entry carrying `handle` with `flags` (and `rights`); the result of the send. */
static struct wg_result send_asset(struct local_pair *pair, wg_handle handle, uint32_t flags,
                                   uint32_t rights)
{
    struct wg_message message = {0};
    message.entries[2] = (struct wg_message_entry){handle, WG_ENTRY_ASSET | flags, rights};
    return wg_ipc_send(WG_SELF, pair->client, &message, 0);
}

/* Receives one message and returns its entry 2 (the handle is ours now). */
static struct wg_message_entry receive_entry(struct local_pair *pair)
{
    struct wg_message out = {0};
    CHECK_OK(wg_ipc_receive(WG_SELF, pair->server, &out, SECOND_NS));
    return out.entries[2];
}

static void test_ipc_transfer_rights(void)
{
    struct local_pair pair;
    if (!local_pair_open(&pair)) {
        local_pair_close(&pair);
        return;
    }
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle stuck = without_right(pmem, WG_RIGHT_TRANSFER);
    wg_handle single = without_right(pmem, WG_RIGHT_DUPLICATE);
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, send_asset(&pair, stuck, 0, 0));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, send_asset(&pair, stuck, WG_ENTRY_MOVE, 0));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, send_asset(&pair, single, 0, 0)); /* a copy */
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, send_asset(&pair, pmem, WG_ENTRY_RESTRICT, ~0u));
    CHECK_OK(send_asset(&pair, single, WG_ENTRY_MOVE, 0));
    struct wg_message_entry got = receive_entry(&pair);
    CHECK(got.rights == (WG_RIGHTS_ALL & ~(uint32_t)WG_RIGHT_DUPLICATE), "moved rights kept");
    CHECK(rights_of(WG_SELF, got.value) == got.rights, "the entry names the handle's rights");
    CHECK_OK(wg_asset_release(WG_SELF, got.value));
    uint32_t mask = WG_RIGHT_READ | WG_RIGHT_MAP;
    CHECK_OK(send_asset(&pair, pmem, WG_ENTRY_RESTRICT, mask));
    got = receive_entry(&pair);
    CHECK(got.rights == mask && rights_of(WG_SELF, got.value) == mask, "restricted on the way");
    CHECK_OK(wg_asset_release(WG_SELF, got.value));
    CHECK_OK(wg_asset_release(WG_SELF, stuck));
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
    local_pair_close(&pair);
}

/* A moved handle named twice would reach the receiver twice. */
static void test_ipc_move_named_twice(void)
{
    struct local_pair pair;
    if (!local_pair_open(&pair)) {
        local_pair_close(&pair);
        return;
    }
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    struct wg_message message = {0};
    message.entries[0] = (struct wg_message_entry){pmem, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
    message.entries[1] = (struct wg_message_entry){pmem, WG_ENTRY_ASSET, 0};
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    message.entries[1].flags |= WG_ENTRY_MOVE;
    CHECK_REFUSED(WG_ERR_INVALID_ARGUMENT, wg_ipc_send(WG_SELF, pair.client, &message, 0));
    CHECK(rights_of(WG_SELF, pmem) == WG_RIGHTS_ALL, "the refused move left the handle");
    CHECK_OK(wg_asset_release(WG_SELF, pmem));
    local_pair_close(&pair);
}

/* Without introspection a space sees only its own subtree: no task of init's, but its own. */
static void test_task_list_is_scoped(void)
{
    static struct wg_task_info tasks[256];
    uint64_t count = VALUE(wg_system_tasks(tasks, 256));
    bool mine = false;
    for (uint64_t i = 0; i < count; i++) {
        CHECK(strcmp(tasks[i].name, "init") != 0, "systest sees init's task %llu",
              (unsigned long long)tasks[i].id);
        mine |= strcmp(tasks[i].name, "systest") == 0;
    }
    CHECK(mine, "systest does not see itself");
}

const struct test rights_tests[] = {
    {"rights_on_asset_handles", test_rights_on_asset_handles, false},
    {"rights_on_space_arguments", test_rights_on_space_arguments, false},
    {"rights_copy_and_move_only_reduce", test_copy_and_move_only_reduce, false},
    {"rights_duplicate_and_transfer", test_duplicate_and_transfer_rights, false},
    {"rights_ipc", test_ipc_rights, false},
    {"rights_ipc_transfer", test_ipc_transfer_rights, false},
    {"rights_ipc_move_named_twice", test_ipc_move_named_twice, false},
    {"rights_task_list_is_scoped", test_task_list_is_scoped, false},
    {NULL, NULL, false},
};
