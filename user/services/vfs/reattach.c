/* A mount's server restarted by svcman (docs/services.md#transparent-recovery): when a call
 * meets PEER_CLOSED the VFS looks the server's name up again (waiting up to
 * MOUNT_REATTACH_NS), connects, attaches a copy of the mount's buffer, opens every file its
 * clients have open on the mount again (the path and the open flags kept here, without
 * CREATE, EXCLUSIVE and TRUNCATE: they were done), and the caller sends its call again. */
#include <wingos.h>
#include "vfsd.h"

#define REOPEN_DROP (FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_EXCLUSIVE | FS_OPEN_FLAGS_TRUNCATE)

/* Opens one file of the mount `ctx` again on its new server; stale if it cannot be. */
static void reopen(struct fs_open_file *file, void *ctx)
{
    struct mount *m = ctx;
    static struct fs_open_request request;
    struct fs_open_response response;
    if (file->where != mounts_index(m) || file->stale || !file->path)
        return; /* not ours, gone, or being opened (that call is sent again) */
    request = (struct fs_open_request){.flags = file->flags & ~REOPEN_DROP};
    strlcpy(request.path, file->path, sizeof request.path);
    enum wg_error err = fs_open_call(m->connection, &request, &response, MOUNT_TIMEOUT_NS);
    if (err == WG_ERR_OK && response.stat.inode != file->node) {
        struct fs_close_request close = {.file = response.file};
        struct fs_close_response closed;
        fs_close_call(m->connection, &close, &closed, MOUNT_TIMEOUT_NS);
        err = WG_ERR_STALE_HANDLE; /* another node under that name now */
    }
    file->other = err == WG_ERR_OK ? response.file : 0;
    file->stale = err != WG_ERR_OK;
}

/* Connects to the restarted server and attaches the buffer; OK or the last error. */
static enum wg_error reconnect(struct mount *m)
{
    uint64_t deadline = wg_clock().value + MOUNT_REATTACH_NS;
    if (m->connection)
        wg_asset_release(WG_SELF, m->connection);
    m->connection = 0;
    for (;;) {
        enum wg_error err = wg_connect_by_name(m->name, &m->connection);
        if (err == WG_ERR_OK && (err = mounts_attach(m)) == WG_ERR_OK)
            return WG_ERR_OK;
        if (m->connection)
            wg_asset_release(WG_SELF, m->connection);
        m->connection = 0;
        if (wg_clock().value >= deadline)
            return err;
        wg_sleep(5000000ull); /* svcman restarts it after its backoff */
    }
}

bool mounts_again(struct mount *m, enum wg_error err, int *attempt)
{
    if (err != WG_ERR_PEER_CLOSED || !m->supervised || *attempt >= MOUNT_RESEND_MAX)
        return false;
    ++*attempt;
    enum wg_error got = reconnect(m);
    if (got != WG_ERR_OK) {
        printf("vfs: %s did not come back: %s\n", m->name, wg_error_name(got));
        return false;
    }
    m->reattaches++;
    fs_session_each_file(reopen, m);
    return true;
}

bool mounts_again_file(struct mount *m, struct fs_open_file *file, enum wg_error *err, int *attempt)
{
    if (!mounts_again(m, *err, attempt))
        return false;
    if (file->stale)
        *err = WG_ERR_STALE_HANDLE;
    return !file->stale;
}
