/* Reading files out of a ustar archive (the boot modules' initrd). Pure logic, host-tested.
 * Every header's checksum and size is checked; a malformed archive ends the search. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

struct ustar_file {
    const char *name;      /* inside the archive, NUL-terminated copy in `name_buffer` */
    char name_buffer[257]; /* prefix (155) + '/' + name (100) + NUL */
    const void *data;
    size_t size;
};

/* Finds the regular file called `name` (a leading "./" in the archive is ignored).
 * WG_ERR_NOT_FOUND, or WG_ERR_BAD_FORMAT if a header before it is corrupt. */
enum wg_error ustar_find(const void *archive, size_t archive_size, const char *name,
                         struct ustar_file *out);

/* Calls fn for each regular file in order; stops early when fn returns false. Returns
 * WG_ERR_OK at the end of the archive, WG_ERR_BAD_FORMAT at a corrupt header. */
enum wg_error ustar_for_each(const void *archive, size_t archive_size,
                             bool (*fn)(void *ctx, const struct ustar_file *file), void *ctx);
