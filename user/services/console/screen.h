/* The console's output discipline. The connection whose partial line is on the screen (the
 * shell's prompt and what was typed, a program's "Name: ") owns the line. Another
 * connection's complete lines are printed after clearing that line, which is then drawn
 * again from what its owner wrote; its partial line waits until it ends or the screen line
 * is free. So lines never split, and a prompt is never left mid-line. */
#pragma once

#include <stddef.h>

#include "clients.h"

#define SCREEN_OPEN_MAX 1024 /* bytes of the open line kept for redrawing it */

/* Writes `count` bytes of `client` (see above). */
void screen_write(struct client *client, const char *bytes, size_t count);

/* `client` is going away: its waiting partial line is printed as a line, and if it owns
 * the screen line, the line is ended. */
void screen_forget(struct client *client);
