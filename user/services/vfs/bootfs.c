/* The boot archive as a read-only file system (mounted at /boot): one directory holding
 * every file of the archive (ARCHIVE_LIST names them, ARCHIVE_READ reads them). Node 1 is
 * the directory, node i + 2 the archive's i-th file. */
#include <fs_dirent.h>
#include <wingos.h>
#include "vfsd.h"

#define FILES_MAX 4096 /* a bound on the walk over a (checked) archive */

static struct fs_stat file_stat(uint64_t index, uint64_t size)
{
    return (struct fs_stat){.inode = index + 2,
                            .type = FS_NODE_TYPE_FILE,
                            .mode = 0555,
                            .links = 1,
                            .size = size,
                            .blocks = (size + 511) / 512};
}

enum wg_error bootfs_lookup(const char *rest, struct fs_stat *out)
{
    if (strcmp(rest, "/") == 0) {
        *out =
            (struct fs_stat){.inode = 1, .type = FS_NODE_TYPE_DIRECTORY, .mode = 0555, .links = 2};
        return WG_ERR_OK;
    }
    if (strchr(rest + 1, '/'))
        return WG_ERR_NOT_DIRECTORY; /* only the one directory: "/x/y" has x a file */
    char name[WG_EXEC_NAME_MAX + 1];
    for (uint64_t i = 0; i < FILES_MAX; i++) {
        struct wg_result listed = wg_archive_list(name, sizeof name, i);
        if (!wg_ok(listed))
            return listed.err;
        if (strcmp(name, rest + 1) != 0)
            continue;
        struct wg_result size = wg_archive_read(i, 0, NULL, 0);
        if (!wg_ok(size))
            return size.err;
        *out = file_stat(i, size.value);
        return WG_ERR_OK;
    }
    return WG_ERR_NOT_FOUND;
}

enum wg_error bootfs_read(uint64_t node, uint64_t position, uint8_t *out, uint32_t length,
                          uint32_t *count)
{
    *count = 0;
    if (node < 2)
        return WG_ERR_IS_DIRECTORY;
    struct wg_result size = wg_archive_read(node - 2, 0, NULL, 0);
    if (!wg_ok(size))
        return size.err;
    if (position >= size.value)
        return WG_ERR_OK;
    uint64_t left = size.value - position;
    uint32_t n = left < length ? (uint32_t)left : length;
    struct wg_result read = wg_archive_read(node - 2, position, out, n);
    if (wg_ok(read))
        *count = n;
    return read.err;
}

enum wg_error bootfs_readdir(uint64_t cookie, uint8_t *out, uint32_t length,
                             struct fs_readdir_response *response)
{
    char name[WG_EXEC_NAME_MAX + 1];
    uint32_t used = 0, count = 0;
    uint64_t i = cookie;
    *response = (struct fs_readdir_response){0};
    for (; i < FILES_MAX; i++) {
        struct wg_result listed = wg_archive_list(name, sizeof name, i);
        if (listed.err == WG_ERR_NOT_FOUND) {
            response->end = true;
            break;
        }
        struct wg_result size = wg_ok(listed) ? wg_archive_read(i, 0, NULL, 0) : listed;
        if (!wg_ok(size))
            return size.err;
        struct fs_stat st = file_stat(i, size.value);
        struct fs_dirent head = {.inode = st.inode,
                                 .size = st.size,
                                 .mode = st.mode,
                                 .type = st.type,
                                 .name_length = (uint8_t)listed.value};
        if (!fs_dirent_put(out, length, &used, &head, name))
            break;
        count++;
    }
    if (count == 0 && !response->end)
        return WG_ERR_OUT_OF_RANGE;
    response->count = count;
    response->bytes = used;
    response->next = i;
    return WG_ERR_OK;
}

void bootfs_statfs(struct fs_stat_fs *out)
{
    *out = (struct fs_stat_fs){.block_size = 512, .read_only = true};
}
