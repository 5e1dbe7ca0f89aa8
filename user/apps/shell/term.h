/* The shell's terminal: buffered output to, and input from, the console service. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Connects to the console service (waiting for it to come up) and claims it, so the shell
 * decides who has the keyboard; false if it never came. A shell started with standard
 * input and output (by another shell) uses that instead, and claims nothing. */
bool term_open(void);

/* Our console connection, and whether we claimed the console (term_open). */
wg_handle term_connection(void);
bool term_controls(void);

/* Queues output; it goes out when the buffer fills, at term_flush, or before a read. */
void term_write(const char *bytes, size_t count);
void term_puts(const char *text);
void term_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Sends the queued output. */
void term_flush(void);

/* Flushes, then waits for input: up to `max` bytes in `out`, the count (0: the console
 * failed). */
size_t term_read(char *out, size_t max);
