/* The console service: the COM1 driver (user/services/console), registered with the name
 * server as "console", and the client calls that use it. The protocol is idl/console.idl
 * (Console): WRITE carries up to CONSOLE_WRITE_MAX bytes (out of line when they do not fit a
 * message), READ asks for 1..CONSOLE_READ_MAX bytes and is answered when input comes.
 *
 * Waiting readers are served in the order they asked. Output is written as it comes, '\n'
 * as "\r\n"; the driver does not echo input. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>

#define CONSOLE_NAME      "console"
#define CONSOLE_WRITE_MAX 4096 /* bytes in one WRITE (bytes:4096 in console.idl) */
#define CONSOLE_READ_MAX  64   /* bytes one READ returns at most (bytes:64) */
#define CONSOLE_OPEN_WAIT (5ull * 1000000000ull) /* console_open waits this long for it */

/* Connects to the console service, waiting up to CONSOLE_OPEN_WAIT for it to register;
 * *connection is then a connection handle of the caller's space. Errors: those of
 * wg_connect_by_name (NOT_FOUND when it never came). */
enum wg_error console_open(wg_handle *connection);

/* Writes `length` bytes, CONSOLE_WRITE_MAX per call; returns once the driver has written
 * them all, or the first error. */
enum wg_error console_write(wg_handle connection, const char *text, size_t length);

/* Waits for input and copies up to `max` bytes of it to `out`: the count, at least 1, or 0
 * when the console failed (closed, or an error) or max is 0. */
size_t console_read(wg_handle connection, char *out, size_t max);
