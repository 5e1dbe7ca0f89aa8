/* Client side of the block protocol (block.h), with reconnection after a driver's end. */
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

/* Reads the driver's info over the client's connection. */
static enum wg_error read_info(struct block_client *out)
{
    struct wg_message message = {0}, reply;
    message.entries[0].value = BLOCK_OP_INFO;
    enum wg_error err = call(out, &message, &reply);
    if (err != WG_ERR_OK)
        return err;
    out->info = (struct block_info){
        .sectors = reply.entries[1].value,
        .sector_size = (uint32_t)reply.entries[2].value,
        .flags = (uint32_t)(reply.entries[2].value >> 32),
        .max_transfer = (uint32_t)reply.entries[3].value,
    };
    memcpy(out->info.driver, &reply.entries[4].value, 8);
    return WG_ERR_OK;
}

enum wg_error block_open(const char *name, struct block_client *out)
{
    *out = (struct block_client){0};
    if (!name || strlcpy(out->name, name, sizeof out->name) >= sizeof out->name)
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = wg_connect_by_name(name, &out->connection);
    if (err != WG_ERR_OK)
        return err;
    err = read_info(out);
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, out->connection);
        out->connection = 0;
    }
    return err;
}

/* Sends ATTACH with a copy of our buffer (we keep the original for a reconnection). */
static enum wg_error send_attach(struct block_client *client, wg_handle pmem)
{
    struct wg_message message = {0}, reply;
    message.entries[0].value = BLOCK_OP_ATTACH;
    message.entries[1] = (struct wg_message_entry){pmem, WG_ENTRY_ASSET, 0};
    return call(client, &message, &reply);
}

enum wg_error block_attach(struct block_client *client, uint64_t pages, uintptr_t address)
{
    struct wg_result pmem = wg_pmem_create(WG_SELF, pages, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem))
        return pmem.err;
    struct wg_result map = wg_vmem_map(WG_SELF, pmem.value, address, WG_MAP_READ | WG_MAP_WRITE);
    enum wg_error err = wg_ok(map) ? send_attach(client, pmem.value) : map.err;
    if (err != WG_ERR_OK) {
        if (wg_ok(map))
            wg_asset_release(WG_SELF, map.value);
        wg_asset_release(WG_SELF, pmem.value);
        return err;
    }
    client->buffer = (uint8_t *)address;
    client->size = pages * 4096;
    client->buffer_map = map.value;
    client->buffer_pmem = pmem.value;
    return WG_ERR_OK;
}

enum wg_error block_reconnect(struct block_client *client)
{
    uint64_t deadline = wg_clock().value + BLOCK_RECONNECT_NS;
    if (client->connection)
        wg_asset_release(WG_SELF, client->connection);
    client->connection = 0;
    for (;;) {
        wg_handle connection;
        enum wg_error err = wg_connect_by_name(client->name, &connection);
        if (err == WG_ERR_OK) {
            client->connection = connection;
            err = read_info(client);
            if (err == WG_ERR_OK && client->buffer_pmem)
                err = send_attach(client, client->buffer_pmem);
            if (err == WG_ERR_OK) {
                client->reconnects++;
                return WG_ERR_OK;
            }
            wg_asset_release(WG_SELF, connection);
            client->connection = 0;
        }
        if (wg_clock().value >= deadline)
            return err;
        wg_sleep(5000000ull); /* the manager restarts it after its backoff */
    }
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
    for (int attempt = 0;; attempt++) {
        uint32_t done;
        struct wg_result sent = block_submit(client, offset, count);
        enum wg_error err = wg_ok(sent) ? block_wait(client, sent.value, &done) : sent.err;
        if (err != WG_ERR_PEER_CLOSED || attempt == BLOCK_RESEND_MAX || client->name[0] == '\0')
            return err;
        if (block_reconnect(client) != WG_ERR_OK)
            return WG_ERR_PEER_CLOSED;
    }
}

void block_close(struct block_client *client)
{
    if (client->buffer_map)
        wg_asset_release(WG_SELF, client->buffer_map);
    if (client->buffer_pmem)
        wg_asset_release(WG_SELF, client->buffer_pmem);
    if (client->connection)
        wg_asset_release(WG_SELF, client->connection);
    *client = (struct block_client){0};
}
