/* fstest: the file system's system test, run by init in the "test files" shape with a disk
 * image the host made from tests/fs/files.py's tree (blk0, mounted at /) and a small empty
 * ext2 disk (blk1). It reads everything back against the image's MANIFEST, changes a tree
 * the host checks afterwards with e2fsck and debugfs, and checks the errors. */
#pragma once

#include <test/suite.h>
#include <test/test.h>
#include <vfs.h>

extern const struct test read_tests[];
extern const struct test write_tests[];
extern const struct test link_tests[];
extern const struct test error_tests[];

/* The bytes tests/fs/files.py writes too: byte i of a pattern with `seed`. */
static inline uint8_t fstest_pattern(uint64_t i, unsigned seed)
{
    return (uint8_t)(i * 31 + seed * 7 + (i >> 9));
}

#define FSTEST_FILE_MAX (4u << 20)

/* Reads all of `path` (at most `max` bytes) into `buf`; false (and a failure) if it cannot.
 * Static buffers, not the heap: the runner counts memory after each test. */
bool fstest_read_all(const char *path, uint8_t *buf, uint64_t max, uint64_t *size);
extern uint8_t fstest_data[FSTEST_FILE_MAX];
/* Creates or truncates `path` and writes `size` bytes of pattern `seed`. */
void fstest_write_pattern(const char *path, uint64_t size, unsigned seed);
/* The SHA-256 of `size` bytes as hex. */
void fstest_sha256(const uint8_t *data, uint64_t size, char hex[65]);
