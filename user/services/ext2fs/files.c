/* The ext2 server's operations on open files: attach, open, close, read, write, fstat,
 * truncate, fsync; the duplicate-request cache (fs_dedup.h). A file number is valid on its
 * connection only and carries the rights its open flags gave. */
#include <wingos.h>
#include "ext2fs.h"

#define DEFAULT_MODE 0644

struct fs_session *ext2fs_session(const struct idl_call *call)
{
    return fs_session_get(call->connection);
}

enum wg_error ext2fs_commit(enum wg_error err)
{
    enum wg_error written = ext2_commit(ext2fs.fs); /* a failed call may have changed blocks */
    return err != WG_ERR_OK ? err : written;
}

static uint8_t node_type(uint16_t mode)
{
    switch (mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:
        return FS_NODE_TYPE_FILE;
    case EXT2_S_IFDIR:
        return FS_NODE_TYPE_DIRECTORY;
    case EXT2_S_IFLNK:
        return FS_NODE_TYPE_SYMLINK;
    default:
        return FS_NODE_TYPE_OTHER;
    }
}

enum wg_error ext2fs_stat(uint32_t ino, struct fs_stat *out)
{
    struct ext2_stat st;
    enum wg_error err = ext2_stat(ext2fs.fs, ino, &st);
    if (err != WG_ERR_OK)
        return err;
    *out = (struct fs_stat){.inode = st.ino,
                            .type = node_type(st.mode),
                            .mode = st.mode & 07777,
                            .links = st.links,
                            .size = st.size,
                            .blocks = st.blocks,
                            .atime = st.atime,
                            .mtime = st.mtime,
                            .ctime = st.ctime};
    return WG_ERR_OK;
}

static void mark_stale(struct fs_open_file *file, void *ctx)
{
    if (file->node == *(uint32_t *)ctx)
        file->stale = true;
}

void ext2fs_forget_if_gone(uint32_t ino)
{
    struct ext2_stat st;
    if (ino != 0 && (ext2_stat(ext2fs.fs, ino, &st) != WG_ERR_OK || st.links == 0))
        fs_session_each_file(mark_stale, &ino);
}

enum wg_error ext2fs_attach(void *context, struct idl_call *call,
                            const struct fs_attach_request *request,
                            struct fs_attach_response *response)
{
    (void)context;
    struct fs_session *session = ext2fs_session(call);
    if (!session) {
        wg_asset_release(WG_SELF, request->buffer);
        return WG_ERR_BUSY;
    }
    return fs_session_attach(session, request->buffer, &response->size);
}

/* Finds or (with CREATE) makes the node `path` names, as `flags` ask. */
static struct ext2_ino_result find(const char *path, uint32_t flags, uint16_t mode)
{
    struct ext2_ino_result found = ext2_lookup_follow(ext2fs.fs, path);
    if (found.err == WG_ERR_OK && (flags & FS_OPEN_FLAGS_CREATE) &&
        (flags & FS_OPEN_FLAGS_EXCLUSIVE))
        return (struct ext2_ino_result){.err = WG_ERR_ALREADY_EXISTS};
    if (found.err == WG_ERR_NOT_FOUND && (flags & FS_OPEN_FLAGS_CREATE))
        return ext2_create(ext2fs.fs, path, mode ? mode & 07777 : DEFAULT_MODE);
    return found;
}

/* Whether a node of `type` may be opened with `flags`. */
static enum wg_error check_open(uint8_t type, uint32_t flags)
{
    bool writes = flags & (FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_TRUNCATE | FS_OPEN_FLAGS_APPEND);
    if ((flags & FS_OPEN_FLAGS_DIRECTORY) && type != FS_NODE_TYPE_DIRECTORY)
        return WG_ERR_NOT_DIRECTORY;
    if (type == FS_NODE_TYPE_DIRECTORY && writes)
        return WG_ERR_IS_DIRECTORY;
    if (writes && ext2_is_read_only(ext2fs.fs))
        return WG_ERR_READ_ONLY;
    return WG_ERR_OK;
}

enum wg_error ext2fs_open(void *context, struct idl_call *call,
                          const struct fs_open_request *request, struct fs_open_response *response)
{
    (void)context;
    struct fs_session *session = ext2fs_session(call);
    if (!session)
        return WG_ERR_BUSY;
    uint32_t flags = request->flags;
    bool exclusive = (flags & FS_OPEN_FLAGS_CREATE) && (flags & FS_OPEN_FLAGS_EXCLUSIVE);
    enum wg_error err;
    if ((flags & FS_OPEN_FLAGS_CREATE) && ext2_is_read_only(ext2fs.fs))
        return WG_ERR_READ_ONLY;
    if (exclusive && ext2fs_duplicate(request->client, request->seq, &err)) {
        if (err != WG_ERR_OK)
            return err;
        flags &= ~FS_OPEN_FLAGS_EXCLUSIVE; /* we made it: this is the resent call */
    }
    struct ext2_ino_result node = find(request->path, flags, request->mode);
    err = node.err;
    if (exclusive && (flags & FS_OPEN_FLAGS_EXCLUSIVE))
        ext2fs_answered(request->client, request->seq, node.err);
    if (err == WG_ERR_OK)
        err = ext2fs_stat(node.ino, &response->stat);
    if (err == WG_ERR_OK)
        err = check_open(response->stat.type, flags);
    uint32_t id;
    struct fs_open_file *file = NULL;
    if (err == WG_ERR_OK && !(file = fs_session_add_file(session, flags, &id)))
        err = WG_ERR_BUSY;
    if (err == WG_ERR_OK && (flags & FS_OPEN_FLAGS_TRUNCATE) && response->stat.size != 0) {
        err = ext2_truncate(ext2fs.fs, node.ino, 0);
        response->stat.size = 0;
    }
    if (flags & (FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_TRUNCATE))
        err = ext2fs_commit(err);
    if (err != WG_ERR_OK) {
        if (file)
            file->used = false;
        return err;
    }
    file->node = node.ino;
    file->type = response->stat.type;
    response->file = id;
    return WG_ERR_OK;
}

