/* printf for user programs: formatting by lib/fmt.c, output line-buffered to standard output
 * (conio.h: the console, else the LOG syscall). A line is written when it ends ('\n'), when
 * it fills the buffer (PRINTF_LINE_MAX characters), on printf_flush and on exit. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define PRINTF_LINE_MAX 256

/* Return the number of characters produced (snprintf: that the whole output would have). */
int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *format, va_list args);
int snprintf(char *buffer, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buffer, size_t size, const char *format, va_list args);
/* Writes `text` and a newline; returns the characters written (newline included). */
int puts(const char *text);

/* Writes the pending partial line, if any. */
void printf_flush(void);
