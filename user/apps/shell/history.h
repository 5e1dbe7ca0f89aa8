/* The shell's history: the last LINE_HISTORY lines entered in this boot, walked with the
 * up and down arrows; the line being typed is kept as a draft while browsing. */
#pragma once

#include <stddef.h>

/* Adds a line (not an empty one, nor a repeat of the newest). */
void history_add(const char *text);

/* Starts a new browse at the draft (after the newest entry). */
void history_reset(void);

/* The older or newer entry than the one shown, or NULL at the end; `current` is the line
 * being edited, kept as the draft when browsing starts. */
const char *history_older(const char *current);
const char *history_newer(void);
