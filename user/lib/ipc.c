/* The short-message path behind whole messages (ipc.h). */
#include "ipc.h"

bool wg_message_is_short(const struct wg_message *message)
{
    uint64_t rest = 0;
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        rest |=
            message->entries[i].flags | (i >= WG_IPC_SHORT_WORDS ? message->entries[i].value : 0);
    return rest == 0;
}

/* A received short message as the whole message IPC_RECEIVE would have written. */
static void message_from_words(struct wg_message *message, wg_handle connection,
                               const uint64_t *words)
{
    *message = (struct wg_message){.connection = connection, .event = WG_IPC_EVENT_MESSAGE};
    for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
        message->entries[i].value = words[i];
}

static void words_from_message(uint64_t *words, const struct wg_message *message)
{
    for (unsigned i = 0; i < WG_IPC_SHORT_WORDS; i++)
        words[i] = message->entries[i].value;
}

struct wg_result wg_call(wg_handle connection, const struct wg_message *request,
                         struct wg_message *reply, uint64_t timeout_ns)
{
    if (!wg_message_is_short(request))
        return wg_ipc_call(WG_SELF, connection, request, reply, timeout_ns);
    uint64_t words[WG_IPC_SHORT_WORDS], answer[WG_IPC_SHORT_WORDS], long_id;
    words_from_message(words, request);
    enum wg_error err = wg_ipc_call_words(connection, words, timeout_ns, answer, &long_id);
    if (err != WG_ERR_OK)
        return (struct wg_result){err, 0};
    if (long_id != 0) /* answered already: collecting it does not wait */
        return wg_ipc_receive_reply(WG_SELF, connection, long_id, reply, 0);
    message_from_words(reply, 0, answer);
    return (struct wg_result){WG_ERR_OK, 0};
}

struct wg_result wg_reply_receive(wg_handle server, uint64_t token, const struct wg_message *reply,
                                  struct wg_message *out, uint64_t timeout_ns)
{
    if (timeout_ns != WG_WAIT_FOREVER || (token != 0 && !wg_message_is_short(reply)))
        return wg_ipc_reply_receive(WG_SELF, server, token, reply, out, timeout_ns);
    uint64_t words[WG_IPC_SHORT_WORDS] = {0}, in[WG_IPC_SHORT_WORDS];
    if (token != 0)
        words_from_message(words, reply);
    wg_handle connection;
    enum wg_error err = wg_ipc_reply_receive_words(server, &token, words, in, &connection);
    if (err != WG_ERR_OK)
        return (struct wg_result){err, 0};
    if (connection == 0) /* the next message does not fit in registers */
        return wg_ipc_receive(WG_SELF, server, out, timeout_ns);
    message_from_words(out, connection, in);
    return (struct wg_result){WG_ERR_OK, token};
}
