/* The shell's terminal: buffered output to, and input from, the console service. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Connects to the console service (waiting for it to come up); false if it never did. */
bool term_open(void);

/* Queues output; it goes out when the buffer fills, at term_flush, or before a read. */
void term_write(const char *bytes, size_t count);
void term_puts(const char *text);
void term_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Sends the queued output. */
void term_flush(void);

/* Flushes, then waits for input: up to `max` bytes in `out`, the count (0: the console
 * failed). */
size_t term_read(char *out, size_t max);
