/* The host tests' fake transport (see shim.h). */
#include <stdlib.h>
#include <string.h>
#include "shim.h"

#define ASSETS_MAX  512
#define REPLIES_MAX 64

struct fake_asset {
    bool alive;
    uint32_t kind;
    uint32_t rights; /* the handle's WG_RIGHT_* */
    uint16_t generation;
    size_t size;
    uint8_t *bytes;
    bool owns_bytes;
};

static struct {
    struct fake_asset assets[ASSETS_MAX];
    unsigned bad_releases;
    shim_server server;
    void *context;
    int allocations_left;
    uint64_t next_token;
    struct {
        uint64_t token;
        bool done;
        struct wg_message message;
    } replies[REPLIES_MAX];
    struct wg_message last;
} shim = {.allocations_left = -1};

static struct fake_asset *lookup(wg_handle handle)
{
    uint64_t index = (handle & 0xffff) - 1;
    if (index >= ASSETS_MAX || handle >> 32 != 0)
        return NULL;
    struct fake_asset *a = &shim.assets[index];
    return a->alive && a->generation == (uint16_t)(handle >> 16) ? a : NULL;
}

void shim_reset(void)
{
    for (unsigned i = 0; i < ASSETS_MAX; i++)
        if (shim.assets[i].owns_bytes)
            free(shim.assets[i].bytes);
    memset(&shim, 0, sizeof shim);
    shim.allocations_left = -1;
}

static wg_handle asset_add(uint32_t kind, uint8_t *bytes, size_t size, bool owns)
{
    for (unsigned i = 0; i < ASSETS_MAX; i++) {
        struct fake_asset *a = &shim.assets[i];
        if (a->alive)
            continue;
        uint16_t generation = (uint16_t)(a->generation + 1);
        *a = (struct fake_asset){true, kind, WG_RIGHTS_ALL, generation, size, bytes, owns};
        return (wg_handle)generation << 16 | (i + 1);
    }
    if (owns)
        free(bytes);
    return 0;
}

wg_handle shim_asset_new(uint32_t kind, const void *bytes, size_t size)
{
    bool memory = kind == WG_ASSET_PHYS_MEMORY;
    uint8_t *data = memory ? calloc(1, size ? size : 1) : NULL;
    if (data && bytes)
        memcpy(data, bytes, size);
    return asset_add(kind, data, memory ? size : 0, memory);
}

bool shim_asset_alive(wg_handle handle)
{
    return lookup(handle) != NULL;
}

uint8_t *shim_asset_bytes(wg_handle handle)
{
    struct fake_asset *a = lookup(handle);
    return a ? a->bytes : NULL;
}

unsigned shim_assets_alive(void)
{
    unsigned count = 0;
    for (unsigned i = 0; i < ASSETS_MAX; i++)
        count += shim.assets[i].alive;
    return count;
}

unsigned shim_bad_releases(void)
{
    return shim.bad_releases;
}

void shim_serve(shim_server server, void *context)
{
    shim.server = server;
    shim.context = context;
}

void shim_fail_allocations_after(int count)
{
    shim.allocations_left = count;
}

const struct wg_message *shim_last_message(void)
{
    return &shim.last;
}

uint32_t shim_asset_rights(wg_handle handle)
{
    struct fake_asset *a = lookup(handle);
    return a ? a->rights : 0;
}

void shim_asset_restrict(wg_handle handle, uint32_t rights)
{
    struct fake_asset *a = lookup(handle);
    if (a)
        a->rights &= rights;
}

uint32_t idl_rt_asset_kind(wg_handle handle, uint64_t *size)
{
    struct fake_asset *a = lookup(handle);
    if (!a)
        return WG_ASSET_NONE;
    *size = a->size;
    return a->kind;
}

void idl_rt_release(wg_handle handle)
{
    struct fake_asset *a = lookup(handle);
    if (!a) {
        shim.bad_releases++;
        return;
    }
    if (a->owns_bytes)
        free(a->bytes);
    a->alive = false;
    a->bytes = NULL;
    a->owns_bytes = false;
}

enum wg_error idl_rt_body_create(size_t size, wg_handle *pmem, wg_handle *vmem, void **map)
{
    *pmem = shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, size);
    if (!*pmem)
        return WG_ERR_NO_MEMORY;
    *vmem = asset_add(WG_ASSET_VIRT_MEMORY, lookup(*pmem)->bytes, size, false);
    if (!*vmem) {
        idl_rt_release(*pmem);
        return WG_ERR_NO_MEMORY;
    }
    *map = lookup(*pmem)->bytes;
    return WG_ERR_OK;
}

enum wg_error idl_rt_body_map(wg_handle pmem, size_t size, wg_handle *vmem, const void **map)
{
    struct fake_asset *a = lookup(pmem);
    if (!a || a->kind != WG_ASSET_PHYS_MEMORY || a->size < size)
        return WG_ERR_BAD_HANDLE;
    *vmem = asset_add(WG_ASSET_VIRT_MEMORY, a->bytes, a->size, false);
    *map = a->bytes;
    return *vmem ? WG_ERR_OK : WG_ERR_NO_MEMORY;
}

