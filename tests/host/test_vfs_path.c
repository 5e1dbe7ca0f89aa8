/* Host tests for the VFS's pure logic: path normalisation (user/lib/vfs_path.c) and the
 * directory records of READDIR (user/lib/fs_dirent.c), malformed records included. */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include "user/lib/fs_dirent.h"
#include "user/lib/vfs_path.h"

static const char *normal(const char *cwd, const char *path)
{
    static char out[VFS_PATH_MAX + 1];
    return vfs_path_normal(cwd, path, out, sizeof out) == WG_ERR_OK ? out : "(error)";
}

TEST(vfs_path_absolute_forms)
{
    CHECK(strcmp(normal("/", "/"), "/") == 0);
    CHECK(strcmp(normal("/", "//a///b/"), "/a/b") == 0);
    CHECK(strcmp(normal("/", "/a/./b/."), "/a/b") == 0);
    CHECK(strcmp(normal("/", "/a/b/../c"), "/a/c") == 0);
    CHECK(strcmp(normal("/", "/../../x"), "/x") == 0);
    CHECK(strcmp(normal("/", "/a/.."), "/") == 0);
    CHECK(strcmp(normal("/", "/a/...b/..."), "/a/...b/...") == 0);
}

TEST(vfs_path_relative_to_cwd)
{
    CHECK(strcmp(normal("/home/x", "y"), "/home/x/y") == 0);
    CHECK(strcmp(normal("/home/x", ".."), "/home") == 0);
    CHECK(strcmp(normal("/home/x", "../../../.."), "/") == 0);
    CHECK(strcmp(normal("/", "."), "/") == 0);
    CHECK(strcmp(normal("/a", "./b/../c/"), "/a/c") == 0);
}

TEST(vfs_path_refusals)
{
    char out[VFS_PATH_MAX + 1];
    CHECK(vfs_path_normal("/", "", out, sizeof out) == WG_ERR_INVALID_ARGUMENT);
    CHECK(vfs_path_normal("relative", "x", out, sizeof out) == WG_ERR_INVALID_ARGUMENT);
    CHECK(vfs_path_normal(NULL, "x", out, sizeof out) == WG_ERR_INVALID_ARGUMENT);
    char name[300];
    memset(name, 'n', sizeof name);
    name[0] = '/';
    name[257] = '\0'; /* a 256-byte component */
    CHECK(vfs_path_normal("/", name, out, sizeof out) == WG_ERR_NAME_TOO_LONG);
    name[256] = '\0'; /* 255 bytes: fine */
    CHECK(vfs_path_normal("/", name, out, sizeof out) == WG_ERR_OK);
    static char deep[6000];
    for (size_t i = 0; i + 2 < sizeof deep; i += 2)
        memcpy(deep + i, "/d", 2);
    CHECK(vfs_path_normal("/", deep, out, sizeof out) == WG_ERR_NAME_TOO_LONG);
    char small[8];
    CHECK(vfs_path_normal("/", "/abcdefgh", small, sizeof small) == WG_ERR_NAME_TOO_LONG);
}

TEST(vfs_path_below_and_base)
{
    const char *rest;
    CHECK(vfs_path_below("/boot/init", "/boot", &rest) && strcmp(rest, "/init") == 0);
    CHECK(vfs_path_below("/boot", "/boot", &rest) && strcmp(rest, "/") == 0);
    CHECK(!vfs_path_below("/bootx", "/boot", &rest));
    CHECK(vfs_path_below("/a/b", "/", &rest) && strcmp(rest, "/a/b") == 0);
    CHECK(strcmp(vfs_path_base("/a/b"), "b") == 0);
    CHECK(strcmp(vfs_path_base("/"), "") == 0);
}

TEST(fs_dirent_round_trip)
{
    _Alignas(8) uint8_t buf[256];
    uint32_t used = 0;
    struct fs_dirent head = {.inode = 12, .size = 34, .mode = 0644, .type = 1, .name_length = 5};
    REQUIRE(fs_dirent_put(buf, sizeof buf, &used, &head, "hello"));
    head.name_length = 1;
    REQUIRE(fs_dirent_put(buf, sizeof buf, &used, &head, "x"));
    CHECK(used == 32 + 32);
    struct {
        struct fs_dirent d;
        char name[256];
    } out;
    uint32_t at = 0;
    REQUIRE(fs_dirent_next(buf, used, &at, &out.d));
    CHECK(out.d.inode == 12 && out.d.size == 34 && strcmp(out.d.name, "hello") == 0);
    REQUIRE(fs_dirent_next(buf, used, &at, &out.d));
    CHECK(strcmp(out.d.name, "x") == 0);
    CHECK(!fs_dirent_next(buf, used, &at, &out.d)); /* the end */
}

TEST(fs_dirent_refuses_what_does_not_fit_or_is_malformed)
{
    _Alignas(8) uint8_t buf[64];
    uint32_t used = 0;
    struct fs_dirent head = {.inode = 1, .type = 1, .name_length = 40};
    char name[41];
    memset(name, 'a', 40);
    CHECK(!fs_dirent_put(buf, 48, &used, &head, name) && used == 0);
    head.name_length = 0;
    CHECK(!fs_dirent_put(buf, sizeof buf, &used, &head, name));
    head.name_length = 8;
    REQUIRE(fs_dirent_put(buf, sizeof buf, &used, &head, name));
    struct {
        struct fs_dirent d;
        char name[256];
    } out;
    uint32_t at = 0;
    struct fs_dirent *record = (struct fs_dirent *)buf;
    record->record_size = 16; /* shorter than its header */
    CHECK(!fs_dirent_next(buf, used, &at, &out.d));
    record->record_size = 40;
    record->name[3] = '\0'; /* a NUL inside the name */
    CHECK(!fs_dirent_next(buf, used, &at, &out.d));
    record->name[3] = 'a';
    CHECK(!fs_dirent_next(buf, used - 8, &at, &out.d)); /* cut short */
    at = 4;
    CHECK(!fs_dirent_next(buf, used, &at, &out.d)); /* misaligned */
    at = 0;
    CHECK(fs_dirent_next(buf, used, &at, &out.d) && at == 40);
}
