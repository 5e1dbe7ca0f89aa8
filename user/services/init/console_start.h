/* init's part of the console: it alone may create driver assets, so it makes the COM1
 * interrupt and I/O port assets, hands them to the console driver it starts, and then runs
 * the interactive shell on that console, for as long as the system is up. */
#pragma once

#include <wingos.h>

/* Starts the console driver ("console") in a new child space with the COM1 interrupt (ISA
 * IRQ 4) and I/O ports (0x3f8-0x3ff) moved into that space before its task starts; their
 * handle values there are its arguments. WG_ERR_OK, or the first error (nothing is left
 * behind then). */
enum wg_error console_start(void);

/* Runs "shell", waits for it, and starts it again whenever it ends. Never returns. */
__attribute__((noreturn)) void console_start_shell(void);

/* What init's normal mode calls: console_start, then console_start_shell. Returns only if
 * the console could not be started (after saying why). */
void console_start_session(void);
