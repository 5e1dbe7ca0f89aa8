/* The VFS client's calls on open files, directories and program loading (vfs.h). */
#include <wingos.h>
#include "vfs.h"

#define DIR_AT (VFS_BUFFER_SIZE - 4096) /* the last page of the buffer holds readdir batches */

enum wg_error vfs_close(uint32_t file)
{
    struct fs_close_request request = {.file = file};
    struct fs_close_response response;
    return fs_close_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
}

struct wg_result vfs_read(uint32_t file, void *buf, size_t length)
{
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < VFS_BUFFER_SIZE ? length - done : VFS_BUFFER_SIZE;
        struct fs_read_request request = {.file = file, .at = 0, .length = (uint32_t)chunk};
        struct fs_read_response response;
        enum wg_error err = fs_read_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
        if (err == WG_ERR_OK && response.count > chunk)
            err = WG_ERR_BAD_FORMAT;
        if (err != WG_ERR_OK)
            return (struct wg_result){err, 0};
        memcpy((uint8_t *)buf + done, vfs_buffer(), response.count);
        done += response.count;
        if (response.count < chunk)
            break;
    }
    return (struct wg_result){WG_ERR_OK, done};
}

struct wg_result vfs_write(uint32_t file, const void *buf, size_t length)
{
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < VFS_BUFFER_SIZE ? length - done : VFS_BUFFER_SIZE;
        memcpy(vfs_buffer(), (const uint8_t *)buf + done, chunk);
        struct fs_write_request request = {.file = file, .at = 0, .length = (uint32_t)chunk};
        struct fs_write_response response;
        enum wg_error err = fs_write_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
        if (err == WG_ERR_OK && response.count > chunk)
            err = WG_ERR_BAD_FORMAT;
        if (err == WG_ERR_NO_SPACE && done > 0)
            break; /* a short write: what was written counts */
        if (err != WG_ERR_OK)
            return (struct wg_result){err, 0};
        done += response.count;
        if (response.count < chunk)
            break;
    }
    return (struct wg_result){WG_ERR_OK, done};
}

struct wg_result vfs_seek(uint32_t file, int64_t offset, uint8_t whence)
{
    struct fs_seek_request request = {.file = file, .offset = offset, .whence = whence};
    struct fs_seek_response response;
    enum wg_error err = fs_seek_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    return (struct wg_result){err, err == WG_ERR_OK ? response.position : 0};
}

enum wg_error vfs_fstat(uint32_t file, struct fs_stat *out)
{
    struct fs_fstat_request request = {.file = file};
    struct fs_fstat_response response;
    enum wg_error err = fs_fstat_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    if (err == WG_ERR_OK)
        *out = response.stat;
    return err;
}

enum wg_error vfs_truncate(uint32_t file, uint64_t size)
{
    struct fs_truncate_request request = {.file = file, .size = size};
    struct fs_truncate_response response;
    return fs_truncate_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
}

enum wg_error vfs_fsync(uint32_t file)
{
    struct fs_fsync_request request = {.file = file};
    struct fs_fsync_response response;
    return fs_fsync_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
}

enum wg_error vfs_opendir(const char *path, struct vfs_dir *dir)
{
    struct vfs_open_result opened = vfs_open(path, FS_OPEN_FLAGS_READ | FS_OPEN_FLAGS_DIRECTORY, 0);
    if (opened.err != WG_ERR_OK)
        return opened.err;
    dir->file = opened.file;
    dir->cookie = 0;
    dir->at = dir->bytes = 0;
    dir->end = false;
    return WG_ERR_OK;
}

/* Fetches the next batch of entries into dir->batch. */
static enum wg_error fetch(struct vfs_dir *dir)
{
    struct fs_readdir_request request = {dir->file, dir->cookie, DIR_AT, sizeof dir->batch};
    struct fs_readdir_response response;
    enum wg_error err = fs_readdir_call(vfs_connection(), &request, &response, VFS_TIMEOUT_NS);
    if (err == WG_ERR_OK && response.bytes > sizeof dir->batch)
        err = WG_ERR_BAD_FORMAT;
    if (err != WG_ERR_OK)
        return err;
    memcpy(dir->batch, vfs_buffer() + DIR_AT, response.bytes);
    dir->at = 0;
    dir->bytes = response.bytes;
    dir->cookie = response.next;
    dir->end = response.end;
    return WG_ERR_OK;
}

