/* The VFS client's connection and open-file table (vfs.h), and its recovery after the VFS's
 * end (docs/services.md#transparent-recovery): a call that meets PEER_CLOSED looks "vfs" up
 * again (waiting up to VFS_RECONNECT_NS for svcman to restart it), connects, attaches a copy
 * of the same buffer, opens every open file again from what is kept here (its path and open
 * flags without CREATE, EXCLUSIVE and TRUNCATE; the offset never left the client) and sends
 * the call again, at most VFS_RESEND_MAX times. */
#include <wingos.h>
#include "vfs.h"

#define REOPEN_DROP (FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_EXCLUSIVE | FS_OPEN_FLAGS_TRUNCATE)

static struct {
    wg_handle connection, map, pmem;
    uint8_t *buffer;
    uint64_t client, seq;
    uint32_t reconnects;
} vfs;
static struct vfs_file files[VFS_FILES_MAX];

/* Sends the VFS a copy of our buffer (we keep it for the next connection). */
static enum wg_error attach(void)
{
    struct wg_result copy = wg_asset_copy(WG_SELF, vfs.pmem, WG_SELF);
    if (!wg_ok(copy))
        return copy.err;
    struct fs_attach_request request = {.buffer = copy.value};
    struct fs_attach_response response;
    uint64_t id;
    enum wg_error err = fs_attach_send(vfs.connection, &request, &id);
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, copy.value); /* a send that failed left it here */
        return err;
    }
    return fs_attach_receive(vfs.connection, id, &response, VFS_TIMEOUT_NS);
}

/* A client id unlikely to be another's: our task's kernel id and the time. */
static uint64_t make_client_id(void)
{
    struct wg_asset_info task = {0};
    struct wg_result self = wg_task_self();
    if (wg_ok(self))
        wg_asset_info(WG_SELF, self.value, &task);
    return (task.address << 32) ^ wg_clock().value ^ 1;
}

enum wg_error vfs_connect(void)
{
    if (vfs.buffer)
        return WG_ERR_OK;
    enum wg_error err = wg_connect_by_name(VFS_SERVICE, &vfs.connection);
    if (err != WG_ERR_OK)
        return err;
    struct wg_result memory = wg_pmem_create(WG_SELF, VFS_BUFFER_PAGES, 0, WG_PMEM_ANY_NODE);
    struct wg_result map = {.err = memory.err};
    if (wg_ok(memory))
        map = wg_vmem_map(WG_SELF, memory.value, VFS_BUFFER_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
    vfs.pmem = memory.value;
    err = map.err;
    if (err == WG_ERR_OK)
        err = attach();
    if (err != WG_ERR_OK) {
        if (wg_ok(map))
            wg_asset_release(WG_SELF, map.value);
        if (wg_ok(memory))
            wg_asset_release(WG_SELF, memory.value);
        wg_asset_release(WG_SELF, vfs.connection);
        vfs.connection = vfs.pmem = 0;
        return err;
    }
    vfs.map = map.value;
    vfs.buffer = (uint8_t *)VFS_BUFFER_ADDRESS;
    if (!vfs.client)
        vfs.client = make_client_id();
    return WG_ERR_OK;
}

void vfs_disconnect(void)
{
    if (!vfs.buffer)
        return;
    wg_asset_release(WG_SELF, vfs.map);
    wg_asset_release(WG_SELF, vfs.pmem);
    wg_asset_release(WG_SELF, vfs.connection);
    vfs.buffer = NULL;
    vfs.connection = vfs.map = vfs.pmem = 0;
    for (unsigned i = 0; i < VFS_FILES_MAX; i++)
        vfs_file_free(&files[i]);
}

wg_handle vfs_connection(void)
{
    return vfs.connection;
}

uint8_t *vfs_buffer(void)
{
    return vfs.buffer;
}

uint32_t vfs_reconnects(void)
{
    return vfs.reconnects;
}

uint64_t vfs_client_id(void)
{
    return vfs.client;
}

uint64_t vfs_next_seq(void)
{
    return ++vfs.seq;
}

struct vfs_file *vfs_file_new(uint32_t *id)
{
    for (uint32_t i = 0; i < VFS_FILES_MAX; i++)
        if (!files[i].used) {
            files[i] = (struct vfs_file){.used = true};
            *id = i + 1; /* 0 is never a file number */
            return &files[i];
        }
    return NULL;
}

struct vfs_file *vfs_file_get(uint32_t id)
{
    return id >= 1 && id <= VFS_FILES_MAX && files[id - 1].used ? &files[id - 1] : NULL;
}

void vfs_file_free(struct vfs_file *file)
{
    free(file->path);
    *file = (struct vfs_file){0};
}

uint32_t vfs_file_remote(uint32_t id)
{
    struct vfs_file *file = vfs_file_get(id);
    return file ? file->remote : 0;
}

/* Opens `file` again on the new connection: lost if it cannot be, or names another node. */
static enum wg_error reopen(struct vfs_file *file)
{
    static struct fs_open_request request;
    struct fs_open_response response;
    request = (struct fs_open_request){.flags = file->flags & ~REOPEN_DROP};
    strlcpy(request.path, file->path, sizeof request.path);
    enum wg_error err = fs_open_call(vfs.connection, &request, &response, VFS_TIMEOUT_NS);
    if (err == WG_ERR_PEER_CLOSED)
        return err; /* gone again: the caller tries once more */
    file->lost = err != WG_ERR_OK || response.stat.inode != file->node;
    file->remote = err == WG_ERR_OK ? response.file : 0;
    return WG_ERR_OK;
}

/* Connects to the (restarted) VFS, attaches the buffer and reopens every file. */
static enum wg_error reconnect(void)
{
    uint64_t deadline = wg_clock().value + VFS_RECONNECT_NS;
    for (;;) {
        wg_handle fresh; /* the dead connection stays until then: later calls meet PEER_CLOSED */
        enum wg_error err = wg_connect_by_name(VFS_SERVICE, &fresh);
        if (err == WG_ERR_OK) {
            wg_asset_release(WG_SELF, vfs.connection);
            vfs.connection = fresh;
            err = attach();
        }
        for (unsigned i = 0; err == WG_ERR_OK && i < VFS_FILES_MAX; i++)
            if (files[i].used && !files[i].lost && files[i].path) /* no path: being opened */
                err = reopen(&files[i]);
        if (err == WG_ERR_OK)
            return WG_ERR_OK;
        if (wg_clock().value >= deadline)
            return err;
        wg_sleep(5000000ull); /* svcman restarts it after its backoff */
    }
}

bool vfs_again(enum wg_error err, int *attempt)
{
    if (err != WG_ERR_PEER_CLOSED || !vfs.buffer || *attempt >= VFS_RESEND_MAX)
        return false;
    ++*attempt;
    if (reconnect() != WG_ERR_OK)
        return false;
    vfs.reconnects++;
    return true;
}

bool vfs_again_file(struct vfs_file *file, enum wg_error *err, int *attempt)
{
    if (!vfs_again(*err, attempt))
        return false;
    if (file->lost)
        *err = WG_ERR_STALE_HANDLE;
    return !file->lost;
}
