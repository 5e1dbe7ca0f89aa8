/* Client sessions of a file server (fs_session.h). */
#include <wingos.h>
#include <fs_idl.h>
#include "fs_session.h"

static struct fs_session sessions[FS_SESSIONS_MAX];

struct fs_session *fs_session_get(wg_handle connection)
{
    struct fs_session *free_slot = NULL;
    for (unsigned i = 0; i < FS_SESSIONS_MAX; i++) {
        if (sessions[i].connection == connection)
            return &sessions[i];
        if (sessions[i].connection == 0 && !free_slot)
            free_slot = &sessions[i];
    }
    if (free_slot) {
        memset(free_slot, 0, sizeof *free_slot);
        free_slot->connection = connection;
    }
    return free_slot;
}

void fs_session_each_file(void (*each)(struct fs_open_file *file, void *ctx), void *ctx)
{
    for (unsigned i = 0; i < FS_SESSIONS_MAX; i++)
        for (unsigned f = 0; sessions[i].connection && f < FS_FILES_MAX; f++)
            if (sessions[i].files[f].used)
                each(&sessions[i].files[f], ctx);
}

void fs_session_end(wg_handle connection, void (*on_close)(struct fs_open_file *file, void *ctx),
                    void *ctx)
{
    for (unsigned i = 0; i < FS_SESSIONS_MAX; i++) {
        struct fs_session *s = &sessions[i];
        if (s->connection != connection)
            continue;
        for (unsigned f = 0; f < FS_FILES_MAX; f++)
            if (s->files[f].used && on_close)
                on_close(&s->files[f], ctx);
        if (s->map)
            wg_asset_release(WG_SELF, s->map);
        if (s->memory)
            wg_asset_release(WG_SELF, s->memory);
        memset(s, 0, sizeof *s);
    }
    wg_asset_release(WG_SELF, connection);
}

enum wg_error fs_session_attach(struct fs_session *session, wg_handle memory, uint64_t *size)
{
    struct wg_asset_info info;
    enum wg_error err = WG_ERR_OK;
    if (session->buffer)
        err = WG_ERR_ALREADY_EXISTS;
    if (err == WG_ERR_OK)
        err = wg_asset_info(WG_SELF, memory, &info).err;
    if (err == WG_ERR_OK && (info.size == 0 || info.size > FS_BUFFER_MAX))
        err = WG_ERR_OUT_OF_RANGE;
    uint64_t address = FS_SESSION_WINDOW + (uint64_t)(session - sessions) * FS_BUFFER_MAX;
    struct wg_result map = {.err = err};
    if (err == WG_ERR_OK)
        map = wg_vmem_map(WG_SELF, memory, address, WG_MAP_READ | WG_MAP_WRITE);
    if (map.err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, memory);
        return map.err;
    }
    session->memory = memory;
    session->map = map.value;
    session->buffer = (uint8_t *)address;
    session->size = info.size;
    *size = info.size;
    return WG_ERR_OK;
}

uint8_t *fs_session_range(const struct fs_session *session, uint64_t at, uint64_t length)
{
    if (!session->buffer || at > session->size || length > session->size - at)
        return NULL;
    return session->buffer + at;
}

struct fs_open_file *fs_session_add_file(struct fs_session *session, uint32_t flags, uint32_t *id)
{
    for (uint32_t f = 0; f < FS_FILES_MAX; f++)
        if (!session->files[f].used) {
            session->files[f] = (struct fs_open_file){.used = true, .flags = flags};
            *id = f + 1; /* 0 is never a file number */
            return &session->files[f];
        }
    return NULL;
}

struct fs_open_file *fs_session_lookup(struct fs_session *session, uint32_t id)
{
    if (id == 0 || id > FS_FILES_MAX || !session->files[id - 1].used)
        return NULL;
    return &session->files[id - 1];
}

enum wg_error fs_session_file(struct fs_session *session, uint32_t id, uint32_t rights,
                              struct fs_open_file **out)
{
    struct fs_open_file *file = fs_session_lookup(session, id);
    if (!file)
        return WG_ERR_BAD_HANDLE;
    if ((file->flags & rights) != rights)
        return WG_ERR_ACCESS_DENIED;
    if (file->stale)
        return WG_ERR_STALE_HANDLE;
    *out = file;
    return WG_ERR_OK;
}

unsigned fs_session_count_where(uint64_t where)
{
    unsigned count = 0;
    for (unsigned i = 0; i < FS_SESSIONS_MAX; i++)
        for (unsigned f = 0; sessions[i].connection && f < FS_FILES_MAX; f++)
            count += sessions[i].files[f].used && sessions[i].files[f].where == where;
    return count;
}
