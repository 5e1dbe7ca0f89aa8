/* The console's output discipline (see screen.h). '\r' starts the open line over (what
 * came before it is rewritten by what follows, as line editors redraw), '\n' ends it. */
#include "screen.h"
#include "uart.h"

#define CLEAR_LINE "\r\x1b[K"

static struct {
    uint32_t owner; /* the client whose partial line is on the screen; 0: none */
    size_t open_count;
    char open[SCREEN_OPEN_MAX];
} screen;

static void raw(const char *text)
{
    uart_write(text, strlen(text));
}

/* Prints bytes of `client` straight out, and keeps track of the open line. */
static void direct(const struct client *client, const char *bytes, size_t count)
{
    uart_write(bytes, count);
    for (size_t i = 0; i < count; i++) {
        if (bytes[i] == '\n' || bytes[i] == '\r')
            screen.open_count = 0;
        else if (screen.open_count < SCREEN_OPEN_MAX)
            screen.open[screen.open_count++] = bytes[i];
    }
    screen.owner = screen.open_count > 0 ? client->id : 0;
}

/* Adds bytes to the client's waiting partial line; lines it completes are printed above the
 * open line, which is then drawn again. */
static void hold(struct client *client, const char *bytes, size_t count)
{
    bool cleared = false;
    for (size_t i = 0; i < count; i++) {
        client->held[client->held_count++] = bytes[i];
        if (bytes[i] != '\n' && client->held_count < CLIENT_HELD_MAX)
            continue;
        if (!cleared)
            raw(CLEAR_LINE);
        cleared = true;
        uart_write(client->held, client->held_count);
        if (bytes[i] != '\n')
            raw("\n");
        client->held_count = 0;
    }
    if (cleared)
        uart_write(screen.open, screen.open_count);
}

/* The screen line is free: a client whose partial line waited may have it. */
static void give_line_away(void)
{
    struct client *next = clients_holding(NULL);
    if (screen.owner != 0 || !next)
        return;
    size_t count = next->held_count;
    next->held_count = 0;
    direct(next, next->held, count);
}

void screen_write(struct client *client, const char *bytes, size_t count)
{
    if (screen.owner != 0 && screen.owner != client->id) {
        hold(client, bytes, count);
        return;
    }
    if (client->held_count > 0) { /* it waited, and now the line is free */
        size_t held = client->held_count;
        client->held_count = 0;
        direct(client, client->held, held);
    }
    direct(client, bytes, count);
    give_line_away();
}

void screen_forget(struct client *client)
{
    if (client->held_count > 0)
        hold(client, "\n", 1);
    if (screen.owner == client->id) {
        raw("\n");
        screen.owner = 0;
        screen.open_count = 0;
        give_line_away();
    }
}