enum wg_error ext2fs_close(void *context, struct idl_call *call,
                           const struct fs_close_request *request,
                           struct fs_close_response *response)
{
    (void)context;
    (void)response;
    struct fs_session *session = ext2fs_session(call);
    struct fs_open_file *file = session ? fs_session_lookup(session, request->file) : NULL;
    if (!file)
        return WG_ERR_BAD_HANDLE;
    file->used = false;
    return WG_ERR_OK;
}

static struct fs_dedup dedup;

bool ext2fs_duplicate(uint64_t client, uint64_t seq, enum wg_error *err)
{
    return fs_dedup_find(&dedup, client, seq, err);
}

enum wg_error ext2fs_answered(uint64_t client, uint64_t seq, enum wg_error err)
{
    fs_dedup_record(&dedup, client, seq, err);
    return err;
}

/* Open file `id` of the call's session with `rights`, and the buffer range [at, at + length). */
static enum wg_error file_and_range(const struct idl_call *call, uint32_t id, uint32_t rights,
                                    uint64_t at, uint64_t length, struct fs_open_file **file,
                                    uint8_t **range)
{
    struct fs_session *session = ext2fs_session(call);
    if (!session)
        return WG_ERR_BUSY;
    enum wg_error err = fs_session_file(session, id, rights, file);
    if (err == WG_ERR_OK && (*file)->type == FS_NODE_TYPE_DIRECTORY)
        err = WG_ERR_IS_DIRECTORY;
    if (err == WG_ERR_OK && range && !(*range = fs_session_range(session, at, length)))
        err = WG_ERR_BAD_ADDRESS;
    return err;
}

enum wg_error ext2fs_read(void *context, struct idl_call *call,
                          const struct fs_read_request *request, struct fs_read_response *response)
{
    (void)context;
    struct fs_open_file *file;
    uint8_t *range;
    enum wg_error err = file_and_range(call, request->file, FS_RIGHT_READ, request->at,
                                       request->length, &file, &range);
    if (err != WG_ERR_OK)
        return err;
    struct ext2_size_result got =
        ext2_read(ext2fs.fs, (uint32_t)file->node, request->offset, range, request->length);
    if (got.err != WG_ERR_OK)
        return got.err;
    response->count = (uint32_t)got.size;
    return WG_ERR_OK;
}

enum wg_error ext2fs_write(void *context, struct idl_call *call,
                           const struct fs_write_request *request,
                           struct fs_write_response *response)
{
    (void)context;
    struct fs_open_file *file;
    uint8_t *range;
    enum wg_error err = file_and_range(call, request->file, FS_RIGHT_WRITE, request->at,
                                       request->length, &file, &range);
    if (err != WG_ERR_OK)
        return err;
    struct ext2_size_result put =
        ext2_write(ext2fs.fs, (uint32_t)file->node, request->offset, range, request->length);
    put.err = ext2fs_commit(put.err);
    if (put.err != WG_ERR_OK)
        return put.err;
    response->count = (uint32_t)put.size;
    return WG_ERR_OK;
}

enum wg_error ext2fs_fstat(void *context, struct idl_call *call,
                           const struct fs_fstat_request *request,
                           struct fs_fstat_response *response)
{
    (void)context;
    struct fs_session *session = ext2fs_session(call);
    struct fs_open_file *file;
    enum wg_error err = session ? fs_session_file(session, request->file, 0, &file) : WG_ERR_BUSY;
    return err == WG_ERR_OK ? ext2fs_stat((uint32_t)file->node, &response->stat) : err;
}

enum wg_error ext2fs_truncate(void *context, struct idl_call *call,
                              const struct fs_truncate_request *request,
                              struct fs_truncate_response *response)
{
    (void)context;
    (void)response;
    struct fs_open_file *file;
    enum wg_error err = file_and_range(call, request->file, FS_RIGHT_WRITE, 0, 0, &file, NULL);
    return err == WG_ERR_OK
               ? ext2fs_commit(ext2_truncate(ext2fs.fs, (uint32_t)file->node, request->size))
               : err;
}

enum wg_error ext2fs_fsync(void *context, struct idl_call *call,
                           const struct fs_fsync_request *request,
                           struct fs_fsync_response *response)
{
    (void)context;
    (void)response;
    struct fs_session *session = ext2fs_session(call);
    struct fs_open_file *file;
    enum wg_error err = session ? fs_session_file(session, request->file, 0, &file) : WG_ERR_BUSY;
    if (err == WG_ERR_OK && ext2_is_read_only(ext2fs.fs))
        return WG_ERR_OK; /* nothing to write */
    return err == WG_ERR_OK ? ext2_fsync(ext2fs.fs, (uint32_t)file->node) : err;
}
