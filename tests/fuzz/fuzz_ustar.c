/* libFuzzer target for kernel/exec/ustar.c: any byte string is an archive. Every file
 * ustar_for_each reports must lie inside the archive with a NUL-terminated name, and
 * ustar_find must find each of them (the first of that name) with the same bytes; abort()
 * otherwise. */
#include <stdlib.h>
#include <string.h>

#include "kernel/exec/ustar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
    const uint8_t *archive;
    size_t size;
    size_t files;
};

static void require(int condition)
{
    if (!condition)
        abort();
}

static bool check_file(void *ctx, const struct ustar_file *file)
{
    struct walk *w = ctx;
    const uint8_t *at = file->data;
    require(file->size <= w->size);
    require(file->size == 0 ||
            (at >= w->archive && (size_t)(at - w->archive) <= w->size - file->size));
    require(memchr(file->name, 0, sizeof file->name_buffer) != NULL);
    struct ustar_file found;
    if (ustar_find(w->archive, w->size, file->name, &found) == WG_ERR_OK)
        require(strcmp(found.name, file->name) == 0);
    w->files++;
    return w->files < 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1); /* exactly `size` bytes: ASan sees any overread */
    memcpy(copy, data, size);
    struct walk w = {copy, size, 0};
    enum wg_error err = ustar_for_each(copy, size, check_file, &w);
    require(err == WG_ERR_OK || err == WG_ERR_BAD_FORMAT);
    struct ustar_file found;
    err = ustar_find(copy, size, "sysfuzz", &found);
    require(err == WG_ERR_OK || err == WG_ERR_NOT_FOUND || err == WG_ERR_BAD_FORMAT);
    free(copy);
    return 0;
}
