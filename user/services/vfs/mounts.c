/* The VFS mount table: resolving paths to (mount, path inside it), starting an ext2 server
 * for a disk mount (svcman's supervised instance, or a child) and stopping it at unmount. */
#include <wingos.h>
#include "vfsd.h"

#define MS_NS          1000000ull
#define SERVER_WAIT_NS (20000ull * MS_NS)

struct mount mounts[MOUNTS_MAX];

uint32_t mounts_index(const struct mount *mount)
{
    return (uint32_t)(mount - mounts);
}

void mounts_resolve(const char *path, struct resolved *out)
{
    out->mount = NULL;
    if (path[0] != '/') {
        out->err = WG_ERR_INVALID_ARGUMENT;
        return;
    }
    out->err = vfs_path_normal(NULL, path, out->path, sizeof out->path);
    size_t best = 0;
    for (unsigned i = 0; out->err == WG_ERR_OK && i < MOUNTS_MAX; i++) {
        const char *rest;
        size_t length = strlen(mounts[i].path);
        if (mounts[i].used && vfs_path_below(out->path, mounts[i].path, &rest) &&
            (!out->mount || length > best)) {
            out->mount = &mounts[i];
            out->rest = rest;
            best = length;
        }
    }
    if (out->err == WG_ERR_OK && !out->mount)
        out->err = WG_ERR_NOT_FOUND;
}

static struct mount *find_exact(const char *path)
{
    for (unsigned i = 0; i < MOUNTS_MAX; i++)
        if (mounts[i].used && strcmp(mounts[i].path, path) == 0)
            return &mounts[i];
    return NULL;
}

static struct mount *free_slot(const char *path)
{
    for (unsigned i = 0; i < MOUNTS_MAX; i++)
        if (!mounts[i].used) {
            memset(&mounts[i], 0, sizeof mounts[i]);
            strlcpy(mounts[i].path, path, sizeof mounts[i].path);
            return &mounts[i];
        }
    return NULL;
}

/* True, with the mount's error in *err, when the server ended before registering: our
 * child's exit status, or svcman's instance stopped, failed, or waiting to restart after an
 * exit with an error (a status -1..-63: ext2fs's mount error; then it is stopped). */
static bool server_ended(struct mount *m, enum wg_error *err)
{
    int64_t status;
    if (!m->supervised) {
        struct wg_result ended = wg_process_wait(&m->process, 0);
        status = (int64_t)ended.value;
        if (!wg_ok(ended))
            return false;
    } else {
        struct svc_info info;
        if (svc_client_info(m->name, &info) != WG_ERR_OK)
            return false;
        bool down = info.state == SVC_STATE_STOPPED || info.state == SVC_STATE_FAILED;
        bool mount_error = info.last_status < 0 && info.last_status > -64;
        if (!down && !(info.state == SVC_STATE_BACKOFF && mount_error))
            return false;
        status = info.last_status;
        svc_client_control(m->name, SVC_ACTION_STOP);
    }
    *err = status < 0 && status > -64 ? (enum wg_error) - status : WG_ERR_BAD_FORMAT;
    return true;
}

/* Waits until the server registers its name (then connects to it) or ends (its error). */
static enum wg_error wait_for_server(struct mount *m)
{
    uint64_t deadline = wg_clock().value + SERVER_WAIT_NS;
    for (enum wg_error err;;) {
        if (wg_connect_by_name(m->name, &m->connection) == WG_ERR_OK)
            return WG_ERR_OK; /* else not registered, or gone (killed) since the lookup */
        if (server_ended(m, &err))
            return err;
        if (wg_clock().value > deadline)
            return WG_ERR_TIMED_OUT;
        wg_sleep(5 * MS_NS);
    }
}

enum wg_error mounts_attach(struct mount *m)
{
    struct wg_result copy = wg_asset_copy(WG_SELF, m->pmem, WG_SELF);
    if (!wg_ok(copy))
        return copy.err;
    struct fs_attach_request request = {.buffer = copy.value};
    struct fs_attach_response response;
    uint64_t id;
    enum wg_error err = fs_attach_send(m->connection, &request, &id);
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, copy.value); /* a send that failed left it here */
        return err;
    }
    return fs_attach_receive(m->connection, id, &response, MOUNT_TIMEOUT_NS);
}

/* The mount's buffer, made and mapped once, then attached to its server. */
static enum wg_error attach(struct mount *m)
{
    uint64_t address = MOUNT_WINDOW + (uint64_t)mounts_index(m) * (1ull << 20);
    struct wg_result memory = wg_pmem_create(WG_SELF, MOUNT_BUFFER_PAGES, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(memory))
        return memory.err;
    m->pmem = memory.value;
    struct wg_result map = wg_vmem_map(WG_SELF, memory.value, address, WG_MAP_READ | WG_MAP_WRITE);
    if (!wg_ok(map))
        return map.err;
    m->map = map.value;
    m->buffer = (uint8_t *)address;
    return mounts_attach(m);
}

/* Ends the server of a mount that failed or was unmounted (svcman's instance: it ended by
 * itself, or is stopped), and frees the slot. */
