/* Standard input and output over the console connection (see conio.h). */
#include "console.h"
#include "console_idl.h"
#include "conio.h"
#include "syscall.h"
#include <lib/string.h>

wg_handle wg_stdio;

void conio_write(const char *text, size_t length)
{
    if (wg_stdio != 0 && console_write(wg_stdio, text, length) == WG_ERR_OK)
        return;
    wg_log(text, length); /* no console, or it went away: the kernel log still takes it */
}

enum wg_error conio_read(char *out, size_t max, size_t *count)
{
    *count = 0;
    if (wg_stdio == 0)
        return WG_ERR_NOT_FOUND;
    if (max == 0)
        return WG_ERR_INVALID_ARGUMENT;
    struct console_read_request request = {max < CONSOLE_READ_MAX ? (uint32_t)max
                                                                  : CONSOLE_READ_MAX};
    struct console_read_response response;
    enum wg_error err = console_read_call(wg_stdio, &request, &response, WG_WAIT_FOREVER);
    if (err == WG_ERR_OK && (response.data.length == 0 || response.data.length > request.max))
        err = WG_ERR_BAD_FORMAT;
    if (err == WG_ERR_OK) {
        memcpy(out, response.data.data, response.data.length);
        *count = response.data.length;
    }
    return err;
}
