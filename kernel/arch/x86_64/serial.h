/* COM1 serial port, polled. */
#pragma once

#include <stddef.h>

void serial_init(void);
void serial_write(const char *chars, size_t count);
/* Returns the next received byte, or -1 when none is waiting. */
int serial_read_nonblocking(void);
