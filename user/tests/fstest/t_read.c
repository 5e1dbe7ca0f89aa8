/* fstest: reading the host's tree back (every file of its MANIFEST byte for byte by
 * SHA-256, the 1,000-entry directory, a deep path, links), the boot archive at /boot, and a
 * program loaded from a file. */
#include "fstest.h"

/* Checks one manifest line "SHA256 SIZE PATH"; false if the line is malformed. */
static bool check_line(char *line)
{
    char *size_text = strchr(line, ' ');
    char *path = size_text ? strchr(size_text + 1, ' ') : NULL;
    if (!CHECK(path && size_text - line == 64, "malformed manifest line"))
        return false;
    *size_text++ = '\0';
    *path++ = '\0';
    uint64_t want = 0;
    for (const char *p = size_text; *p; p++)
        want = want * 10 + (uint64_t)(*p - '0');
    uint64_t size = 0;
    char hex[65];
    if (fstest_read_all(path, fstest_data, sizeof fstest_data, &size)) {
        fstest_sha256(fstest_data, size, hex);
        CHECK(size == want && strcmp(hex, line) == 0, "%s: %llu bytes, digest %.16s", path,
              (unsigned long long)size, hex);
    }
    return true;
}

static void manifest_reads_back(void)
{
    static char text[128 * 1024];
    uint64_t size;
    if (!fstest_read_all("/MANIFEST", (uint8_t *)text, sizeof text - 1, &size))
        return;
    text[size] = '\0';
    unsigned lines = 0;
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        if (!CHECK(end != NULL, "manifest not ended by a newline"))
            break;
        *end = '\0';
        if (!check_line(line))
            break;
        lines++;
        line = end + 1;
    }
    CHECK(lines == 1015, "%u manifest lines", lines);
}

static void big_directory_lists_1000(void)
{
    static struct vfs_dir dir;
    if (!CHECK_CODE(WG_ERR_OK, vfs_opendir("/big", &dir)))
        return;
    const struct fs_dirent *entry;
    unsigned count = 0, sum = 0;
    enum wg_error err;
    while ((err = vfs_readdir(&dir, &entry)) == WG_ERR_OK) {
        count++;
        unsigned n = 0;
        for (const char *p = entry->name + 1; *p; p++)
            n = n * 10 + (unsigned)(*p - '0');
        sum += n;
        CHECK(entry->type == FS_NODE_TYPE_FILE && entry->size == (uint64_t)(8 + (n > 9) + (n > 99)),
              "%s: type %u size %llu", entry->name, entry->type, (unsigned long long)entry->size);
    }
    CHECK_CODE(WG_ERR_NOT_FOUND, err);
    CHECK(count == 1000 && sum == 999 * 1000 / 2, "%u entries, sum %u", count, sum);
    vfs_closedir(&dir);
}

static void links_and_deep_paths(void)
{
    struct fs_stat a, b, link;
    CHECK_CODE(WG_ERR_OK, vfs_stat("/sizes/s1025", true, &a));
    CHECK_CODE(WG_ERR_OK, vfs_stat("/hardlink", true, &b));
    CHECK(a.inode == b.inode && a.links == 2, "hard link: inodes %llu %llu, %u links",
          (unsigned long long)a.inode, (unsigned long long)b.inode, a.links);
    CHECK_CODE(WG_ERR_OK, vfs_stat("/symlink", false, &link));
    CHECK(link.type == FS_NODE_TYPE_SYMLINK, "symlink type %u", link.type);
    CHECK_CODE(WG_ERR_OK, vfs_stat("/d0/d1/d2/../d2/./d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/"
                                   "d16/d17/d18/d19/leaf",
                                   true, &a));
    CHECK(a.size == 14, "leaf size %llu", (unsigned long long)a.size);
}

static void boot_archive_at_boot(void)
{
    uint64_t from_boot = 0, from_disk = 0, half = sizeof fstest_data / 2;
    if (fstest_read_all("/boot/hello", fstest_data, half, &from_boot) &&
        fstest_read_all("/bin/hello", fstest_data + half, half, &from_disk))
        CHECK(from_boot == from_disk && memcmp(fstest_data, fstest_data + half, from_boot) == 0,
              "/boot/hello (%llu bytes) differs from /bin/hello (%llu)",
              (unsigned long long)from_boot, (unsigned long long)from_disk);
    struct fs_stat st;
    CHECK_CODE(WG_ERR_OK, vfs_stat("/boot", true, &st));
    CHECK(st.type == FS_NODE_TYPE_DIRECTORY, "/boot type %u", st.type);
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_stat("/boot/no_such_program", true, &st));
}

static void program_runs_from_file(void)
{
    struct wg_process process;
    const char *args[] = {"hello", "from", "disk"};
    if (!CHECK_CODE(WG_ERR_OK, vfs_spawn("/bin/hello", 3, args, &process)))
        return;
    struct wg_result status = wg_process_wait(&process, 10 * SECOND_NS);
    CHECK(wg_ok(status) && status.value == 7, "hello: %s, status %lld", wg_error_name(status.err),
          (long long)status.value);
    wg_process_destroy(&process);
    CHECK_CODE(WG_ERR_BAD_FORMAT, vfs_spawn("/MANIFEST", 0, NULL, &process));
    CHECK_CODE(WG_ERR_IS_DIRECTORY, vfs_spawn("/bin", 0, NULL, &process));
    CHECK_CODE(WG_ERR_NOT_FOUND, vfs_spawn("/bin/nothing", 0, NULL, &process));
}

const struct test read_tests[] = {
    {"fs_manifest_reads_back", manifest_reads_back, false},
    {"fs_big_directory_lists_1000", big_directory_lists_1000, false},
    {"fs_links_and_deep_paths", links_and_deep_paths, false},
    {"fs_boot_archive_at_boot", boot_archive_at_boot, false},
    {"fs_program_runs_from_file", program_runs_from_file, false},
    {NULL, NULL, false},
};
