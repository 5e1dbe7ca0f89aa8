/* The console's connection table (see clients.h). */
#include "clients.h"

static struct client table[CLIENTS_MAX];
static uint32_t next_id = 1;

struct client *clients_find(wg_handle connection)
{
    for (size_t i = 0; i < CLIENTS_MAX; i++)
        if (table[i].connection == connection && connection != 0)
            return &table[i];
    return NULL;
}

struct client *clients_get(wg_handle connection)
{
    struct client *found = clients_find(connection);
    for (size_t i = 0; !found && i < CLIENTS_MAX; i++)
        if (table[i].connection == 0) {
            found = &table[i];
            *found = (struct client){.connection = connection, .id = next_id++};
            if (next_id == 0)
                next_id = 1; /* 0 names the controller in FOREGROUND */
        }
    return found;
}

struct client *clients_by_id(uint32_t id)
{
    for (size_t i = 0; i < CLIENTS_MAX; i++)
        if (table[i].connection != 0 && table[i].id == id)
            return &table[i];
    return NULL;
}

struct client *clients_holding(const struct client *except)
{
    for (size_t i = 0; i < CLIENTS_MAX; i++)
        if (table[i].connection != 0 && table[i].held_count > 0 && &table[i] != except)
            return &table[i];
    return NULL;
}

void clients_free(struct client *client)
{
    client->connection = 0;
    client->held_count = 0;
    client->signal_token = 0;
}
