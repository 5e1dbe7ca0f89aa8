/* Argument checks the shell's commands share: unknown options and extra arguments are
 * errors, never ignored. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* True if the command got no arguments; otherwise says what is wrong and returns false. */
bool args_none(int argc, char **argv);

/* A decimal number (no sign, no spaces); false if `text` is not one. */
bool args_number(const char *text, uint64_t *out);
