/* The VFS client's calls on open files, directories and program loading (vfs.h): file
 * numbers are ours (vfs_conn.c), offsets too; every call is sent again after the VFS's
 * restart (vfs_again_file). */
#include <wingos.h>
#include "vfs.h"

#define DIR_AT (VFS_BUFFER_SIZE - 4096) /* the last page of the buffer holds readdir batches */

/* Our open file `id` (BAD_HANDLE if none), not lost (STALE_HANDLE). */
static enum wg_error file_of(uint32_t id, struct vfs_file **out)
{
    struct vfs_file *file = vfs_file_get(id);
    if (!file)
        return WG_ERR_BAD_HANDLE;
    *out = file;
    return file->lost ? WG_ERR_STALE_HANDLE : WG_ERR_OK;
}

enum wg_error vfs_close(uint32_t id)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    struct fs_close_request request;
    struct fs_close_response response;
    VFS_SEND_FILE(fs_close_call, file, request, response, err);
    if (file && (err == WG_ERR_OK || err == WG_ERR_STALE_HANDLE || err == WG_ERR_PEER_CLOSED))
        vfs_file_free(file); /* nothing more to close there */
    return err == WG_ERR_STALE_HANDLE ? WG_ERR_OK : err;
}

/* One read of at most the buffer's size at the file's offset into the buffer. */
static enum wg_error read_chunk(struct vfs_file *file, uint32_t length, uint32_t *count)
{
    struct fs_read_request request = {.length = length, .offset = file->offset};
    struct fs_read_response response;
    enum wg_error err = WG_ERR_OK;
    VFS_SEND_FILE(fs_read_call, file, request, response, err);
    if (err == WG_ERR_OK && response.count > length)
        err = WG_ERR_BAD_FORMAT;
    *count = err == WG_ERR_OK ? response.count : 0;
    return err;
}

struct wg_result vfs_read(uint32_t id, void *buf, size_t length)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    size_t done = 0;
    while (err == WG_ERR_OK && done < length) {
        size_t chunk = length - done < VFS_BUFFER_SIZE ? length - done : VFS_BUFFER_SIZE;
        uint32_t count;
        err = read_chunk(file, (uint32_t)chunk, &count);
        if (err != WG_ERR_OK)
            break;
        memcpy((uint8_t *)buf + done, vfs_buffer(), count);
        done += count;
        file->offset += count;
        if (count < chunk)
            break;
    }
    return (struct wg_result){err, err == WG_ERR_OK ? done : 0};
}

/* The file's size (fstat), sent again after the VFS's restart. */
static enum wg_error size_of(struct vfs_file *file, uint64_t *size)
{
    struct fs_fstat_request request;
    struct fs_fstat_response response;
    enum wg_error err = WG_ERR_OK;
    VFS_SEND_FILE(fs_fstat_call, file, request, response, err);
    *size = err == WG_ERR_OK ? response.stat.size : 0;
    return err;
}

/* One write of `length` bytes (in the buffer) at the file's offset; an APPEND file's
 * offset is its size first, so a write sent again lands where the first one did. */
static enum wg_error write_chunk(struct vfs_file *file, uint32_t length, uint32_t *count)
{
    enum wg_error err = WG_ERR_OK;
    if (file->flags & FS_OPEN_FLAGS_APPEND)
        err = size_of(file, &file->offset);
    struct fs_write_request request = {.length = length, .offset = file->offset};
    struct fs_write_response response;
    VFS_SEND_FILE(fs_write_call, file, request, response, err);
    if (err == WG_ERR_OK && response.count > length)
        err = WG_ERR_BAD_FORMAT;
    *count = err == WG_ERR_OK ? response.count : 0;
    return err;
}

struct wg_result vfs_write(uint32_t id, const void *buf, size_t length)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    size_t done = 0;
    while (err == WG_ERR_OK && done < length) {
        size_t chunk = length - done < VFS_BUFFER_SIZE ? length - done : VFS_BUFFER_SIZE;
        memcpy(vfs_buffer(), (const uint8_t *)buf + done, chunk);
        uint32_t count;
        err = write_chunk(file, (uint32_t)chunk, &count);
        if (err == WG_ERR_NO_SPACE && done > 0)
            return (struct wg_result){WG_ERR_OK, done}; /* a short write: what was written counts */
        if (err != WG_ERR_OK)
            break;
        done += count;
        file->offset += count;
        if (count < chunk)
            break;
    }
    return (struct wg_result){err, err == WG_ERR_OK ? done : 0};
}

struct wg_result vfs_seek(uint32_t id, int64_t offset, uint8_t whence)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    uint64_t base = 0;
    if (err == WG_ERR_OK && whence == FS_WHENCE_CURRENT)
        base = file->offset;
    else if (err == WG_ERR_OK && whence == FS_WHENCE_END)
        err = size_of(file, &base);
    else if (err == WG_ERR_OK && whence != FS_WHENCE_SET)
        err = WG_ERR_INVALID_ARGUMENT;
    if (err == WG_ERR_OK && offset < 0 && (uint64_t) - (offset + 1) >= base)
        err = WG_ERR_INVALID_ARGUMENT; /* before the start */
    uint64_t at = base + (uint64_t)offset;
    if (err == WG_ERR_OK && offset > 0 && at < base)
        err = WG_ERR_OUT_OF_RANGE;
    if (err != WG_ERR_OK)
        return (struct wg_result){err, 0};
    file->offset = at;
    return (struct wg_result){WG_ERR_OK, at};
}

enum wg_error vfs_fstat(uint32_t id, struct fs_stat *out)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    struct fs_fstat_request request;
    struct fs_fstat_response response;
    VFS_SEND_FILE(fs_fstat_call, file, request, response, err);
    if (err == WG_ERR_OK)
        *out = response.stat;
    return err;
}

enum wg_error vfs_truncate(uint32_t id, uint64_t size)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    struct fs_truncate_request request = {.size = size};
    struct fs_truncate_response response;
    VFS_SEND_FILE(fs_truncate_call, file, request, response, err);
    return err;
}

enum wg_error vfs_fsync(uint32_t id)
{
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(id, &file);
    struct fs_fsync_request request;
    struct fs_fsync_response response;
    VFS_SEND_FILE(fs_fsync_call, file, request, response, err);
    return err;
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
    struct vfs_file *file = NULL;
    enum wg_error err = file_of(dir->file, &file);
    struct fs_readdir_request request = {0, dir->cookie, DIR_AT, sizeof dir->batch};
    struct fs_readdir_response response;
    VFS_SEND_FILE(fs_readdir_call, file, request, response, err);
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
