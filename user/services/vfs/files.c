/* The VFS's operations on open files. A client's file number maps to (mount, the server's
 * file number); data is copied between the client's buffer and the mount's buffer, in pieces
 * of the mount buffer's size. Boot archive files are read here (bootfs.c). */
#include <wingos.h>
#include "vfsd.h"

static enum wg_error open_boot(const char *rest, struct fs_open_response *response)
{
    return bootfs_lookup(rest, &response->stat);
}

/* Opens `rest` at the server of disk mount `m` (the request's flags, mode, client, seq),
 * again on a restarted server. */
static enum wg_error open_remote(struct mount *m, const struct fs_open_request *request,
                                 const char *rest, struct fs_open_response *response)
{
    static struct fs_open_request forward;
    forward = *request;
    strlcpy(forward.path, rest, sizeof forward.path);
    enum wg_error err;
    if (!(request->flags & FS_OPEN_FLAGS_CREATE) || !(request->flags & FS_OPEN_FLAGS_EXCLUSIVE)) {
        MOUNT_SEND(m, fs_open_call, &forward, response, err);
        return err;
    }
    *response = (struct fs_open_response){0};
    MOUNT_SEND_ONCE(m, fs_open_call, FS_DEDUP_MAKE, &forward, response, err);
    if (err == WG_ERR_OK && response->file == 0) { /* the dead server made it */
        forward.flags &= ~FS_OPEN_FLAGS_EXCLUSIVE;
        MOUNT_SEND(m, fs_open_call, &forward, response, err);
    }
    return err;
}

/* A copy of `path` (malloc'd) or NULL. */
static char *copy_path(const char *path)
{
    size_t length = strlen(path) + 1;
    char *copy = malloc(length);
    if (copy)
        memcpy(copy, path, length);
    return copy;
}

/* Opens `rest` on mount `m` for the client: a disk mount's server opens it for us. */
static enum wg_error open_on(struct mount *m, const struct fs_open_request *request,
                             const char *rest, struct fs_open_response *response)
{
    uint32_t writes =
        FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_TRUNCATE | FS_OPEN_FLAGS_APPEND;
    if (!m->boot)
        return open_remote(m, request, rest, response);
    if (request->flags & writes)
        return WG_ERR_READ_ONLY;
    enum wg_error err = open_boot(rest, response);
    if (err == WG_ERR_OK && (request->flags & FS_OPEN_FLAGS_DIRECTORY) &&
        response->stat.type != FS_NODE_TYPE_DIRECTORY)
        err = WG_ERR_NOT_DIRECTORY;
    response->file = 0;
    return err;
}

enum wg_error vfs_on_attach(void *context, struct idl_call *call,
                            const struct fs_attach_request *request,
                            struct fs_attach_response *response)
{
    (void)context;
    struct fs_session *session = fs_session_get(call->connection);
    if (!session) {
        wg_asset_release(WG_SELF, request->buffer);
        return WG_ERR_BUSY;
    }
    return fs_session_attach(session, request->buffer, &response->size);
}

enum wg_error vfs_on_open(void *context, struct idl_call *call,
                          const struct fs_open_request *request, struct fs_open_response *response)
{
    (void)context;
    static struct resolved where;
    struct fs_session *session = fs_session_get(call->connection);
    if (!session)
        return WG_ERR_BUSY;
    mounts_resolve(request->path, &where);
    if (where.err != WG_ERR_OK)
        return where.err;
    uint32_t id;
    struct fs_open_file *file = fs_session_add_file(session, request->flags, &id);
    if (!file)
        return WG_ERR_BUSY;
    char *path = copy_path(where.rest); /* set after the open: a reattach meanwhile skips it */
    enum wg_error err =
        path ? open_on(where.mount, request, where.rest, response) : WG_ERR_NO_MEMORY;
    if (err != WG_ERR_OK) {
        free(path);
        *file = (struct fs_open_file){0};
        return err;
    }
    file->path = path;
    file->where = mounts_index(where.mount);
    file->other = response->file;
    file->node = response->stat.inode;
    file->type = response->stat.type;
    response->file = id;
    return WG_ERR_OK;
}

void vfs_close_remote(struct fs_open_file *file, void *ctx)
{
    (void)ctx;
    struct mount *m = &mounts[file->where];
    struct fs_close_request request = {.file = (uint32_t)file->other};
    struct fs_close_response response;
    if (m->used && !m->boot && !file->stale) /* a restarted server has it closed already */
        fs_close_call(m->connection, &request, &response, MOUNT_TIMEOUT_NS);
    free(file->path);
    *file = (struct fs_open_file){0};
}

