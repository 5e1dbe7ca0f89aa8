/* The console protocol's packing (see console.h) and the client calls: open, write, read. */
#include <lib/string.h>
#include "console.h"
#include "names.h"
#include "syscall.h"

#define CONSOLE_FIRST_ENTRY 1
#define CONSOLE_ENTRIES     (CONSOLE_CHUNK / 8)
#define CONSOLE_RETRY_NS    (10ull * 1000000ull)

_Static_assert(CONSOLE_FIRST_ENTRY + CONSOLE_ENTRIES <= WG_MESSAGE_ENTRIES, "a chunk fits");
_Static_assert(CONSOLE_CHUNK % 8 == 0, "a chunk fills whole entries");

void console_pack(struct wg_message *message, const char *bytes, size_t count)
{
    char packed[CONSOLE_CHUNK] = {0};
    if (count > 0)
        memcpy(packed, bytes, count < CONSOLE_CHUNK ? count : CONSOLE_CHUNK);
    for (unsigned i = 0; i < CONSOLE_ENTRIES; i++)
        memcpy(&message->entries[CONSOLE_FIRST_ENTRY + i].value, packed + 8 * i, 8);
}

void console_unpack(const struct wg_message *message, char *bytes, size_t count)
{
    char packed[CONSOLE_CHUNK];
    for (unsigned i = 0; i < CONSOLE_ENTRIES; i++)
        memcpy(packed + 8 * i, &message->entries[CONSOLE_FIRST_ENTRY + i].value, 8);
    memcpy(bytes, packed, count < CONSOLE_CHUNK ? count : CONSOLE_CHUNK);
}

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

/* One request; the reply's error (with its count in *count), or the call's. */
static enum wg_error console_call(wg_handle connection, const struct wg_message *request,
                                  struct wg_message *reply, size_t *count)
{
    enum wg_error err = wg_ipc_call(WG_SELF, connection, request, reply, WG_WAIT_FOREVER).err;
    if (err != WG_ERR_OK)
        return err;
    uint64_t header = reply->entries[0].value;
    uint64_t answer = header & ((1u << CONSOLE_COUNT_SHIFT) - 1);
    *count = (size_t)(header >> CONSOLE_COUNT_SHIFT);
    if (answer >= WG_ERROR_COUNT)
        return WG_ERR_BAD_FORMAT;
    return *count > CONSOLE_CHUNK ? WG_ERR_BAD_FORMAT : (enum wg_error)answer;
}

enum wg_error console_write(wg_handle connection, const char *text, size_t length)
{
    while (length > 0) {
        size_t chunk = length < CONSOLE_CHUNK ? length : CONSOLE_CHUNK;
        struct wg_message request = {0}, reply;
        request.entries[0].value = console_header(CONSOLE_OP_WRITE, chunk);
        console_pack(&request, text, chunk);
        size_t written;
        enum wg_error err = console_call(connection, &request, &reply, &written);
        if (err != WG_ERR_OK)
            return err;
        if (written != chunk)
            return WG_ERR_BAD_FORMAT;
        text += chunk;
        length -= chunk;
    }
    return WG_ERR_OK;
}

size_t console_read(wg_handle connection, char *out, size_t max)
{
    if (max == 0)
        return 0;
    size_t wanted = max < CONSOLE_CHUNK ? max : CONSOLE_CHUNK;
    struct wg_message request = {0}, reply;
    request.entries[0].value = console_header(CONSOLE_OP_READ, wanted);
    size_t count;
    if (console_call(connection, &request, &reply, &count) != WG_ERR_OK || count > wanted)
        return 0;
    console_unpack(&reply, out, count);
    return count;
}
