/* Kernel command line: space-separated words, each "key" or "key=value". */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Finds `key`; copies its value (empty for a bare key) into `value` (may be NULL) and
 * returns true. Values longer than `size - 1` are truncated. */
bool cmdline_get(const char *cmdline, const char *key, char *value, size_t size);