void idl_rt_unmap(wg_handle vmem)
{
    struct fake_asset *a = lookup(vmem);
    if (!a || a->kind != WG_ASSET_VIRT_MEMORY)
        shim.bad_releases++;
    else
        idl_rt_release(vmem);
}

void idl_rt_warm_up(void)
{
}

void *idl_rt_alloc(size_t size)
{
    if (shim.allocations_left == 0)
        return NULL;
    if (shim.allocations_left > 0)
        shim.allocations_left--;
    return malloc(size);
}

void idl_rt_free(void *pointer)
{
    free(pointer);
}

/* What the kernel does to an asset entry on delivery: the receiver's handle (the same one:
 * one space) keeps the sender's rights, only `rights` of them with WG_ENTRY_RESTRICT, and
 * the entry says which. */
static void deliver_asset(struct wg_message_entry *e)
{
    struct fake_asset *a = lookup(e->value);
    if (e->flags & WG_ENTRY_RESTRICT)
        a->rights &= e->rights;
    e->flags = WG_ENTRY_ASSET;
    e->rights = a->rights;
}

/* What the kernel does to a sent message: every asset entry must name a live handle (else
 * nothing moves); the receiver sees the same handles (one space) stamped with the
 * connection. */
static enum wg_error deliver(wg_handle connection, const struct wg_message *message, uint64_t token)
{
    if (connection != SHIM_CONNECTION || !shim.server)
        return WG_ERR_PEER_CLOSED;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if ((message->entries[i].flags & WG_ENTRY_ASSET) && !lookup(message->entries[i].value))
            return WG_ERR_BAD_HANDLE;
    shim.last = *message;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (shim.last.entries[i].flags & WG_ENTRY_ASSET)
            deliver_asset(&shim.last.entries[i]);
    shim.last.connection = SHIM_CONNECTION;
    shim.last.event = WG_IPC_EVENT_MESSAGE;
    struct wg_message received = shim.last;
    shim.server(shim.context, &received, token);
    return WG_ERR_OK;
}

static int reply_slot(uint64_t token)
{
    for (int i = 0; i < REPLIES_MAX; i++)
        if (shim.replies[i].token == token && token != 0)
            return i;
    return -1;
}

/* A token for a message that expects a reply, with its slot; 0 when all slots are used. */
static uint64_t new_token(void)
{
    for (int i = 0; i < REPLIES_MAX; i++)
        if (shim.replies[i].token == 0) {
            shim.replies[i].token = ++shim.next_token;
            shim.replies[i].done = false;
            return shim.next_token;
        }
    return 0;
}

/* Takes the reply of `token` if it came; frees its slot. */
static enum wg_error collect(uint64_t token, struct wg_message *reply)
{
    int slot = reply_slot(token);
    if (slot < 0)
        return WG_ERR_NOT_FOUND;
    if (!shim.replies[slot].done)
        return WG_ERR_TIMED_OUT;
    *reply = shim.replies[slot].message;
    shim.replies[slot].token = 0;
    return WG_ERR_OK;
}

enum wg_error idl_rt_send(wg_handle connection, const struct wg_message *message, bool expect_reply,
                          uint64_t *id)
{
    uint64_t token = expect_reply ? new_token() : 0;
    if (expect_reply && token == 0)
        return WG_ERR_WOULD_BLOCK;
    enum wg_error err = deliver(connection, message, token);
    if (err != WG_ERR_OK && token)
        shim.replies[reply_slot(token)].token = 0;
    if (id)
        *id = token;
    return err;
}

enum wg_error idl_rt_call(wg_handle connection, const struct wg_message *request,
                          struct wg_message *reply, uint64_t timeout_ns)
{
    uint64_t token;
    enum wg_error err = idl_rt_send(connection, request, true, &token);
    (void)timeout_ns;
    if (err != WG_ERR_OK)
        return err;
    err = collect(token, reply);
    if (err == WG_ERR_TIMED_OUT)
        shim.replies[reply_slot(token)].token = 0; /* given up, as IPC_CALL does */
    return err;
}

enum wg_error idl_rt_receive_reply(wg_handle connection, uint64_t id, struct wg_message *reply,
                                   uint64_t timeout_ns)
{
    (void)connection;
    (void)timeout_ns;
    return collect(id, reply);
}

enum wg_error idl_rt_reply(wg_handle server, uint64_t token, const struct wg_message *reply)
{
    int slot = reply_slot(token);
    if (server != SHIM_SERVER || slot < 0 || shim.replies[slot].done)
        return WG_ERR_NOT_FOUND;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if ((reply->entries[i].flags & WG_ENTRY_ASSET) && !lookup(reply->entries[i].value))
            return WG_ERR_BAD_HANDLE;
    shim.replies[slot].message = *reply;
    shim.replies[slot].done = true;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (reply->entries[i].flags & WG_ENTRY_ASSET)
            deliver_asset(&shim.replies[slot].message.entries[i]);
    return WG_ERR_OK;
}
