/* The console service's client calls (see console.h) over the generated Console stubs:
 * open, write, read. */
#include <lib/string.h>
#include "console.h"
#include "console_idl.h"
#include "lock.h"
#include "names.h"
#include "syscall.h"

#define CONSOLE_RETRY_NS (10ull * 1000000ull)

_Static_assert(sizeof(((struct console_write_request *)0)->data.data) == CONSOLE_WRITE_MAX,
               "CONSOLE_WRITE_MAX is the bound of idl/console.idl");
_Static_assert(sizeof(((struct console_read_response *)0)->data.data) == CONSOLE_READ_MAX,
               "CONSOLE_READ_MAX is the bound of idl/console.idl");

enum wg_error console_open(wg_handle *connection)
{
    uint64_t deadline = wg_clock().value + CONSOLE_OPEN_WAIT;
    enum wg_error err = wg_connect_by_name(CONSOLE_NAME, connection);
    while (err == WG_ERR_NOT_FOUND && wg_clock().value < deadline) {
        wg_sleep(CONSOLE_RETRY_NS); /* not registered yet: the driver may still be starting */
        err = wg_connect_by_name(CONSOLE_NAME, connection);
    }
    return err;
}

/* The request is large (4 KiB): one per program, so tasks writing at once take turns. */
static struct console_write_request write_request;
static struct wg_lock write_lock;

enum wg_error console_write(wg_handle connection, const char *text, size_t length)
{
    enum wg_error err = WG_ERR_OK;
    wg_lock_acquire(&write_lock);
    while (length > 0 && err == WG_ERR_OK) {
        size_t chunk = length < CONSOLE_WRITE_MAX ? length : CONSOLE_WRITE_MAX;
        struct console_write_response response;
        write_request.data.length = (uint32_t)chunk;
        memcpy(write_request.data.data, text, chunk);
        err = console_write_call(connection, &write_request, &response, WG_WAIT_FOREVER);
        if (err == WG_ERR_OK && response.written != chunk)
            err = WG_ERR_BAD_FORMAT;
        text += chunk;
        length -= chunk;
    }
    wg_lock_release(&write_lock);
    return err;
}

size_t console_read(wg_handle connection, char *out, size_t max)
{
    if (max == 0)
        return 0;
    struct console_read_request request = {max < CONSOLE_READ_MAX ? (uint32_t)max
                                                                  : CONSOLE_READ_MAX};
    struct console_read_response response;
    if (console_read_call(connection, &request, &response, WG_WAIT_FOREVER) != WG_ERR_OK ||
        response.data.length == 0 || response.data.length > request.max)
        return 0;
    memcpy(out, response.data.data, response.data.length);
    return response.data.length;
}
