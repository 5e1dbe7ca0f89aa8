/* Client side of the block protocol (block.h). */
#include "block.h"
#include <lib/string.h>
#include "names.h"
#include "result.h"
#include "syscall.h"

static enum wg_error call(struct block_client *client, struct wg_message *message,
                          struct wg_message *reply)
{
    struct wg_result result =
        wg_ipc_call(WG_SELF, client->connection, message, reply, WG_WAIT_FOREVER);
    return wg_ok(result) ? (enum wg_error)reply->entries[0].value : result.err;
}

enum wg_error block_open(const char *name, struct block_client *out)
{
    *out = (struct block_client){0};
    enum wg_error err = wg_connect_by_name(name, &out->connection);
    if (err != WG_ERR_OK)
        return err;
    struct wg_message message = {0}, reply;
    message.entries[0].value = BLOCK_OP_INFO;
    err = call(out, &message, &reply);
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, out->connection);
        return err;
    }
    out->info = (struct block_info){
        .sectors = reply.entries[1].value,
        .sector_size = (uint32_t)reply.entries[2].value,
        .flags = (uint32_t)(reply.entries[2].value >> 32),
        .max_transfer = (uint32_t)reply.entries[3].value,
    };
    memcpy(out->info.driver, &reply.entries[4].value, 8);
    return WG_ERR_OK;
}

enum wg_error block_attach(struct block_client *client, uint64_t pages, uintptr_t address)
{
    struct wg_result pmem = wg_pmem_create(WG_SELF, pages, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem))
        return pmem.err;
    struct wg_result map = wg_vmem_map(WG_SELF, pmem.value, address, WG_MAP_READ | WG_MAP_WRITE);
    struct wg_message message = {0}, reply;
    message.entries[0].value = BLOCK_OP_ATTACH;
    message.entries[1] = (struct wg_message_entry){pmem.value, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
    enum wg_error err = wg_ok(map) ? call(client, &message, &reply) : map.err;
    if (!wg_ok(map))
        wg_asset_release(WG_SELF, pmem.value);
    if (err != WG_ERR_OK) {
        if (wg_ok(map))
            wg_asset_release(WG_SELF, map.value);
        return err;
    }
    client->buffer = (uint8_t *)address;
    client->size = pages * 4096;
    client->buffer_map = map.value;
    return WG_ERR_OK;
}

struct wg_result block_submit(struct block_client *client, uint64_t offset, uint32_t count)
{
    struct wg_message message = {0};
    message.entries[0].value = BLOCK_OP_SUBMIT | (uint64_t)count << 8;
    message.entries[1].value = offset;
    return wg_ipc_send(WG_SELF, client->connection, &message, WG_IPC_EXPECT_REPLY);
}

enum wg_error block_wait(struct block_client *client, uint64_t id, uint32_t *done)
{
    struct wg_message reply;
    struct wg_result result =
        wg_ipc_receive_reply(WG_SELF, client->connection, id, &reply, WG_WAIT_FOREVER);
    if (!wg_ok(result))
        return result.err;
    *done = (uint32_t)reply.entries[1].value;
    return (enum wg_error)reply.entries[0].value;
}

enum wg_error block_run(struct block_client *client, uint64_t offset, uint32_t count)
{
    uint32_t done;
    struct wg_result sent = block_submit(client, offset, count);
    return wg_ok(sent) ? block_wait(client, sent.value, &done) : sent.err;
}

void block_close(struct block_client *client)
{
    if (client->buffer_map)
        wg_asset_release(WG_SELF, client->buffer_map);
    if (client->connection)
        wg_asset_release(WG_SELF, client->connection);
    *client = (struct block_client){0};
}