enum wg_error vfs_on_close(void *context, struct idl_call *call,
                           const struct fs_close_request *request,
                           struct fs_close_response *response)
{
    (void)context;
    (void)response;
    struct fs_session *session = fs_session_get(call->connection);
    struct fs_open_file *file = session ? fs_session_lookup(session, request->file) : NULL;
    if (!file)
        return WG_ERR_BAD_HANDLE;
    vfs_close_remote(file, NULL);
    return WG_ERR_OK;
}

enum wg_error vfs_client_file(const struct idl_call *call, uint32_t id, uint32_t rights,
                              struct fs_open_file **file, struct mount **m)
{
    struct fs_session *session = fs_session_get(call->connection);
    enum wg_error err = session ? fs_session_file(session, id, rights, file) : WG_ERR_BUSY;
    if (err == WG_ERR_OK)
        *m = &mounts[(*file)->where];
    return err;
}

uint8_t *vfs_client_range(const struct idl_call *call, uint64_t at, uint64_t length)
{
    struct fs_session *session = fs_session_get(call->connection);
    return session ? fs_session_range(session, at, length) : NULL;
}

/* One piece of a read on a disk mount at `offset`: up to the mount buffer's size. */
static enum wg_error read_piece(struct mount *m, struct fs_open_file *file, uint64_t offset,
                                uint8_t *out, uint32_t length, uint32_t *count)
{
    struct fs_read_request request = {0, 0, length, offset};
    struct fs_read_response response;
    enum wg_error err;
    MOUNT_SEND_FILE(m, file, fs_read_call, &request, &response, err);
    if (err == WG_ERR_OK && response.count > length)
        err = WG_ERR_BAD_FORMAT;
    if (err == WG_ERR_OK)
        memcpy(out, m->buffer, response.count);
    *count = err == WG_ERR_OK ? response.count : 0;
    return err;
}

enum wg_error vfs_on_read(void *context, struct idl_call *call,
                          const struct fs_read_request *request, struct fs_read_response *response)
{
    (void)context;
    struct fs_open_file *file;
    struct mount *m;
    enum wg_error err = vfs_client_file(call, request->file, FS_RIGHT_READ, &file, &m);
    uint8_t *out = err == WG_ERR_OK ? vfs_client_range(call, request->at, request->length) : NULL;
    if (err == WG_ERR_OK && !out)
        err = WG_ERR_BAD_ADDRESS;
    if (err == WG_ERR_OK && m->boot) {
        return bootfs_read(file->node, request->offset, out, request->length, &response->count);
    }
    uint32_t done = 0;
    while (err == WG_ERR_OK && done < request->length) {
        uint32_t piece = request->length - done;
        piece = piece < MOUNT_BUFFER_SIZE ? piece : MOUNT_BUFFER_SIZE;
        uint32_t count;
        err = read_piece(m, file, request->offset + done, out + done, piece, &count);
        done += count;
        if (count < piece)
            break;
    }
    response->count = done;
    return done > 0 ? WG_ERR_OK : err;
}

enum wg_error vfs_on_write(void *context, struct idl_call *call,
                           const struct fs_write_request *request,
                           struct fs_write_response *response)
{
    (void)context;
    struct fs_open_file *file;
    struct mount *m;
    enum wg_error err = vfs_client_file(call, request->file, FS_RIGHT_WRITE, &file, &m);
    const uint8_t *in =
        err == WG_ERR_OK ? vfs_client_range(call, request->at, request->length) : NULL;
    if (err == WG_ERR_OK && !in)
        err = WG_ERR_BAD_ADDRESS;
    if (err == WG_ERR_OK && m->boot)
        err = WG_ERR_READ_ONLY;
    uint32_t done = 0;
    while (err == WG_ERR_OK && done < request->length) {
        uint32_t piece = request->length - done;
        piece = piece < MOUNT_BUFFER_SIZE ? piece : MOUNT_BUFFER_SIZE;
        struct fs_write_request forward = {0, 0, piece, request->offset + done};
        struct fs_write_response answer;
        memcpy(m->buffer, in + done, piece); /* the buffer outlives a reattach */
        MOUNT_SEND_FILE(m, file, fs_write_call, &forward, &answer, err);
        if (err == WG_ERR_OK && answer.count > piece)
            err = WG_ERR_BAD_FORMAT;
        if (err != WG_ERR_OK)
            break;
        done += answer.count;
        if (answer.count < piece)
            break;
    }
    response->count = done;
    return done > 0 ? WG_ERR_OK : err;
}
