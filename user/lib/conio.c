/* Standard input and output over the console connection (see conio.h), connecting again
 * by name when the console service was restarted. */
#include "console.h"
#include "console_idl.h"
#include "conio.h"
#include "syscall.h"
#include <lib/string.h>

wg_handle wg_stdio;

/* The console ended (the service manager restarts it): connect to "console" again, waiting
 * up to CONSOLE_OPEN_WAIT for it; false if it did not come back. */
static bool reconnect(void)
{
    wg_handle fresh;
    if (console_open(&fresh) != WG_ERR_OK)
        return false;
    wg_asset_release(WG_SELF, wg_stdio);
    wg_stdio = fresh;
    return true;
}

void conio_write(const char *text, size_t length)
{
    for (int attempt = 0; wg_stdio != 0 && attempt <= CONIO_RESEND_MAX; attempt++) {
        enum wg_error err = console_write(wg_stdio, text, length);
        if (err == WG_ERR_OK)
            return;
        if (err != WG_ERR_PEER_CLOSED || !reconnect())
            break;
    }
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
    for (int attempt = 0; err == WG_ERR_PEER_CLOSED && attempt < CONIO_RESEND_MAX && reconnect();
         attempt++)
        err = console_read_call(wg_stdio, &request, &response, WG_WAIT_FOREVER);
    if (err == WG_ERR_OK && (response.data.length == 0 || response.data.length > request.max))
        err = WG_ERR_BAD_FORMAT;
    if (err == WG_ERR_OK) {
        memcpy(out, response.data.data, response.data.length);
        *count = response.data.length;
    }
    return err;
}
