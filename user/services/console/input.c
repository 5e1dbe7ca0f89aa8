/* The input ring and the queue of waiting READ requests (see input.h). One task, the
 * driver's receive loop, uses them: no lock. */
#include <console.h>
#include <console_idl.h>
#include "clients.h"
#include "input.h"
#include "session.h"
#include "uart.h"

struct reader {
    wg_handle connection; /* our handle of the client's connection */
    uint64_t token;       /* the reply token of its READ */
    size_t max;
};

static struct {
    char bytes[INPUT_RING_SIZE];
    size_t head, count; /* the oldest byte, the bytes held */
    uint64_t dropped;
} ring;

static struct {
    struct reader waiting[INPUT_READERS_MAX]; /* oldest first */
    size_t count;
} readers;

void input_reply(wg_handle server, uint64_t token, enum wg_error err, const char *bytes,
                 size_t count)
{
    struct console_read_response response = {0};
    response.data.length = (uint32_t)count;
    if (count)
        memcpy(response.data.data, bytes, count);
    console_read_reply(server, token, err, &response); /* a gone client's: nothing to do */
}

void input_drain_uart(wg_handle server)
{
    while (uart_readable()) {
        uint8_t byte = uart_read();
        if (session_key(server, byte))
            continue; /* Ctrl-C or Ctrl-Z for the foreground job */
        if (ring.count == INPUT_RING_SIZE) {
            if (ring.dropped++ == 0)
                printf("console: input buffer full, dropping input\n");
            continue;
        }
        ring.bytes[(ring.head + ring.count) % INPUT_RING_SIZE] = (char)byte;
        ring.count++;
    }
}

/* Takes up to `max` bytes from the ring; the count. */
static size_t ring_take(char *out, size_t max)
{
    size_t taken = 0;
    while (taken < max && ring.count > 0) {
        out[taken++] = ring.bytes[ring.head];
        ring.head = (ring.head + 1) % INPUT_RING_SIZE;
        ring.count--;
    }
    if (ring.count == 0)
        ring.dropped = 0;
    return taken;
}

/* Answers the oldest waiting reader with what the ring holds, and forgets it. */
static void answer_oldest(wg_handle server)
{
    char bytes[CONSOLE_READ_MAX];
    size_t count = ring_take(bytes, readers.waiting[0].max);
    input_reply(server, readers.waiting[0].token, WG_ERR_OK, bytes, count);
    readers.count--;
    memmove(&readers.waiting[0], &readers.waiting[1], readers.count * sizeof(struct reader));
}

enum wg_error input_read(wg_handle server, wg_handle connection, uint64_t token, size_t max)
{
    struct client *client = clients_find(connection);
    if (!client || !session_may_read(client))
        return WG_ERR_ACCESS_DENIED;
    if (readers.count == INPUT_READERS_MAX)
        return WG_ERR_BUSY;
    readers.waiting[readers.count++] = (struct reader){connection, token, max};
    input_serve_readers(server);
    return WG_ERR_OK;
}

void input_serve_readers(wg_handle server)
{
    while (readers.count > 0 && ring.count > 0)
        answer_oldest(server);
}

/* Answers `err` to every waiting reader for which `answer(connection, context)` holds. */
static void answer_where(wg_handle server, enum wg_error err,
                         bool (*answer)(wg_handle connection, wg_handle context), wg_handle context)
{
    size_t kept = 0;
    for (size_t i = 0; i < readers.count; i++) {
        if (answer(readers.waiting[i].connection, context))
            input_reply(server, readers.waiting[i].token, err, NULL, 0);
        else
            readers.waiting[kept++] = readers.waiting[i];
    }
    readers.count = kept;
}

static bool is_connection(wg_handle connection, wg_handle wanted)
{
    return connection == wanted;
}

static bool may_not_read(wg_handle connection, wg_handle unused)
{
    (void)unused;
    struct client *client = clients_find(connection);
    return !client || !session_may_read(client);
}

void input_answer_readers(wg_handle server, wg_handle connection, enum wg_error err)
{
    answer_where(server, err, is_connection, connection);
}

void input_refuse_background(wg_handle server)
{
    answer_where(server, WG_ERR_ACCESS_DENIED, may_not_read, 0);
}
