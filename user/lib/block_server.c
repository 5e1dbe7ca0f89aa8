/* Driver side of the block protocol (block_server.h). One server per driver process; the
 * receiving task does everything, so nothing here needs a lock. */
#include "block_server.h"
#include <lib/string.h>
#include "result.h"
#include "syscall.h"

#define CLIENTS_MAX  16
#define BATCHES_MAX  128
#define BUFFER_AREA  0x200000000000ull /* client i's buffer at + i * BLOCK_BUFFER_MAX */
#define NO_SLOT_USER (-1)

struct client {
    bool used;
    bool closing; /* its connection closed: its batches still run, then the slot is freed */
    wg_handle connection, map;
    uint8_t *buffer; /* NULL until ATTACH */
    uint64_t size;
};

struct batch {
    bool used;
    bool orphan; /* its client is gone: it runs to the end, unanswered */
    int client;
    uint64_t sequence; /* arrival order, for first-come within a client */
    uint64_t token, records;
    uint32_t count, next, done;
    enum wg_error first_error;
    struct block_request requests[BLOCK_BATCH_MAX];
};

static const struct block_backend *backend;
static wg_handle server_handle;
static struct client clients[CLIENTS_MAX];
static struct batch batches[BATCHES_MAX];
static struct {
    int batch, index; /* NO_SLOT_USER when free */
} slots[BLOCK_SERVER_SLOTS];
static uint64_t arrivals;
static int cursor; /* round-robin position among clients */

/* The submit's answer: the batch's error, or the records done and the first failed status. */
static void reply(uint64_t token, enum wg_error err, uint32_t done, enum wg_error status)
{
    struct block_submit_response response = {.done = done, .status = status};
    block_submit_reply(server_handle, token, err, &response);
}

static int client_of(wg_handle connection)
{
    int free_index = -1;
    for (int i = 0; i < CLIENTS_MAX; i++) {
        if (clients[i].used && clients[i].connection == connection)
            return i;
        if (!clients[i].used && free_index < 0)
            free_index = i;
    }
    if (free_index >= 0)
        clients[free_index] = (struct client){.used = true, .connection = connection};
    return free_index;
}

/* Frees a closed client's slot and buffer once none of its batches is left. */
static void release_if_drained(int c)
{
    for (int i = 0; i < BATCHES_MAX; i++)
        if (batches[i].used && batches[i].client == c)
            return;
    if (clients[c].map)
        wg_asset_release(WG_SELF, clients[c].map);
    clients[c] = (struct client){0};
}

static void finish_batch(struct batch *b)
{
    if (!b->orphan)
        reply(b->token, WG_ERR_OK, b->done, b->first_error);
    b->used = false;
    if (clients[b->client].closing)
        release_if_drained(b->client);
}

/* Writes a record's status back into the client's buffer. */
static void publish_status(const struct batch *b, uint32_t index)
{
    uint64_t at = b->records + index * sizeof(struct block_request);
    memcpy(clients[b->client].buffer + at + offsetof(struct block_request, status),
           &b->requests[index].status, sizeof(uint32_t));
}

void block_server_complete(unsigned slot, enum wg_error status)
{
    if (slot >= backend->slots || slots[slot].batch == NO_SLOT_USER)
        return;
    struct batch *b = &batches[slots[slot].batch];
    struct block_request *r = &b->requests[slots[slot].index];
    slots[slot].batch = NO_SLOT_USER;
    if (status == WG_ERR_OK && r->op == BLOCK_READ)
        memcpy(clients[b->client].buffer + r->offset, backend->slot_buffer(slot),
               (size_t)r->sectors * backend->info.sector_size);
    r->status = status;
    publish_status(b, (uint32_t)(r - b->requests));
    if (status != WG_ERR_OK && b->first_error == WG_ERR_OK)
        b->first_error = status;
    if (++b->done == b->count)
        finish_batch(b);
}

/* The oldest batch of `client` with requests not started yet, or NULL. */
static struct batch *waiting_batch(int client)
{
    struct batch *oldest = NULL;
    for (int i = 0; i < BATCHES_MAX; i++) {
        struct batch *b = &batches[i];
        if (b->used && b->client == client && b->next < b->count &&
            (!oldest || b->sequence < oldest->sequence))
            oldest = b;
    }
    return oldest;
}

static void start_one(unsigned slot, struct batch *b)
{
    struct block_request *r = &b->requests[b->next];
    slots[slot].batch = (int)(b - batches);
    slots[slot].index = (int)b->next++;
    if (r->op == BLOCK_WRITE)
        memcpy(backend->slot_buffer(slot), clients[b->client].buffer + r->offset,
               (size_t)r->sectors * backend->info.sector_size);
    backend->start(slot, r->op, r->lba, r->sectors);
}

/* Fills free slots, one request per client in turn. */
static void dispatch(void)
{
    bool started = false;
    for (unsigned slot = 0; slot < backend->slots; slot++) {
        if (slots[slot].batch != NO_SLOT_USER)
            continue;
        struct batch *b = NULL;
        for (int tried = 0; tried < CLIENTS_MAX && !b; tried++) {
            cursor = (cursor + 1) % CLIENTS_MAX;
            b = clients[cursor].used ? waiting_batch(cursor) : NULL;
        }
        if (!b)
            break;
        start_one(slot, b);
        started = true;
    }
    if (started)
        backend->kick();
}

static struct batch *new_batch(void)
{
    for (int i = 0; i < BATCHES_MAX; i++)
        if (!batches[i].used)
            return &batches[i];
    return NULL;
}