enum wg_error vfs_readdir(struct vfs_dir *dir, const struct fs_dirent **out)
{
    while (dir->at >= dir->bytes) {
        if (dir->end)
            return WG_ERR_NOT_FOUND;
        enum wg_error err = fetch(dir);
        if (err != WG_ERR_OK)
            return err;
    }
    if (!fs_dirent_next(dir->batch, dir->bytes, &dir->at, &dir->entry))
        return WG_ERR_BAD_FORMAT;
    *out = &dir->entry;
    return WG_ERR_OK;
}

void vfs_closedir(struct vfs_dir *dir)
{
    vfs_close(dir->file);
}

/* Reads the whole file into a new memory asset (its handle in *memory), `size` bytes. */
static enum wg_error read_image(uint32_t file, uint64_t size, wg_handle *memory)
{
    uint64_t pages = (size + 4095) / 4096;
    struct wg_result pmem = wg_pmem_create(WG_SELF, pages, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem))
        return pmem.err;
    struct wg_result map =
        wg_vmem_map(WG_SELF, pmem.value, VFS_IMAGE_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
    struct wg_result got = {.err = map.err};
    if (wg_ok(map)) {
        got = vfs_read(file, (void *)VFS_IMAGE_ADDRESS, size);
        wg_asset_release(WG_SELF, map.value);
    }
    if (wg_ok(got) && got.value != size)
        got.err = WG_ERR_BAD_FORMAT; /* the file shrank meanwhile */
    if (!wg_ok(got)) {
        wg_asset_release(WG_SELF, pmem.value);
        return got.err;
    }
    *memory = pmem.value;
    return WG_ERR_OK;
}

/* EXEC_IMAGE of `image` into a new child space, started, with `stdio` as its console. */
static enum wg_error start_image(wg_handle image, uint64_t size, const char *name,
                                 struct wg_exec_args *args, wg_handle stdio, struct wg_process *out)
{
    struct wg_result space = wg_space_create(WG_SELF, 0);
    if (!wg_ok(space))
        return space.err;
    size_t length = strnlen(name, WG_EXEC_NAME_MAX);
    enum wg_error err = wg_give_stdio(space.value, stdio, args);
    struct wg_result task = {err, 0};
    if (err == WG_ERR_OK)
        task = wg_exec_image(space.value, image, size, name, length, args);
    err = task.err;
    if (err == WG_ERR_OK) {
        err = wg_task_start(WG_SELF, task.value).err;
        if (err != WG_ERR_OK)
            wg_asset_release(WG_SELF, task.value);
    }
    if (err != WG_ERR_OK) {
        wg_space_destroy(WG_SELF, space.value);
        return err;
    }
    *out = (struct wg_process){.space = space.value, .task = task.value};
    return WG_ERR_OK;
}

enum wg_error vfs_spawn(const char *path, int argc, const char *const *argv, struct wg_process *out)
{
    return vfs_spawn_stdio(path, argc, argv, wg_stdio, out);
}

enum wg_error vfs_spawn_stdio(const char *path, int argc, const char *const *argv, wg_handle stdio,
                              struct wg_process *out)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    struct wg_exec_args args;
    const char *name = vfs_path_base(path);
    const char *name_only[1] = {name};
    enum wg_error err = argc > 0 ? wg_pack_args(argc, argv, strings, &args)
                                 : wg_pack_args(1, name_only, strings, &args);
    if (err != WG_ERR_OK)
        return err;
    struct vfs_open_result opened = vfs_open(path, FS_OPEN_FLAGS_READ, 0);
    if (opened.err != WG_ERR_OK)
        return opened.err;
    uint64_t size = opened.stat.size;
    wg_handle image = 0;
    if (opened.stat.type != FS_NODE_TYPE_FILE)
        err = WG_ERR_IS_DIRECTORY;
    else if (size == 0 || size > WG_EXEC_IMAGE_MAX)
        err = WG_ERR_BAD_FORMAT;
    else
        err = read_image(opened.file, size, &image);
    vfs_close(opened.file);
    if (err == WG_ERR_OK) {
        err = start_image(image, size, name, &args, stdio, out);
        wg_asset_release(WG_SELF, image);
    }
    return err;
}
