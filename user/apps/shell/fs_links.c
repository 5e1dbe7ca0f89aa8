/* The shell's link commands: `ln EXISTING NEW` (a hard link), `ln -s TARGET PATH` (a
 * symbolic link holding TARGET as written) and `readlink PATH`. A NEW or PATH naming a
 * directory puts the link inside it, under the last name of EXISTING or TARGET. */
#include <vfs.h>
#include "fs_commands.h"
#include "term.h"

static char path_a[VFS_PATH_MAX + 1], path_b[VFS_PATH_MAX + 1];
static char target[VFS_PATH_MAX + 1];

/* Why a link call failed, in words a user can act on; NULL if the error says it all. */
static const char *link_hint(enum wg_error err, bool symbolic)
{
    if (err == WG_ERR_IS_DIRECTORY && !symbolic)
        return "a hard link cannot name a directory (ln -s can)";
    if (err == WG_ERR_NOT_SUPPORTED)
        return "a hard link cannot cross file systems (ln -s can)";
    return NULL;
}

static void ln_command(int argc, char **argv)
{
    bool symbolic = argc == 4 && strcmp(argv[1], "-s") == 0;
    if (argc != 3 && !symbolic) {
        term_puts("usage: ln EXISTING NEW | ln -s TARGET PATH\n");
        return;
    }
    const char *from = argv[argc - 2], *to = argv[argc - 1];
    if (!fs_commands_path("ln", to, path_b))
        return;
    if (!symbolic && !fs_commands_path("ln", from, path_a))
        return;
    fs_commands_into_directory(path_b, vfs_path_base(symbolic ? from : path_a));
    enum wg_error err = symbolic ? vfs_symlink(from, path_b) : vfs_link(path_a, path_b);
    if (err == WG_ERR_OK)
        return;
    /* The name at fault: the new one when it is taken or cannot be made, else the source. */
    bool new_name = err == WG_ERR_ALREADY_EXISTS || err == WG_ERR_READ_ONLY || symbolic;
    fs_commands_error("ln", new_name ? to : from, err);
    const char *hint = link_hint(err, symbolic);
    if (hint)
        term_printf("note: %s\n", hint);
}

static void readlink_command(int argc, char **argv)
{
    if (argc != 2) {
        term_puts("usage: readlink PATH\n");
        return;
    }
    if (!fs_commands_path("readlink", argv[1], path_a))
        return;
    struct wg_result got = vfs_readlink(path_a, target, sizeof target);
    if (got.err == WG_ERR_INVALID_ARGUMENT)
        term_printf("error: readlink %s: not a symbolic link\n", argv[1]);
    else if (got.err != WG_ERR_OK)
        fs_commands_error("readlink", argv[1], got.err);
    else
        term_printf("%s\n", target);
}

const struct fs_command fs_link_commands[] = {
    {"ln", "ln [-s] EXISTING NEW", "makes a hard (or -s: symbolic) link", ln_command},
    {"readlink", "readlink PATH", "prints a symbolic link's target", readlink_command},
    {NULL, NULL, NULL, NULL},
};
