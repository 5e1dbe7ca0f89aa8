/* A program's standard input and output: one console connection (idl/console.idl) handed
 * over at spawn. The spawner copies it into the child's space and EXEC gives its handle in
 * rdx, which crt0 keeps in wg_stdio; wg_spawn hands the caller's own on to its children.
 * Programs started without one (init and the services it starts) have wg_stdio 0, and
 * printf then goes to the kernel log (LOG), which the console prints too. */
#pragma once

#include <stddef.h>
#include <wingos/abi.h>
#include <wingos/error.h>

extern wg_handle wg_stdio; /* 0: none */

/* When the console service ends (and the service manager restarts it), a write or read
 * that met PEER_CLOSED connects to "console" again and is sent again, up to this many
 * times. Output is at least once: a write the old console printed but did not answer is
 * printed twice. The new connection is not in the foreground until the shell says so. */
#define CONIO_RESEND_MAX 3

/* Writes to standard output; without one (or if it failed) through LOG. */
void conio_write(const char *text, size_t length);

/* Waits for input on standard input: up to `max` bytes in *out, their count in *count.
 * WG_ERR_NOT_FOUND without standard input; ACCESS_DENIED when the program runs in the
 * background; KILLED after Ctrl-C; PEER_CLOSED when the console went away and did not come back. */
enum wg_error conio_read(char *out, size_t max, size_t *count);
