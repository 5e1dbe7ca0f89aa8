/* The shell's commands: a table of names and handlers; the line is split into words at
 * spaces and tabs. */
#pragma once

#define COMMANDS_WORDS_MAX 24 /* words in a command line */

#include <stddef.h>

/* Runs one command line (modified in place while split); output goes through term. */
void commands_run(char *line);

/* The name of command `index`, NULL past the last (for completion). */
const char *commands_name(size_t index);
