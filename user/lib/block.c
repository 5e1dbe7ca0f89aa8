/* Client side of the block protocol (block.h), with reconnection after a driver's end. */
#include "block.h"
#include <lib/string.h>
#include "names.h"
#include "result.h"
#include "syscall.h"

/* Reads the driver's info over the client's connection. */
static enum wg_error read_info(struct block_client *out)
{
    struct block_info_request request = {0};
    struct block_info_response response;
    enum wg_error err = block_info_call(out->connection, &request, &response, WG_WAIT_FOREVER);
    if (err == WG_ERR_OK)
        out->info = response.info;
    return err;
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

enum wg_error block_attach_copy(wg_handle connection, wg_handle pmem, uint32_t rights)
{
    struct wg_result copy = wg_asset_copy_rights(WG_SELF, pmem, WG_SELF, rights);
    if (!wg_ok(copy))
        return copy.err;
    struct block_attach_request request = {.buffer = copy.value};
    struct block_attach_response response;
    uint64_t id;
    enum wg_error err = block_attach_send(connection, &request, &id);
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, copy.value); /* a send that failed left it here */
        return err;
    }
    return block_attach_receive(connection, id, &response, WG_WAIT_FOREVER);
}

/* We keep our buffer for a reconnection; the driver gets a copy. */
static enum wg_error send_attach(struct block_client *client, wg_handle pmem)
{
    return block_attach_copy(client->connection, pmem, WG_RIGHTS_ALL);
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
    struct block_submit_request request = {.records = offset, .count = count};
    uint64_t id = 0;
    enum wg_error err = block_submit_send(client->connection, &request, &id);
    return (struct wg_result){err, err == WG_ERR_OK ? id : 0};
}

enum wg_error block_wait_timeout(struct block_client *client, uint64_t id, uint32_t *done,
                                 uint64_t timeout_ns)
{
    struct block_submit_response response;
    enum wg_error err = block_submit_receive(client->connection, id, &response, timeout_ns);
    *done = err == WG_ERR_OK ? response.done : 0;
    if (err == WG_ERR_OK && response.status >= WG_ERROR_COUNT)
        return WG_ERR_BAD_FORMAT; /* a status that is no error of ours */
    return err == WG_ERR_OK ? (enum wg_error)response.status : err;
}

enum wg_error block_wait(struct block_client *client, uint64_t id, uint32_t *done)
{
    return block_wait_timeout(client, id, done, WG_WAIT_FOREVER);
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
