/* fstest's suite and helpers (fstest.h). */
#include <sha256.h>
#include "fstest.h"

uint8_t fstest_data[FSTEST_FILE_MAX];

bool fstest_read_all(const char *path, uint8_t *buf, uint64_t max, uint64_t *size)
{
    struct vfs_open_result opened = vfs_open(path, FS_OPEN_FLAGS_READ, 0);
    if (!CHECK(opened.err == WG_ERR_OK, "open %s: %s", path, wg_error_name(opened.err)))
        return false;
    struct wg_result got = {.err = WG_ERR_OUT_OF_RANGE};
    if (opened.stat.size < max)
        got = vfs_read(opened.file, buf, opened.stat.size + 1);
    vfs_close(opened.file);
    *size = got.value;
    return CHECK(wg_ok(got) && got.value == opened.stat.size, "read %s: %s, %llu of %llu", path,
                 wg_error_name(got.err), (unsigned long long)got.value,
                 (unsigned long long)opened.stat.size);
}

void fstest_write_pattern(const char *path, uint64_t size, unsigned seed)
{
    uint32_t flags = FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_TRUNCATE;
    struct vfs_open_result opened = vfs_open(path, flags, 0644);
    if (!CHECK(opened.err == WG_ERR_OK, "create %s: %s", path, wg_error_name(opened.err)))
        return;
    for (uint64_t i = 0; i < size && i < sizeof fstest_data; i++)
        fstest_data[i] = fstest_pattern(i, seed);
    struct wg_result put = vfs_write(opened.file, fstest_data, size);
    CHECK(wg_ok(put) && put.value == size, "write %s: %s", path, wg_error_name(put.err));
    vfs_close(opened.file);
}

void fstest_sha256(const uint8_t *data, uint64_t size, char hex[65])
{
    struct sha256 s;
    uint8_t digest[SHA256_DIGEST];
    sha256_init(&s);
    sha256_update(&s, data, size);
    sha256_final(&s, digest);
    sha256_hex(digest, hex);
}

static const struct test *const lists[] = {read_tests, write_tests, link_tests, error_tests};

static const struct test_suite suite = {
    .name = "fstest",
    .lists = lists,
    .list_count = 4,
    .leaks = SNAPSHOT_NO_MORE,
    .leak_timeout_ns = 2 * SECOND_NS,
};

/* What the tests share and keep, made before they run so the runner's counts see it as the
 * baseline: the VFS connection, the small disk mounted at /small, and the file servers'
 * caches filled once. */
static enum wg_error set_up(void)
{
    enum wg_error err = vfs_connect();
    if (err == WG_ERR_OK)
        err = vfs_mkdir("/small", 0755);
    if (err == WG_ERR_OK)
        err = vfs_mount("blk1", "/small");
    struct vfs_open_result big = {.err = err};
    if (err == WG_ERR_OK)
        big = vfs_open("/sizes/s3145805", FS_OPEN_FLAGS_READ, 0);
    if (big.err == WG_ERR_OK) {
        vfs_read(big.file, fstest_data, sizeof fstest_data);
        vfs_close(big.file);
    }
    return big.err;
}

int main(int argc, char **argv)
{
    enum wg_error err = set_up();
    if (err != WG_ERR_OK) {
        printf("fstest: cannot set up: %s\n", wg_error_name(err));
        return 1;
    }
    return suite_main(&suite, argc, argv);
}