/* A submit (already decoded): checks where its records sit, copies them out (the client may
 * change its memory meanwhile) and checks each; then queues the batch, or answers at once. */
static enum wg_error on_submit(void *context, struct idl_call *call,
                               const struct block_submit_request *request,
                               struct block_submit_response *response)
{
    struct client *client = &clients[*(const int *)context];
    struct block_limits limits = {backend->info, client->size};
    enum wg_error err = client->buffer
                            ? block_check_batch(request->records, request->count, client->size)
                            : WG_ERR_NOT_FOUND;
    struct batch *b = err == WG_ERR_OK ? new_batch() : NULL;
    if (err == WG_ERR_OK && !b)
        err = WG_ERR_BUSY;
    if (err != WG_ERR_OK || call->token == 0)
        return err; /* a batch nobody waits for is not run */
    *b = (struct batch){.used = true,
                        .client = *(const int *)context,
                        .sequence = arrivals++,
                        .token = call->token,
                        .records = request->records,
                        .count = request->count};
    memcpy(b->requests, client->buffer + request->records,
           request->count * sizeof(struct block_request));
    for (uint32_t i = 0; i < b->count; i++) {
        b->requests[i].status = block_check(&b->requests[i], &limits);
        if (b->requests[i].status != WG_ERR_OK && b->first_error == WG_ERR_OK)
            b->first_error = b->requests[i].status;
    }
    if (b->first_error == WG_ERR_OK) {
        call->deferred = true; /* queued: dispatch starts it, the last completion answers */
        return WG_ERR_OK;
    }
    for (uint32_t i = 0; i < b->count; i++)
        publish_status(b, i);
    b->used = false; /* refused whole, nothing run */
    *response = (struct block_submit_response){.done = 0, .status = b->first_error};
    return WG_ERR_OK;
}

/* An attach: the buffer (kind and rights checked by the decoder) is mapped, and lives on in
 * the mapping; the handle itself is released either way. */
static enum wg_error on_attach(void *context, struct idl_call *call,
                               const struct block_attach_request *request,
                               struct block_attach_response *response)
{
    (void)call;
    int c = *(const int *)context;
    struct client *client = &clients[c];
    struct wg_asset_info info;
    enum wg_error err = wg_asset_info(WG_SELF, request->buffer, &info).err;
    if (err == WG_ERR_OK && client->buffer)
        err = WG_ERR_ALREADY_EXISTS;
    else if (err == WG_ERR_OK && info.size > BLOCK_BUFFER_MAX)
        err = WG_ERR_OUT_OF_RANGE;
    uintptr_t address = BUFFER_AREA + (uint64_t)c * BLOCK_BUFFER_MAX;
    struct wg_result map = err == WG_ERR_OK ? wg_vmem_map(WG_SELF, request->buffer, address,
                                                          WG_MAP_READ | WG_MAP_WRITE)
                                            : (struct wg_result){err, 0};
    if (wg_ok(map))
        *client = (struct client){.used = true,
                                  .connection = client->connection,
                                  .map = map.value,
                                  .buffer = (uint8_t *)address,
                                  .size = info.size};
    wg_asset_release(WG_SELF, request->buffer);
    response->size = info.size;
    return map.err;
}

static enum wg_error on_info(void *context, struct idl_call *call,
                             const struct block_info_request *request,
                             struct block_info_response *response)
{
    (void)context, (void)call, (void)request;
    response->info = backend->info;
    return WG_ERR_OK;
}

static const struct block_handlers handlers = {
    .info = on_info,
    .attach = on_attach,
    .submit = on_submit,
};

static void on_message(const struct wg_message *m, uint64_t token)
{
    int c = client_of(m->connection);
    if (c >= 0) {
        block_dispatch(&handlers, &c, server_handle, m, token);
        return;
    }
    struct idl_call call = {server_handle, m->connection, token, false};
    idl_release_assets(m);
    idl_answer(&call, idl_ordinal(m), WG_ERR_BUSY); /* too many clients */
}

/* A client went away: every batch it submitted still runs to its end, unanswered (a file
 * system killed after submitting its metadata in one batch leaves all of it written, or
 * none: docs/storage.md), then its slot and buffer are freed. */
static void on_closed(wg_handle connection)
{
    for (int c = 0; c < CLIENTS_MAX; c++) {
        if (!clients[c].used || clients[c].connection != connection)
            continue;
        for (int i = 0; i < BATCHES_MAX; i++)
            if (batches[i].used && batches[i].client == c)
                batches[i].orphan = true;
        clients[c].closing = true;
        clients[c].connection = 0; /* the handle may name a new connection soon */
        release_if_drained(c);
    }
    wg_asset_release(WG_SELF, connection);
}

void block_server_run(const struct block_backend *b, wg_handle server, wg_handle msi)
{
    backend = b;
    server_handle = server;
    for (unsigned i = 0; i < BLOCK_SERVER_SLOTS; i++)
        slots[i].batch = NO_SLOT_USER;
    for (;;) {
        struct wg_message m;
        struct wg_result token = wg_ipc_receive(WG_SELF, server, &m, WG_WAIT_FOREVER);
        if (!wg_ok(token))
            continue;
        if (m.event == WG_IPC_EVENT_INTERRUPT) {
            backend->interrupt();
            wg_msi_ack(WG_SELF, msi);
            backend->interrupt(); /* what finished between the reap and the ack */
        } else if (m.event == WG_IPC_EVENT_CLOSED) {
            on_closed(m.connection);
        } else {
            on_message(&m, token.value);
        }
        dispatch();
    }
}
