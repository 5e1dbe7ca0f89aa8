/* The console service: the COM1 driver (user/services/console), registered with the name
 * server as "console", and the client calls that use it. This header defines the wire
 * protocol, shared by the driver and the library functions.
 *
 * Request (a call, WG_IPC_EXPECT_REPLY; entries carry values only):
 *   entry 0   op (bits 0-7, enum console_op) | count << 8
 *   entry 1-5 WRITE: `count` bytes (1..CONSOLE_CHUNK), 8 per entry in memory order
 *             READ: unused; `count` is the most bytes wanted (1..CONSOLE_CHUNK)
 * Reply:
 *   entry 0   enum wg_error | count << 8: WRITE the bytes written, READ the bytes returned
 *   entry 1-5 READ: the bytes
 * Errors: INVALID_ARGUMENT (count 0 or above CONSOLE_CHUNK, an asset entry), NOT_SUPPORTED
 * (unknown op), BUSY (READ: too many readers already waiting).
 *
 * A READ answers at once when input is waiting; otherwise the driver keeps the request and
 * answers when input arrives, so a READ always returns at least one byte. Waiting readers
 * are served in the order they asked. Output is written as it comes, '\n' as "\r\n"; the
 * driver does not echo input. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>

#define CONSOLE_NAME        "console"
#define CONSOLE_CHUNK       40 /* bytes in one request or reply (entries 1-5) */
#define CONSOLE_COUNT_SHIFT 8
#define CONSOLE_OPEN_WAIT   (5ull * 1000000000ull) /* console_open waits this long for it */

enum console_op {
    CONSOLE_OP_WRITE = 1,
    CONSOLE_OP_READ = 2,
};

/* Entry 0 of a request (op) or of a reply (error), with its byte count. */
static inline uint64_t console_header(uint64_t op_or_error, size_t count)
{
    return op_or_error | (uint64_t)count << CONSOLE_COUNT_SHIFT;
}

/* Copies `count` (at most CONSOLE_CHUNK) bytes into entries 1-5 of `message`, zero-padded. */
void console_pack(struct wg_message *message, const char *bytes, size_t count);

/* Copies `count` (at most CONSOLE_CHUNK) bytes out of entries 1-5 of `message`. */
void console_unpack(const struct wg_message *message, char *bytes, size_t count);

/* Connects to the console service, waiting up to CONSOLE_OPEN_WAIT for it to register;
 * *connection is then a connection handle of the caller's space. Errors: those of
 * wg_connect_by_name (NOT_FOUND when it never came). */
enum wg_error console_open(wg_handle *connection);

/* Writes `length` bytes, CONSOLE_CHUNK per call; returns once the driver has written them
 * all, or the first error. */
enum wg_error console_write(wg_handle connection, const char *text, size_t length);

/* Waits for input and copies up to `max` bytes of it to `out`: the count, at least 1, or 0
 * when the console failed (closed, or an error) or max is 0. */
size_t console_read(wg_handle connection, char *out, size_t max);
