/* Path arithmetic shared by the VFS, its clients and the shell: joining a relative path to a
 * working directory and removing ".", ".." and repeated '/' (lexically: ".." takes off the
 * previous component, and stops at "/"). Pure logic, host-tested (tests/host/test_vfs_path.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <wingos/error.h>

#define VFS_PATH_MAX 4096 /* bytes in a path, NUL excluded */
#define VFS_NAME_MAX 255  /* bytes in one component */

/* Writes the absolute, normal form of `path` (taken from `cwd`, itself absolute, when it does
 * not start with '/') to `out` (`size` bytes): "/" or "/a/b" with no trailing '/'.
 * INVALID_ARGUMENT for an empty path or a relative cwd, NAME_TOO_LONG for a component above
 * VFS_NAME_MAX or a result that does not fit. */
enum wg_error vfs_path_normal(const char *cwd, const char *path, char *out, size_t size);

/* If `path` (normal) is `prefix` (normal) or lies below it, the rest ("/" or "/x/y") in *rest
 * (pointing into `path`, or to a static "/") and true. */
bool vfs_path_below(const char *path, const char *prefix, const char **rest);

/* The last component of a normal path ("" for "/"). */
const char *vfs_path_base(const char *path);
