/* Exit statuses in words: "exited 7", "killed", "killed: page fault", "error NOT_FOUND". */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Writes the words for `status` into `out` (at most `size` bytes, NUL included). */
void status_describe(int64_t status, char *out, size_t size);
