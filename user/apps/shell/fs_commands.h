/* The shell's file commands (fs_commands.c, fs_files.c, fs_show.c, fs_links.c) over the VFS
 * client (user/lib/vfs.h), a working directory, and programs found through PATH (programs.c). */
#pragma once

#include <stdbool.h>
#include <wingos.h>

#define FS_COMMANDS_PATH "/bin" /* where a bare program name is looked for first */

/* Runs argv[0] if it is a file command (or `echo ... > file`); false if it is not one. */
bool fs_commands_run(int argc, char **argv);
/* Adds the file commands to `help`. */
void fs_commands_help(void);

/* `arg` as an absolute normal path from the working directory, in `out` (VFS_PATH_MAX + 1
 * bytes); false (the error printed, naming `command`) if it cannot be. */
bool fs_commands_path(const char *command, const char *arg, char *out);
/* If `path` (VFS_PATH_MAX + 1 bytes) is a directory, `name` is appended to it: mv and ln
 * into a directory. */
void fs_commands_into_directory(char *path, const char *name);
/* Prints "error: COMMAND ARG: what went wrong". */
void fs_commands_error(const char *command, const char *arg, enum wg_error err);

/* The shared table of commands the files define. */
struct fs_command {
    const char *name, *usage, *what;
    void (*run)(int argc, char **argv);
};
extern const struct fs_command fs_file_commands[];
extern const struct fs_command fs_show_commands[];
extern const struct fs_command fs_link_commands[];
/* Whether an echo line writes to a file (a ">" or ">>" word). */
bool fs_files_is_redirect(int argc, char **argv);

/* Starts a program with `stdio` as its console: a name with '/' is a file (from the working
 * directory); a bare name is looked for as FS_COMMANDS_PATH/NAME, then in the boot archive. */
enum wg_error programs_spawn(const char *name, int argc, const char *const *argv, wg_handle stdio,
                             struct wg_process *out);
