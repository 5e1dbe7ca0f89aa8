/* The shell's commands that show files and file systems: ls, stat, df, mount, umount. */
#include <vfs.h>
#include "fs_commands.h"
#include "term.h"

static char path[VFS_PATH_MAX + 1];
static struct vfs_dir dir;

static char type_letter(uint8_t type)
{
    return type == FS_NODE_TYPE_DIRECTORY ? 'd'
           : type == FS_NODE_TYPE_SYMLINK ? 'l'
           : type == FS_NODE_TYPE_FILE    ? '-'
                                          : '?';
}

static const char *type_mark(uint8_t type)
{
    return type == FS_NODE_TYPE_DIRECTORY ? "/" : type == FS_NODE_TYPE_SYMLINK ? "@" : "";
}

static void show_entry(const char *name, uint8_t type, uint16_t mode, uint64_t size, bool long_form)
{
    if (long_form)
        term_printf("%c %04o %10llu %s%s\n", type_letter(type), mode, (unsigned long long)size,
                    name, type_mark(type));
    else
        term_printf("%s%s\n", name, type_mark(type));
}

/* Lists one path: a directory's entries, or the file itself. */
static void list(const char *arg, bool long_form)
{
    struct fs_stat st;
    if (!fs_commands_path("ls", arg, path))
        return;
    enum wg_error err = vfs_stat(path, true, &st);
    if (err == WG_ERR_OK && st.type != FS_NODE_TYPE_DIRECTORY) {
        show_entry(arg, st.type, st.mode, st.size, long_form);
        return;
    }
    if (err == WG_ERR_OK)
        err = vfs_opendir(path, &dir);
    if (err != WG_ERR_OK) {
        fs_commands_error("ls", arg, err);
        return;
    }
    const struct fs_dirent *entry;
    while ((err = vfs_readdir(&dir, &entry)) == WG_ERR_OK)
        show_entry(entry->name, entry->type, entry->mode, entry->size, long_form);
    if (err != WG_ERR_NOT_FOUND)
        fs_commands_error("ls", arg, err);
    vfs_closedir(&dir);
}

static void ls(int argc, char **argv)
{
    bool long_form = argc > 1 && strcmp(argv[1], "-l") == 0;
    int first = long_form ? 2 : 1;
    if (first == argc)
        list(".", long_form);
    for (int i = first; i < argc; i++)
        list(argv[i], long_form);
}

static void stat_command(int argc, char **argv)
{
    struct fs_stat st;
    if (argc != 2) {
        term_puts("usage: stat PATH\n");
        return;
    }
    if (!fs_commands_path("stat", argv[1], path))
        return;
    enum wg_error err = vfs_stat(path, false, &st);
    if (err != WG_ERR_OK) {
        fs_commands_error("stat", argv[1], err);
        return;
    }
    static const char *const types[] = {"?", "file", "directory", "symbolic link", "other"};
    term_printf("%s: %s, %llu bytes, %llu blocks of 512, %u links, mode %04o, inode %llu\n", path,
                types[st.type < 5 ? st.type : 0], (unsigned long long)st.size,
                (unsigned long long)st.blocks, st.links, st.mode, (unsigned long long)st.inode);
    term_printf("times: access %llu, modify %llu, change %llu\n", (unsigned long long)st.atime,
                (unsigned long long)st.mtime, (unsigned long long)st.ctime);
}

static void df(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static struct vfs_mount_at_response m;
    term_printf("%-12s %-8s %-7s %10s %10s %10s %8s\n", "mounted on", "device", "kind", "KiB",
                "used", "free", "inodes");
    for (uint32_t i = 0; vfs_mount_at(i, &m) == WG_ERR_OK; i++) {
        struct fs_stat_fs s;
        enum wg_error err = vfs_statfs(m.path, &s);
        if (err != WG_ERR_OK) {
            fs_commands_error("df", m.path, err);
            continue;
        }
        uint64_t kib = s.blocks * s.block_size / 1024, free = s.free_blocks * s.block_size / 1024;
        term_printf("%-12s %-8s %-7s %10llu %10llu %10llu %8llu%s\n", m.path, m.device, m.kind,
                    (unsigned long long)kib, (unsigned long long)(kib - free),
                    (unsigned long long)free, (unsigned long long)s.free_inodes,
                    s.read_only ? " ro" : "");
    }
}

static void mount_command(int argc, char **argv)
{
    static struct vfs_mount_at_response m;
    if (argc == 1) {
        for (uint32_t i = 0; vfs_mount_at(i, &m) == WG_ERR_OK; i++)
            term_printf("%s on %s type %s (%s)\n", m.device, m.path, m.kind,
                        m.read_only ? "ro" : "rw");
        return;
    }
    if (argc != 3) {
        term_puts("usage: mount [DEVICE PATH]\n");
        return;
    }
    if (!fs_commands_path("mount", argv[2], path))
        return;
    enum wg_error err = vfs_mount(argv[1], path);
    if (err != WG_ERR_OK)
        fs_commands_error("mount", argv[1], err);
}

static void umount(int argc, char **argv)
{
    if (argc != 2) {
        term_puts("usage: umount PATH\n");
        return;
    }
    if (!fs_commands_path("umount", argv[1], path))
        return;
    enum wg_error err = vfs_unmount(path);
    if (err != WG_ERR_OK)
        fs_commands_error("umount", argv[1], err);
}

const struct fs_command fs_show_commands[] = {
    {"ls", "ls [-l] [PATH...]", "lists directories (-l: type, mode, size)", ls},
    {"stat", "stat PATH", "what a path is: type, size, links, inode", stat_command},
    {"df", "df", "mounted file systems and their free space", df},
    {"mount", "mount [DEVICE PATH]", "lists mounts, or mounts a disk's ext2 at PATH",
     mount_command},
    {"umount", "umount PATH", "unmounts (writing everything first)", umount},
    {NULL, NULL, NULL, NULL},
};
