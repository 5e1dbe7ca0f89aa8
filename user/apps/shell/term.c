/* Buffered console output and blocking console input for the shell. */
#include <console.h>
#include <console_idl.h>
#include <wingos.h>
#include "term.h"

#define TERM_BUFFER_SIZE 512
#define TERM_LINE_MAX    512

static struct {
    wg_handle connection;
    bool controller; /* we claimed the console: we run jobs in the foreground */
    char pending[TERM_BUFFER_SIZE];
    size_t count;
    bool broken; /* a write failed: the console is gone */
} term;

bool term_open(void)
{
    if (wg_stdio != 0) { /* started by another shell: its job's connection is ours */
        term.connection = wg_stdio;
        return true;
    }
    enum wg_error err = console_open(&term.connection);
    if (err == WG_ERR_OK) {
        struct console_claim_request request = {0};
        struct console_claim_response response;
        term.controller =
            console_claim_call(term.connection, &request, &response, WG_WAIT_FOREVER) == WG_ERR_OK;
        wg_stdio = term.connection; /* so printf and our children use it too */
    } else {
        printf("shell: cannot open the console: %s\n", wg_error_name(err));
    }
    return err == WG_ERR_OK;
}

wg_handle term_connection(void)
{
    return term.connection;
}

bool term_controls(void)
{
    return term.controller;
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
    size_t count = 0;
    enum wg_error err = term.broken ? WG_ERR_PEER_CLOSED : conio_read(out, max, &count);
    while (err == WG_ERR_ACCESS_DENIED || err == WG_ERR_KILLED) {
        wg_sleep(50ull * 1000000ull); /* a nested shell whose job is not in the foreground */
        err = conio_read(out, max, &count);
    }
    return err == WG_ERR_OK ? count : 0;
}
