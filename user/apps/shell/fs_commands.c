/* The shell's file commands: the table, the working directory (cd, pwd), errors, and the
 * commands that change names (mkdir, rmdir, rm, mv, touch). */
#include <vfs.h>
#include "fs_commands.h"
#include "term.h"

static char cwd[VFS_PATH_MAX + 1] = "/";
static char path_a[VFS_PATH_MAX + 1], path_b[VFS_PATH_MAX + 1];

void fs_commands_error(const char *command, const char *arg, enum wg_error err)
{
    static const char *const texts[] = {
#define FS_ERROR_TEXT(name, text) [WG_ERR_##name] = text,
        WG_ERROR_LIST(FS_ERROR_TEXT)
#undef FS_ERROR_TEXT
    };
    const char *text = (unsigned)err < WG_ERROR_COUNT ? texts[err] : "unknown error";
    term_printf("error: %s%s%s: %s\n", command, arg ? " " : "", arg ? arg : "", text);
}

bool fs_commands_path(const char *command, const char *arg, char *out)
{
    enum wg_error err = vfs_path_normal(cwd, arg, out, VFS_PATH_MAX + 1);
    if (err != WG_ERR_OK)
        fs_commands_error(command, arg, err);
    return err == WG_ERR_OK;
}

static void cd(int argc, char **argv)
{
    struct fs_stat st;
    if (argc > 2) {
        term_puts("usage: cd [DIR]\n");
        return;
    }
    const char *arg = argc == 2 ? argv[1] : "/";
    if (!fs_commands_path("cd", arg, path_a))
        return;
    enum wg_error err = vfs_stat(path_a, true, &st);
    if (err == WG_ERR_OK && st.type != FS_NODE_TYPE_DIRECTORY)
        err = WG_ERR_NOT_DIRECTORY;
    if (err != WG_ERR_OK)
        fs_commands_error("cd", arg, err);
    else
        strlcpy(cwd, path_a, sizeof cwd);
}

static void pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    term_printf("%s\n", cwd);
}

/* Runs `op` on the path of every argument; the first error stops. */
static void each_path(int argc, char **argv, const char *usage, enum wg_error (*op)(const char *))
{
    if (argc < 2) {
        term_printf("usage: %s\n", usage);
        return;
    }
    for (int i = 1; i < argc; i++) {
        if (!fs_commands_path(argv[0], argv[i], path_a))
            return;
        enum wg_error err = op(path_a);
        if (err != WG_ERR_OK) {
            fs_commands_error(argv[0], argv[i], err);
            return;
        }
    }
}

static enum wg_error make_dir(const char *path)
{
    return vfs_mkdir(path, 0755);
}

static enum wg_error touch_one(const char *path)
{
    struct vfs_open_result opened = vfs_open(path, FS_OPEN_FLAGS_CREATE, 0644);
    return opened.err == WG_ERR_OK ? vfs_close(opened.file) : opened.err;
}

static void mkdir_command(int argc, char **argv)
{
    each_path(argc, argv, "mkdir DIR...", make_dir);
}

static void rmdir_command(int argc, char **argv)
{
    each_path(argc, argv, "rmdir DIR...", vfs_rmdir);
}

static void rm_command(int argc, char **argv)
{
    each_path(argc, argv, "rm FILE...", vfs_unlink);
}

static void touch_command(int argc, char **argv)
{
    each_path(argc, argv, "touch FILE...", touch_one);
}

void fs_commands_into_directory(char *path, const char *name)
{
    struct fs_stat st;
    if (vfs_stat(path, true, &st) != WG_ERR_OK || st.type != FS_NODE_TYPE_DIRECTORY)
        return;
    size_t length = strlen(path);
    snprintf(path + length, VFS_PATH_MAX + 1 - length, "%s%s", length > 1 ? "/" : "", name);
}

/* mv FROM TO; TO may be a directory to move into. */
static void mv_command(int argc, char **argv)
{
    if (argc != 3) {
        term_puts("usage: mv FROM TO\n");
        return;
    }
    if (!fs_commands_path("mv", argv[1], path_a) || !fs_commands_path("mv", argv[2], path_b))
        return;
    fs_commands_into_directory(path_b, vfs_path_base(path_a));
    enum wg_error err = vfs_rename(path_a, path_b);
    if (err != WG_ERR_OK)
        fs_commands_error("mv", argv[1], err);
}

static void sync_command(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    enum wg_error err = vfs_sync();
    if (err != WG_ERR_OK)
        fs_commands_error("sync", NULL, err);
}

static const struct fs_command name_commands[] = {
    {"cd", "cd [DIR]", "changes the working directory", cd},
    {"pwd", "pwd", "prints the working directory", pwd},
    {"mkdir", "mkdir DIR...", "makes directories", mkdir_command},
    {"rmdir", "rmdir DIR...", "removes empty directories", rmdir_command},
    {"rm", "rm FILE...", "removes files", rm_command},
    {"mv", "mv FROM TO", "renames or moves a file or directory", mv_command},
    {"touch", "touch FILE...", "creates empty files", touch_command},
    {"sync", "sync", "writes every change to the disks", sync_command},
    {NULL, NULL, NULL, NULL},
};

static const struct fs_command *const tables[] = {name_commands, fs_file_commands, fs_show_commands,
                                                  fs_link_commands};

bool fs_commands_run(int argc, char **argv)
{
    if (strcmp(argv[0], "echo") == 0 && !fs_files_is_redirect(argc, argv))
        return false; /* the plain echo */
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct fs_command *c = tables[t]; c->name; c++)
            if (strcmp(argv[0], c->name) == 0) {
                c->run(argc, argv);
                return true;
            }
    return false;
}

void fs_commands_help(void)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct fs_command *c = tables[t]; c->name; c++)
            term_printf("  %-26s %s\n", c->usage, c->what);
}
