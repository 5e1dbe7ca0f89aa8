/* The one error list of WingOS, shared by the kernel, the user library and host tools.
 * X-macro: each entry gives the enum name suffix and a short description. */
#pragma once

#define WG_ERROR_LIST(X)                                  \
    X(OK, "success")                                      \
    X(NO_MEMORY, "out of memory")                         \
    X(INVALID_ARGUMENT, "invalid argument")               \
    X(OUT_OF_RANGE, "value out of range")                 \
    X(MISALIGNED, "misaligned address or size")           \
    X(NOT_ALLOCATED, "freeing what was never allocated")  \
    X(ALREADY_EXISTS, "already exists")                   \
    X(NOT_FOUND, "not found")                             \
    X(BAD_HANDLE, "invalid handle")                       \
    X(STALE_HANDLE, "handle refers to a destroyed asset") \
    X(WRONG_KIND, "asset is of the wrong kind")           \
    X(ACCESS_DENIED, "access denied")                     \
    X(BAD_ADDRESS, "bad user address")                    \
    X(TIMED_OUT, "timed out")                             \
    X(WOULD_BLOCK, "operation would block")               \
    X(PEER_CLOSED, "peer closed")                         \
    X(BAD_FORMAT, "malformed input")                      \
    X(NOT_SUPPORTED, "not supported")                     \
    X(BUSY, "resource busy")                              \
    X(KILLED, "the task was killed")                      \
    X(NO_SPACE, "no space left on device")                \
    X(NOT_DIRECTORY, "not a directory")                   \
    X(IS_DIRECTORY, "is a directory")                     \
    X(NOT_EMPTY, "directory not empty")                   \
    X(NAME_TOO_LONG, "name too long")                     \
    X(READ_ONLY, "read-only file system or device")       \
    X(IO_ERROR, "the device reported an I/O error")

enum wg_error {
#define WG_ERROR_ENUM(name, text) WG_ERR_##name,
    WG_ERROR_LIST(WG_ERROR_ENUM)
#undef WG_ERROR_ENUM
        WG_ERROR_COUNT
};

/* Short name of an error ("NO_MEMORY"), or "UNKNOWN" for a value outside the list. */
static inline const char *wg_error_name(int err)
{
    static const char *const names[] = {
#define WG_ERROR_NAME(name, text) [WG_ERR_##name] = #name,
        WG_ERROR_LIST(WG_ERROR_NAME)
#undef WG_ERROR_NAME
    };
    if (err < 0 || err >= WG_ERROR_COUNT)
        return "UNKNOWN";
    return names[err];
}
