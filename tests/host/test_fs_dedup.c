/* Host tests of the file-system servers' duplicate-request cache (user/lib/fs_dedup.c): a
 * duplicate answered from the cache, calls without sequence numbers never cached, the depth
 * per client, clients kept apart, the least recently seen client forgotten first, and what a
 * call resent after a restart means. */
#include "test.h"

#include <string.h>

#include "user/lib/fs_dedup.h"

static struct fs_dedup d;

TEST(fs_dedup_answers_a_duplicate)
{
    memset(&d, 0, sizeof d);
    enum wg_error err = WG_ERR_OK;
    CHECK(!fs_dedup_find(&d, 7, 1, &err));
    fs_dedup_record(&d, 7, 1, WG_ERR_OK);
    fs_dedup_record(&d, 7, 2, WG_ERR_ALREADY_EXISTS);
    CHECK(fs_dedup_find(&d, 7, 1, &err) && err == WG_ERR_OK);
    CHECK(fs_dedup_find(&d, 7, 2, &err) && err == WG_ERR_ALREADY_EXISTS);
    CHECK(!fs_dedup_find(&d, 7, 3, &err));
    CHECK(!fs_dedup_find(&d, 8, 1, &err)); /* another client's seq 1 */
}

TEST(fs_dedup_zero_is_never_cached)
{
    memset(&d, 0, sizeof d);
    enum wg_error err = WG_ERR_OK;
    fs_dedup_record(&d, 0, 5, WG_ERR_OK);
    fs_dedup_record(&d, 5, 0, WG_ERR_OK);
    CHECK(!fs_dedup_find(&d, 0, 5, &err));
    CHECK(!fs_dedup_find(&d, 5, 0, &err));
    CHECK(!fs_dedup_find(&d, 0, 0, &err)); /* empty slots hold zeros: never a match */
}

TEST(fs_dedup_keeps_the_last_depth_calls)
{
    memset(&d, 0, sizeof d);
    enum wg_error err = WG_ERR_OK;
    for (uint64_t seq = 1; seq <= FS_DEDUP_DEPTH + 3; seq++)
        fs_dedup_record(&d, 9, seq, (enum wg_error)(seq % 5));
    for (uint64_t seq = 1; seq <= 3; seq++)
        CHECK(!fs_dedup_find(&d, 9, seq, &err));
    for (uint64_t seq = 4; seq <= FS_DEDUP_DEPTH + 3; seq++)
        CHECK(fs_dedup_find(&d, 9, seq, &err) && err == (enum wg_error)(seq % 5));
}

TEST(fs_dedup_forgets_the_least_recent_client)
{
    memset(&d, 0, sizeof d);
    enum wg_error err = WG_ERR_OK;
    for (uint64_t c = 1; c <= FS_DEDUP_CLIENTS; c++)
        fs_dedup_record(&d, c, 1, WG_ERR_OK);
    CHECK(fs_dedup_find(&d, 1, 1, &err)); /* client 1 seen again: 2 is the oldest now */
    fs_dedup_record(&d, 100, 1, WG_ERR_NOT_FOUND);
    CHECK(!fs_dedup_find(&d, 2, 1, &err));
    CHECK(fs_dedup_find(&d, 1, 1, &err));
    CHECK(fs_dedup_find(&d, 100, 1, &err) && err == WG_ERR_NOT_FOUND);
    for (uint64_t c = 3; c <= FS_DEDUP_CLIENTS; c++)
        CHECK(fs_dedup_find(&d, c, 1, &err));
}

TEST(fs_dedup_resent_meanings)
{
    CHECK(fs_dedup_resent(FS_DEDUP_MAKE, WG_ERR_ALREADY_EXISTS) == WG_ERR_OK);
    CHECK(fs_dedup_resent(FS_DEDUP_MAKE, WG_ERR_NOT_FOUND) == WG_ERR_NOT_FOUND);
    CHECK(fs_dedup_resent(FS_DEDUP_REMOVE, WG_ERR_NOT_FOUND) == WG_ERR_OK);
    CHECK(fs_dedup_resent(FS_DEDUP_REMOVE, WG_ERR_ALREADY_EXISTS) == WG_ERR_ALREADY_EXISTS);
    CHECK(fs_dedup_resent(FS_DEDUP_MAKE, WG_ERR_IO_ERROR) == WG_ERR_IO_ERROR);
    CHECK(fs_dedup_resent(FS_DEDUP_REMOVE, WG_ERR_OK) == WG_ERR_OK);
}
