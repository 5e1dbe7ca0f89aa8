/* The keyboard's owner and the control keys (see session.h). */
#include <console_idl.h>
#include "input.h"
#include "session.h"

static struct {
    uint32_t controller; /* 0: not claimed yet */
    uint32_t foreground; /* a job's client id, 0: the controller */
    uint32_t events;
} session;

bool session_may_read(const struct client *client)
{
    if (session.foreground != 0)
        return client->id == session.foreground;
    return session.controller == 0 || client->id == session.controller;
}

static void answer_signal(wg_handle server, struct client *client, enum wg_error err)
{
    if (client->signal_token == 0)
        return;
    struct console_wait_signal_response response = {.signal = 1};
    console_wait_signal_reply(server, client->signal_token, err, &response);
    client->signal_token = 0;
}

bool session_key(wg_handle server, uint8_t key)
{
    if (session.foreground == 0 || (key != SESSION_KEY_INTERRUPT && key != SESSION_KEY_SUSPEND))
        return false;
    struct client *job = clients_by_id(session.foreground);
    if (key == SESSION_KEY_INTERRUPT) {
        session.events |= SESSION_EVENT_INTERRUPT;
        if (job) {
            input_answer_readers(server, job->connection, WG_ERR_KILLED);
            answer_signal(server, job, WG_ERR_OK);
        }
    } else {
        session.events |= SESSION_EVENT_SUSPEND;
        session.foreground = 0;
        input_refuse_background(server);
    }
    return true;
}

enum wg_error session_claim(const struct client *client)
{
    if (session.controller != 0 && session.controller != client->id)
        return WG_ERR_BUSY;
    session.controller = client->id;
    return WG_ERR_OK;
}

enum wg_error session_foreground(wg_handle server, const struct client *client, uint32_t id)
{
    if (session.controller == 0 || client->id != session.controller)
        return WG_ERR_ACCESS_DENIED;
    if (id != 0 && (id == session.controller || !clients_by_id(id)))
        return WG_ERR_NOT_FOUND;
    session.foreground = id;
    session.events = 0; /* keys meant for the job before */
    input_refuse_background(server);
    input_serve_readers(server);
    return WG_ERR_OK;
}

enum wg_error session_events(const struct client *client, uint32_t *events)
{
    if (session.controller == 0 || client->id != session.controller)
        return WG_ERR_ACCESS_DENIED;
    *events = session.events;
    session.events = 0;
    return WG_ERR_OK;
}

void session_wait_signal(wg_handle server, struct client *client, uint64_t token)
{
    answer_signal(server, client, WG_ERR_BUSY); /* an older waiter (perhaps gone) gives way */
    client->signal_token = token;
}

void session_forget(wg_handle server, struct client *client)
{
    answer_signal(server, client, WG_ERR_PEER_CLOSED);
    if (client->id == session.controller) {
        session.controller = 0;
        session.foreground = 0;
        session.events = 0;
    }
    if (client->id == session.foreground)
        session.foreground = 0;
}
