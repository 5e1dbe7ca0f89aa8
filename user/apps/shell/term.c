/* Buffered console output and blocking console input for the shell. */
#include <console.h>
#include <wingos.h>
#include "term.h"

#define TERM_BUFFER_SIZE 512
#define TERM_LINE_MAX    512

static struct {
    wg_handle connection;
    char pending[TERM_BUFFER_SIZE];
    size_t count;
    bool broken; /* a write failed: the console is gone */
} term;

bool term_open(void)
{
    enum wg_error err = console_open(&term.connection);
    if (err != WG_ERR_OK)
        printf("shell: cannot open the console: %s\n", wg_error_name(err));
    return err == WG_ERR_OK;
}

void term_flush(void)
{
    if (term.count > 0 && !term.broken)
        term.broken = console_write(term.connection, term.pending, term.count) != WG_ERR_OK;
    term.count = 0;
}

void term_write(const char *bytes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (term.count == TERM_BUFFER_SIZE)
            term_flush();
        term.pending[term.count++] = bytes[i];
    }
}

void term_puts(const char *text)
{
    term_write(text, strlen(text));
}

void term_printf(const char *format, ...)
{
    char line[TERM_LINE_MAX];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (length > 0)
        term_write(line, (size_t)length < sizeof line ? (size_t)length : sizeof line - 1);
}

size_t term_read(char *out, size_t max)
{
    term_flush();
    return term.broken ? 0 : console_read(term.connection, out, max);
}
