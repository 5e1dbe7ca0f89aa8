/* Directory entries as READDIR leaves them in a client's shared buffer (idl/fs.idl): packed
 * records, each 8-byte aligned, checked by the reader (the buffer is shared memory). Pure
 * logic, host-tested (tests/host/test_vfs_path.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct fs_dirent {
    uint64_t inode;
    uint64_t size;
    uint16_t mode;        /* permission bits */
    uint8_t type;         /* fs.idl NodeType */
    uint8_t name_length;  /* 1..255 */
    uint16_t record_size; /* this record to the next: header, name, NUL, padding to 8 */
    uint16_t reserved;
    char name[]; /* name_length bytes and a NUL */
};
_Static_assert(sizeof(struct fs_dirent) == 24, "fs_dirent layout");

/* Appends the record of `head` (whose name_length is set) and `name` at `*used` of `buf`
 * (`size` bytes); false (nothing written) if it does not fit. */
bool fs_dirent_put(uint8_t *buf, uint32_t size, uint32_t *used, const struct fs_dirent *head,
                   const char *name);

/* Copies the record at `*at` of `buf` (`bytes` valid) into `out` (a struct fs_dirent followed
 * by 256 bytes) after checking it, and moves `*at` past it; false if it is malformed or
 * there is none. */
bool fs_dirent_next(const uint8_t *buf, uint32_t bytes, uint32_t *at, struct fs_dirent *out);
