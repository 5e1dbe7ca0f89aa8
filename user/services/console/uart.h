/* The COM1 UART (a 16550) as the console driver sees it: polled output, interrupt-driven
 * input. Its ports must be enabled for the calling space (IOPORT_ENABLE) first. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_PORT_BASE  0x3f8
#define UART_PORT_COUNT 8
#define UART_IRQ        4

/* Turns on the received-data interrupt (and OUT2, which routes the UART's interrupt to the
 * interrupt controller on PC hardware); keeps the line settings and divisor the kernel set.
 * Clears any interrupt cause already pending. */
void uart_enable_receive_interrupt(void);

/* Writes `count` bytes, waiting for room in the transmitter; '\n' goes out as "\r\n". */
void uart_write(const char *bytes, size_t count);

/* True while the receiver holds a byte. */
bool uart_readable(void);

/* The next received byte (call only when uart_readable). */
uint8_t uart_read(void);
