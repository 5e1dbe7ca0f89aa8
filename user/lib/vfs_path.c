/* Path arithmetic (vfs_path.h). */
#include <lib/string.h>
#include "vfs_path.h"

/* Appends component `name` (`length` bytes) to `out` (holding `*used` bytes) as "/name". */
static enum wg_error push(char *out, size_t size, size_t *used, const char *name, size_t length)
{
    if (length > VFS_NAME_MAX || *used + 1 + length + 1 > size || *used + 1 + length > VFS_PATH_MAX)
        return WG_ERR_NAME_TOO_LONG;
    out[(*used)++] = '/';
    memcpy(out + *used, name, length);
    *used += length;
    out[*used] = '\0';
    return WG_ERR_OK;
}

/* Takes the last component off `out`. */
static void pop(char *out, size_t *used)
{
    while (*used > 0 && out[*used - 1] != '/')
        (*used)--;
    if (*used > 0)
        (*used)--;
    out[*used] = '\0';
}

/* Adds the components of `path` to `out`. */
static enum wg_error walk(const char *path, char *out, size_t size, size_t *used)
{
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t length = (size_t)(p - start);
        if (length == 0 || (length == 1 && start[0] == '.'))
            continue;
        if (length == 2 && start[0] == '.' && start[1] == '.') {
            pop(out, used);
            continue;
        }
        enum wg_error err = push(out, size, used, start, length);
        if (err != WG_ERR_OK)
            return err;
    }
    return WG_ERR_OK;
}

enum wg_error vfs_path_normal(const char *cwd, const char *path, char *out, size_t size)
{
    if (!path || !path[0] || size < 2)
        return WG_ERR_INVALID_ARGUMENT;
    size_t used = 0;
    out[0] = '\0';
    enum wg_error err = WG_ERR_OK;
    if (path[0] != '/') {
        if (!cwd || cwd[0] != '/')
            return WG_ERR_INVALID_ARGUMENT;
        err = walk(cwd, out, size, &used);
    }
    if (err == WG_ERR_OK)
        err = walk(path, out, size, &used);
    if (err == WG_ERR_OK && used == 0) {
        out[0] = '/';
        out[1] = '\0';
    }
    return err;
}

bool vfs_path_below(const char *path, const char *prefix, const char **rest)
{
    if (strcmp(prefix, "/") == 0) {
        *rest = path;
        return true;
    }
    size_t length = strlen(prefix);
    if (strncmp(path, prefix, length) != 0 || (path[length] != '\0' && path[length] != '/'))
        return false;
    *rest = path[length] ? path + length : "/";
    return true;
}

const char *vfs_path_base(const char *path)
{
    const char *last = path;
    for (const char *p = path; *p; p++)
        if (*p == '/')
            last = p + 1;
    return last;
}
