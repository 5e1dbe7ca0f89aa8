/* printf over lib/fmt.c: formatted characters collect in one line buffer, shared by the
 * space's tasks under a lock, and each complete line goes out in one write to standard
 * output (conio.h). */
#include <lib/fmt.h>
#include <lib/string.h>
#include "lock.h"
#include "printf.h"
#include "conio.h"

static struct {
    struct wg_lock lock;
    size_t length;
    char chars[PRINTF_LINE_MAX + 1]; /* and the '\n' that ends it */
} line;

/* Sends the buffered line (even an empty one) and empties the buffer; expects the lock. */
static void line_send(void)
{
    conio_write(line.chars, line.length);
    line.length = 0;
}

/* fmt sink: appends characters, sending the line at each '\n' and when the buffer is full. */
static void line_append(void *ctx, const char *chars, size_t count)
{
    (void)ctx;
    for (size_t i = 0; i < count; i++) {
        if (chars[i] == '\n') {
            line.chars[line.length++] = '\n';
            line_send();
            continue;
        }
        line.chars[line.length++] = chars[i];
        if (line.length == PRINTF_LINE_MAX)
            line_send();
    }
}

void printf_flush(void)
{
    wg_lock_acquire(&line.lock);
    if (line.length > 0)
        line_send();
    wg_lock_release(&line.lock);
}

int vprintf(const char *format, va_list args)
{
    wg_lock_acquire(&line.lock);
    size_t count = fmt_vformat(line_append, NULL, format, args);
    wg_lock_release(&line.lock);
    return (int)count;
}

int printf(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    int count = vprintf(format, args);
    va_end(args);
    return count;
}

int vsnprintf(char *buffer, size_t size, const char *format, va_list args)
{
    return (int)fmt_vsnprintf(buffer, size, format, args);
}

int snprintf(char *buffer, size_t size, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    int count = vsnprintf(buffer, size, format, args);
    va_end(args);
    return count;
}

int puts(const char *text)
{
    size_t length = strlen(text);

    wg_lock_acquire(&line.lock);
    line_append(NULL, text, length);
    line_append(NULL, "\n", 1);
    wg_lock_release(&line.lock);
    return (int)length + 1;
}
