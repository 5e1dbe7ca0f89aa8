/* Kernel log: formats with lib/fmt to the arch console, or to whatever output the kernel
 * sets with log_set_output (kernel/driver/klog.c's ring, which the console service reads). */
#include "kernel/log.h"
#include "kernel/arch.h"
#include "lib/fmt.h"

#include <stdarg.h>

static enum log_level log_min_level = LOG_INFO;
static const char *const log_prefixes[] = {
    [LOG_DEBUG] = "[debug] ",
    [LOG_INFO] = "[info]  ",
    [LOG_WARN] = "[warn]  ",
    [LOG_ERROR] = "[error] ",
};

static void (*log_output)(const char *chars, size_t count) = arch_console_write;

void log_set_output(void (*write)(const char *chars, size_t count))
{
    log_output = write;
}

static void log_sink(void *ctx, const char *chars, size_t count)
{
    (void)ctx;
    log_output(chars, count);
}

void log_set_level(enum log_level level)
{
    log_min_level = level;
}

void log_line(enum log_level level, const char *format, ...)
{
    if (level < log_min_level)
        return;
    va_list args;
    va_start(args, format);
    fmt_format(log_sink, NULL, "%s", log_prefixes[level]);
    fmt_vformat(log_sink, NULL, format, args);
    log_output("\n", 1);
    va_end(args);
}

void log_vraw(const char *format, va_list args)
{
    fmt_vformat(log_sink, NULL, format, args);
}

void log_raw(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_vraw(format, args);
    va_end(args);
}
