/* Starting programs by name for the shell: from a file (a name with '/', or FS_COMMANDS_PATH
 * for a bare name) through the VFS and EXEC_IMAGE, else from the boot archive (what starts
 * before the file system, and the fallback when there is none). */
#include <vfs.h>
#include "fs_commands.h"
#include "commands.h"
#include "jobs.h"
#include "term.h"

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

enum wg_error programs_spawn(const char *name, int argc, const char *const *argv,
                             struct wg_process *out)
{
    if (strchr(name, '/')) {
        enum wg_error err = vfs_path_normal("/", name, path, sizeof path);
        if (name[0] != '/')
            err = fs_commands_path("run", name, path) ? WG_ERR_OK : WG_ERR_INVALID_ARGUMENT;
        return err == WG_ERR_OK ? vfs_spawn(path, argc, argv, out) : err;
    }
    if (in_path(name))
        return vfs_spawn(path, argc, argv, out);
    return wg_spawn(name, argc, argv, out);
}

bool programs_try_path(int argc, char **argv)
{
    static char *words[COMMANDS_WORDS_MAX + 1];
    if (argc > COMMANDS_WORDS_MAX || (!strchr(argv[0], '/') && !in_path(argv[0])))
        return false;
    words[0] = "run";
    for (int i = 0; i < argc; i++)
        words[i + 1] = argv[i];
    jobs_run(argc + 1, words);
    return true;
}
