/* The shell's commands that read and write file contents: cat, hexdump, sha256sum, cp, and
 * `echo WORDS > FILE` / `>> FILE`. */
#include <sha256.h>
#include <vfs.h>
#include "fs_commands.h"
#include "term.h"

#define CHUNK (64u * 1024u)

static uint8_t data[CHUNK];
static char path[VFS_PATH_MAX + 1], target[VFS_PATH_MAX + 1];

/* Opens `arg` for reading; 0 (the error printed) if it cannot be. */
static uint32_t open_read(const char *command, const char *arg)
{
    if (!fs_commands_path(command, arg, path))
        return 0;
    struct vfs_open_result opened = vfs_open(path, FS_OPEN_FLAGS_READ, 0);
    if (opened.err == WG_ERR_OK && opened.stat.type == FS_NODE_TYPE_DIRECTORY) {
        vfs_close(opened.file);
        opened.err = WG_ERR_IS_DIRECTORY;
    }
    if (opened.err != WG_ERR_OK)
        fs_commands_error(command, arg, opened.err);
    return opened.err == WG_ERR_OK ? opened.file : 0;
}

/* Calls `each` for every piece of file `arg`; false (the error printed) on failure. */
static bool each_piece(const char *command, const char *arg,
                       void (*each)(const uint8_t *bytes, size_t size, uint64_t at, void *ctx),
                       void *ctx)
{
    uint32_t file = open_read(command, arg);
    struct wg_result got = {.err = file ? WG_ERR_OK : WG_ERR_NOT_FOUND, .value = 1};
    for (uint64_t at = 0; file && wg_ok(got) && got.value > 0; at += got.value) {
        got = vfs_read(file, data, sizeof data);
        if (!wg_ok(got))
            fs_commands_error(command, arg, got.err);
        else if (got.value > 0)
            each(data, got.value, at, ctx);
    }
    if (file)
        vfs_close(file);
    return wg_ok(got);
}

static void print_piece(const uint8_t *bytes, size_t size, uint64_t at, void *ctx)
{
    (void)at;
    (void)ctx;
    term_write((const char *)bytes, size);
}

static void cat(int argc, char **argv)
{
    if (argc < 2)
        term_puts("usage: cat FILE...\n");
    for (int i = 1; i < argc; i++)
        each_piece("cat", argv[i], print_piece, NULL);
}

static void hex_piece(const uint8_t *bytes, size_t size, uint64_t at, void *ctx)
{
    (void)ctx;
    for (size_t line = 0; line < size; line += 16) {
        size_t n = size - line < 16 ? size - line : 16;
        term_printf("%08llx ", (unsigned long long)(at + line));
        for (size_t i = 0; i < 16; i++)
            term_printf(i < n ? " %02x" : "   ", bytes[line + i]);
        term_puts("  ");
        for (size_t i = 0; i < n; i++) {
            uint8_t c = bytes[line + i];
            term_printf("%c", c >= 32 && c < 127 ? c : '.');
        }
        term_puts("\n");
    }
}

static void hexdump(int argc, char **argv)
{
    if (argc != 2) {
        term_puts("usage: hexdump FILE\n");
        return;
    }
    each_piece("hexdump", argv[1], hex_piece, NULL);
}

static void hash_piece(const uint8_t *bytes, size_t size, uint64_t at, void *ctx)
{
    (void)at;
    sha256_update(ctx, bytes, size);
}

static void sha256sum(int argc, char **argv)
{
    if (argc < 2)
        term_puts("usage: sha256sum FILE...\n");
    for (int i = 1; i < argc; i++) {
        struct sha256 s;
        uint8_t digest[SHA256_DIGEST];
        char hex[2 * SHA256_DIGEST + 1];
        sha256_init(&s);
        if (!each_piece("sha256sum", argv[i], hash_piece, &s))
            continue;
        sha256_final(&s, digest);
        sha256_hex(digest, hex);
        term_printf("%s  %s\n", hex, argv[i]);
    }
}

/* Opens `arg` for writing (created, truncated unless `append`); 0 if it cannot be. */
static uint32_t open_write(const char *command, const char *arg, bool append)
{
    uint32_t flags = FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE |
                     (append ? FS_OPEN_FLAGS_APPEND : FS_OPEN_FLAGS_TRUNCATE);
    if (!fs_commands_path(command, arg, target))
        return 0;
    struct vfs_open_result opened = vfs_open(target, flags, 0644);
    if (opened.err != WG_ERR_OK)
        fs_commands_error(command, arg, opened.err);
    return opened.err == WG_ERR_OK ? opened.file : 0;
}

/* Writes all of `bytes`; false (the error printed) if the disk filled or failed. */
static bool write_all(const char *command, const char *arg, uint32_t file, const void *bytes,
                      size_t size)
{
    struct wg_result put = vfs_write(file, bytes, size);
    enum wg_error err = !wg_ok(put) ? put.err : put.value < size ? WG_ERR_NO_SPACE : WG_ERR_OK;
    if (err != WG_ERR_OK)
        fs_commands_error(command, arg, err);
    return err == WG_ERR_OK;
}

static void cp(int argc, char **argv)
{
    if (argc != 3) {
        term_puts("usage: cp FROM TO\n");
        return;
    }
    uint32_t from = open_read("cp", argv[1]);
    uint32_t to = from ? open_write("cp", argv[2], false) : 0;
    for (bool more = to != 0; more;) {
        struct wg_result got = vfs_read(from, data, sizeof data);
        if (!wg_ok(got))
            fs_commands_error("cp", argv[1], got.err);
        more = wg_ok(got) && got.value > 0 && write_all("cp", argv[2], to, data, got.value);
    }
    if (to)
        vfs_close(to);
    if (from)
        vfs_close(from);
}

/* echo WORDS > FILE (or >> FILE): true if the line had a redirection (then handled). */
static bool echo_to_file(int argc, char **argv)
{
    int at = 1;
    while (at < argc && strcmp(argv[at], ">") != 0 && strcmp(argv[at], ">>") != 0)
        at++;
    if (at == argc)
        return false;
    if (at != argc - 2) {
        term_puts("usage: echo WORDS > FILE (or >> FILE)\n");
        return true;
    }
    size_t used = 0;
    for (int i = 1; i < at; i++)
        used += (size_t)snprintf((char *)data + used, sizeof data - used, "%s%s", i > 1 ? " " : "",
                                 argv[i]);
    data[used++] = '\n';
    uint32_t file = open_write("echo", argv[argc - 1], argv[at][1] == '>');
    if (file) {
        write_all("echo", argv[argc - 1], file, data, used);
        vfs_close(file);
    }
    return true;
}

static void echo_redirect(int argc, char **argv)
{
    echo_to_file(argc, argv);
}

const struct fs_command fs_file_commands[] = {
    {"cat", "cat FILE...", "prints files", cat},
    {"hexdump", "hexdump FILE", "a file in hex and ASCII", hexdump},
    {"sha256sum", "sha256sum FILE...", "SHA-256 digests of files", sha256sum},
    {"cp", "cp FROM TO", "copies a file", cp},
    {"echo", "echo WORDS > FILE", "writes a line to a file (>> appends)", echo_redirect},
    {NULL, NULL, NULL, NULL},
};

bool fs_files_is_redirect(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], ">") == 0 || strcmp(argv[i], ">>") == 0)
            return true;
    return false;
}
