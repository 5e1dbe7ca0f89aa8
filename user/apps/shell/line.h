/* The shell's line editor, with readline's common keys: characters (UTF-8 too) insert at
 * the cursor; Backspace/Ctrl-H and Delete erase; Left/Right move; Home/End in every form
 * terminals send (ESC[H ESC[F ESC O H ESC O F ESC[1~ ESC[4~ ESC[7~ ESC[8~) and Ctrl-A/Ctrl-E;
 * Ctrl-U and Ctrl-K erase before and after the cursor, Ctrl-W the word before it; Ctrl-L
 * clears the screen; Up/Down walk the history; Tab completes (complete.h); Ctrl-C abandons
 * the line; Ctrl-D on an empty line is LINE_EOF. It echoes through term and redraws with
 * plain ANSI sequences (CR, ESC[K, ESC[nD). Other control characters and malformed UTF-8
 * are ignored. */
#pragma once

#include <stddef.h>

#define LINE_MAX     256 /* bytes in a line; more are ignored and the line refused */
#define LINE_HISTORY 32  /* lines remembered */
#define LINE_PROMPT  "wingos> "

enum line_event {
    LINE_MORE,     /* keep feeding */
    LINE_READY,    /* Enter: line_text() is the line (added to the history if not empty) */
    LINE_TOO_LONG, /* Enter on a line that went past LINE_MAX: nothing to run */
    LINE_CANCEL,   /* Ctrl-C: the line was abandoned */
    LINE_EOF,      /* Ctrl-D on an empty line */
};

/* Starts a new empty line and prints the prompt. */
void line_begin(void);

/* Takes one input byte. */
enum line_event line_feed(char byte);

/* The line after LINE_READY, NUL-terminated (until the next line_begin). */
const char *line_text(void);
