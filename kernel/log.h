/* Kernel log: leveled, formatted lines on the console. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below this level are dropped (default LOG_INFO; "loglevel=debug" on the cmdline). */
void log_set_level(enum log_level level);
/* Where every log byte goes (any context): the arch console until this is called. */
void log_set_output(void (*write)(const char *chars, size_t count));

void log_line(enum log_level level, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Unprefixed output, no newline added: for multi-line reports. */
void log_raw(const char *format, ...) __attribute__((format(printf, 1, 2)));

void log_vraw(const char *format, va_list args);

#define log_debug(...) log_line(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_line(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_line(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_line(LOG_ERROR, __VA_ARGS__)
