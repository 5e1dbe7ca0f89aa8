/* The shell's line editor: characters insert at the cursor, backspace deletes before it,
 * left/right arrows move it, up/down arrows walk the history. It echoes through term and
 * redraws the line with plain ANSI sequences (CR, ESC[K, ESC[nD). Control characters and
 * bytes of 0x80 and above are ignored. */
#pragma once

#include <stddef.h>

#define LINE_MAX     256 /* characters in a line; more are ignored and the line refused */
#define LINE_HISTORY 32  /* lines remembered */
#define LINE_PROMPT  "wingos> "

enum line_event {
    LINE_MORE,     /* keep feeding */
    LINE_READY,    /* Enter: line_text() is the line (added to the history if not empty) */
    LINE_TOO_LONG, /* Enter on a line that went past LINE_MAX: nothing to run */
};

/* Starts a new empty line and prints the prompt. */
void line_begin(void);

/* Takes one input byte. */
enum line_event line_feed(char byte);

/* The line after LINE_READY, NUL-terminated (until the next line_begin). */
const char *line_text(void);
