/* The ext2 server's READDIR: entries of an open directory as fs_dirent records in the
 * client's buffer, "." and ".." left out; the cookie is the library's byte position. */
#include <fs_dirent.h>
#include <wingos.h>
#include "ext2fs.h"

/* The record of one directory entry (its size and mode read from its inode). */
static enum wg_error describe(const struct ext2_dirent *entry, struct fs_dirent *out)
{
    struct fs_stat st;
    enum wg_error err = ext2fs_stat(entry->ino, &st);
    if (err != WG_ERR_OK)
        return err;
    *out = (struct fs_dirent){.inode = entry->ino,
                              .size = st.size,
                              .mode = st.mode,
                              .type = st.type,
                              .name_length = entry->name_len};
    return WG_ERR_OK;
}

static bool is_dot(const struct ext2_dirent *entry)
{
    return strcmp(entry->name, ".") == 0 || strcmp(entry->name, "..") == 0;
}

enum wg_error ext2fs_readdir(void *context, struct idl_call *call,
                             const struct fs_readdir_request *request,
                             struct fs_readdir_response *response)
{
    (void)context;
    struct fs_session *session = ext2fs_session(call);
    struct fs_open_file *file;
    enum wg_error err =
        session ? fs_session_file(session, request->file, FS_RIGHT_READ, &file) : WG_ERR_BUSY;
    uint8_t *range = NULL;
    if (err == WG_ERR_OK && file->type != FS_NODE_TYPE_DIRECTORY)
        err = WG_ERR_NOT_DIRECTORY;
    if (err == WG_ERR_OK && !(range = fs_session_range(session, request->at, request->length)))
        err = WG_ERR_BAD_ADDRESS;
    if (err != WG_ERR_OK)
        return err;
    uint64_t position = request->cookie;
    uint32_t used = 0, count = 0;
    static struct ext2_dirent entry;
    for (;;) {
        uint64_t before = position;
        err = ext2_readdir(ext2fs.fs, (uint32_t)file->node, &position, &entry);
        if (err == WG_ERR_NOT_FOUND) {
            response->end = true;
            break;
        }
        struct fs_dirent head;
        if (err == WG_ERR_OK && !is_dot(&entry))
            err = describe(&entry, &head);
        if (err != WG_ERR_OK)
            return err;
        if (is_dot(&entry))
            continue;
        if (!fs_dirent_put(range, request->length, &used, &head, entry.name)) {
            position = before; /* this one starts the next batch */
            break;
        }
        count++;
    }
    if (count == 0 && !response->end)
        return WG_ERR_OUT_OF_RANGE; /* not even one entry fits */
    response->count = count;
    response->bytes = used;
    response->next = position;
    return WG_ERR_OK;
}