static void drop(struct mount *m, bool stop)
{
    if (m->map)
        wg_asset_release(WG_SELF, m->map);
    if (m->pmem)
        wg_asset_release(WG_SELF, m->pmem);
    if (m->connection)
        wg_asset_release(WG_SELF, m->connection);
    if (m->process.space)
        wg_process_destroy(&m->process);
    if (m->supervised && stop)
        svc_client_control(m->name, SVC_ACTION_STOP);
    m->used = false;
}

/* Connects to the registered server, attaches the buffer (made the first time) and asks
 * whether the file system is read-only. */
static enum wg_error connect_server(struct mount *m)
{
    enum wg_error err = wait_for_server(m);
    if (err == WG_ERR_OK)
        err = m->pmem ? mounts_attach(m) : attach(m);
    struct fs_statfs_request request = {.path = "/"};
    struct fs_statfs_response response;
    if (err == WG_ERR_OK)
        err = fs_statfs_call(m->connection, &request, &response, MOUNT_TIMEOUT_NS);
    if (err == WG_ERR_OK)
        m->read_only = response.info.read_only;
    return err;
}

/* The server: svcman's on-demand instance "fs-DEVICE" when svcman runs (it restarts it),
 * else a child of ours (init's test and bench modes: not restarted). */
static enum wg_error start_server(struct mount *m, const char *device)
{
    enum wg_error err;
    m->supervised = svc_client_present();
    if (m->supervised) {
        err = svc_client_instance(MOUNT_SVC_ENTRY, device, m->name);
    } else {
        snprintf(m->name, sizeof m->name, "fs-%s", device);
        const char *args[] = {"ext2fs", device, m->name};
        err = wg_spawn("ext2fs", 3, args, &m->process);
    }
    for (int tries = 0; err == WG_ERR_OK; tries++) {
        err = connect_server(m);
        if (err != WG_ERR_PEER_CLOSED || !m->supervised || tries == MOUNT_RESEND_MAX)
            break;
        wg_asset_release(WG_SELF, m->connection); /* it ended meanwhile: svcman restarts it */
        m->connection = 0;
        err = WG_ERR_OK;
    }
    return err;
}

enum wg_error mounts_add_disk(const char *device, const char *path)
{
    for (unsigned i = 0; i < MOUNTS_MAX; i++)
        if (mounts[i].used && strcmp(mounts[i].device, device) == 0)
            return WG_ERR_BUSY;
    if (find_exact(path))
        return WG_ERR_ALREADY_EXISTS;
    struct mount *m = free_slot(path);
    if (!m)
        return WG_ERR_NO_MEMORY;
    strlcpy(m->device, device, sizeof m->device);
    strlcpy(m->kind, "ext2", sizeof m->kind);
    m->used = true;
    enum wg_error err = start_server(m, device);
    if (err != WG_ERR_OK) {
        printf("vfs: cannot mount %s at %s: %s\n", device, path, wg_error_name(err));
        drop(m, true);
        return err;
    }
    printf("vfs: %s mounted at %s%s\n", device, path, m->read_only ? " (read-only)" : "");
    return WG_ERR_OK;
}

enum wg_error mounts_add_boot(const char *path)
{
    if (find_exact(path))
        return WG_ERR_ALREADY_EXISTS;
    struct mount *m = free_slot(path);
    if (!m)
        return WG_ERR_NO_MEMORY;
    *m = (struct mount){.used = true, .boot = true, .read_only = true};
    strlcpy(m->path, path, sizeof m->path);
    strlcpy(m->device, "archive", sizeof m->device);
    strlcpy(m->kind, "bootfs", sizeof m->kind);
    return WG_ERR_OK;
}

/* Whether another mount (not the boot archive's) lies below `m`. */
static bool has_mounts_below(const struct mount *m)
{
    const char *rest;
    for (unsigned i = 0; i < MOUNTS_MAX; i++)
        if (mounts[i].used && &mounts[i] != m && !mounts[i].boot &&
            vfs_path_below(mounts[i].path, m->path, &rest))
            return true;
    return false;
}

enum wg_error mounts_remove(const char *path)
{
    struct mount *m = find_exact(path);
    if (!m)
        return WG_ERR_NOT_FOUND;
    if (m->boot)
        return WG_ERR_ACCESS_DENIED;
    if (fs_session_count_where(mounts_index(m)) || has_mounts_below(m))
        return WG_ERR_BUSY;
    struct fs_unmount_request request = {0};
    struct fs_unmount_response response;
    enum wg_error err = fs_unmount_call(m->connection, &request, &response, MOUNT_TIMEOUT_NS);
    if (err == WG_ERR_OK && !m->supervised)
        wg_process_wait(&m->process, MOUNT_TIMEOUT_NS);
    printf("vfs: %s unmounted from %s%s%s\n", m->device, m->path, err ? ": " : "",
           err ? wg_error_name(err) : "");
    drop(m, err != WG_ERR_OK); /* a clean unmount exits with 0: svcman leaves it stopped */
    return err;
}
