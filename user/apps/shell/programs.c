/* Starting programs by name for the shell: from a file (a name with '/', or FS_COMMANDS_PATH
 * for a bare name) through the VFS and EXEC_IMAGE, else from the boot archive (what starts
 * before the file system, and the fallback when there is none). */
#include <vfs.h>
#include "fs_commands.h"

static char path[VFS_PATH_MAX + 1];

/* FS_COMMANDS_PATH/name in `path`, if it names a file there. */
static bool in_path(const char *name)
{
    struct fs_stat st;
    if (strlen(name) > VFS_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    snprintf(path, sizeof path, "%s/%s", FS_COMMANDS_PATH, name);
    return vfs_stat(path, true, &st) == WG_ERR_OK && st.type == FS_NODE_TYPE_FILE;
}

enum wg_error programs_spawn(const char *name, int argc, const char *const *argv, wg_handle stdio,
                             struct wg_process *out)
{
    if (strchr(name, '/')) {
        enum wg_error err = vfs_path_normal("/", name, path, sizeof path);
        if (name[0] != '/')
            err = fs_commands_path("run", name, path) ? WG_ERR_OK : WG_ERR_INVALID_ARGUMENT;
        return err == WG_ERR_OK ? vfs_spawn_stdio(path, argc, argv, stdio, out) : err;
    }
    if (in_path(name))
        return vfs_spawn_stdio(path, argc, argv, stdio, out);
    return wg_spawn_stdio(name, argc, argv, 0, stdio, out);
}
