/* Prints a protocol's server side of NAME_idl.c (see gen_source.h): one serve function per
 * method (decode, call the handler, answer) and the dispatcher that picks it by ordinal;
 * also the client's event wait. Templates as in gen_client.c. */
#include <stdio.h>
#include <string.h>
#include "gen_names.h"
#include "gen_source.h"
#include "ident.h"

/* Request and response live on the stack when small, else on the heap. */
static const char serve_two_way[] =
    "\nstatic enum wg_error $x_serve(const struct $p_handlers *handlers, void *context,\n"
    "                               struct idl_call *call, const struct wg_message *message)\n"
    "{\n"
    "    struct $x_frame {\n"
    "        struct $x_request request;\n"
    "        struct $x_response response;\n"
    "    } *frame = 0;\n"
    "    _Alignas(16) uint8_t small[IDL_SMALL_FRAME];\n"
    "    if (handlers->$m)\n"
    "        frame = sizeof *frame <= sizeof small ? (void *)small : idl_rt_alloc(sizeof *frame);\n"
    "    if (!frame) {\n"
    "        idl_release_assets(message);\n"
    "        return idl_answer(call, $o, handlers->$m ? WG_ERR_NO_MEMORY : WG_ERR_NOT_SUPPORTED);\n"
    "    }\n"
    "    enum wg_error err = $x_decode_request(message, &frame->request);\n"
    "    __builtin_memset(&frame->response, 0, sizeof frame->response);\n"
    "    if (err == WG_ERR_OK)\n"
    "        err = handlers->$m(context, call, &frame->request, &frame->response);\n"
    "    if (call->token != 0 && !call->deferred)\n"
    "        $x_reply(call->server, call->token, err, &frame->response);\n"
    "    if ((void *)frame != (void *)small)\n"
    "        idl_rt_free(frame);\n"
    "    return err;\n"
    "}\n";

static const char serve_one_way[] =
    "\nstatic enum wg_error $x_serve(const struct $p_handlers *handlers, void *context,\n"
    "                               struct idl_call *call, const struct wg_message *message)\n"
    "{\n"
    "    struct $x_request *request = 0;\n"
    "    _Alignas(16) uint8_t small[IDL_SMALL_FRAME];\n"
    "    if (handlers->$m)\n"
    "        request = sizeof *request <= sizeof small ? (void *)small : idl_rt_alloc(sizeof "
    "*request);\n"
    "    if (!request) {\n"
    "        idl_release_assets(message);\n"
    "        return idl_answer(call, $o, handlers->$m ? WG_ERR_NO_MEMORY : WG_ERR_NOT_SUPPORTED);\n"
    "    }\n"
    "    enum wg_error err = $x_decode_request(message, request);\n"
    "    if (err == WG_ERR_OK)\n"
    "        err = handlers->$m(context, call, request);\n"
    "    if ((void *)request != (void *)small)\n"
    "        idl_rt_free(request);\n"
    "    return idl_answer(call, $o, err); /* one-way: only a sender that waits is answered */\n"
    "}\n";

static const char serve_event_wait[] =
    "\nstatic enum wg_error $p_event_wait_serve(const struct $p_handlers *handlers, void "
    "*context,\n"
    "                                          struct idl_call *call, const struct wg_message "
    "*message)\n"
    "{\n"
    "    struct idl_reader r;\n"
    "    enum wg_error err = idl_read_end(&r, idl_read_begin(&r, message, $e, 0, false));\n"
    "    if (err == WG_ERR_OK && (!handlers->event_wait || call->token == 0))\n"
    "        err = WG_ERR_NOT_SUPPORTED;\n"
    "    if (err != WG_ERR_OK)\n"
    "        return idl_answer(call, $e, err);\n"
    "    call->deferred = true;\n"
    "    handlers->event_wait(context, call);\n"
    "    return WG_ERR_OK;\n"
    "}\n";

static const char event_wait_head[] =
    "\nenum wg_error $p_event_wait(wg_handle connection, struct $p_event *out, uint64_t "
    "timeout_ns)\n"
    "{\n"
    "    struct wg_message message = {0}, reply;\n"
    "    struct idl_reader r;\n"
    "    message.entries[0].value = $e;\n"
    "    enum wg_error err = idl_rt_call(connection, &message, &reply, timeout_ns);\n"
    "    if (err != WG_ERR_OK)\n"
    "        return err;\n"
    "    __builtin_memset(out, 0, sizeof *out);\n"
    "    out->ordinal = idl_ordinal(&reply);\n"
    "    switch (out->ordinal) {\n";

static const char event_wait_tail[] =
    "    default: /* the wait answered with an error, or an event this side does not know */\n"
    "        err = idl_read_begin(&r, &reply, $e, 0, true);\n"
    "        return idl_read_end(&r, err == WG_ERR_OK ? WG_ERR_NOT_SUPPORTED : err);\n"
    "    }\n"
    "}\n";

static const char dispatch_head[] =
    "\nenum wg_error $p_dispatch(const struct $p_handlers *handlers, void *context, wg_handle "
    "server,\n"
    "                         const struct wg_message *message, uint64_t token)\n"
    "{\n"
    "    struct idl_call call = {server, message->connection, token, false};\n"
    "    (void)handlers;\n"
    "    (void)context;\n"
    "    switch (idl_ordinal(message)) {\n";

static const char dispatch_tail[] =
    "    default: /* an unknown or removed method */\n"
    "        idl_release_assets(message);\n"
    "        return idl_answer(&call, idl_ordinal(message), WG_ERR_NOT_SUPPORTED);\n"
    "    }\n"
    "}\n";

static void vars_for(struct gen *g, const struct protocol *p, const struct method *m,
                     const char *vars[26], char *ordinal, char *events)
{
    snprintf(events, 300, "%s_EVENT_WAIT_ORDINAL", ident_upper(g->ctx, p->c_name));
    vars['p' - 'a'] = p->c_name;
    vars['e' - 'a'] = events;
    if (!m)
        return;
    snprintf(ordinal, 300, "%s_ORDINAL", gen_upper2(g, p->c_name, m->name));
    vars['x' - 'a'] = gen_snake2(g, p->c_name, m->name);
    vars['m' - 'a'] = m->name;
    vars['o' - 'a'] = ordinal;
}

void gen_event_wait(struct gen *g, const struct protocol *p)
{
    const char *vars[26] = {0};
    char ordinal[300], events[300];
    vars_for(g, p, NULL, vars, ordinal, events);
    gen_template(g, serve_event_wait, vars);
    gen_template(g, event_wait_head, vars);
    for (const struct method *m = p->methods; m; m = m->next) {
        if (!m->is_event || m->removed)
            continue;
        vars_for(g, p, m, vars, ordinal, events);
        gen_template(g, "    case $o:\n        return $x_decode_event(&reply, &out->u.$m);\n",
                     vars);
    }
    gen_template(g, event_wait_tail, vars);
}

void gen_dispatch(struct gen *g, const struct protocol *p)
{
    const char *vars[26] = {0};
    char ordinal[300], events[300];
    for (const struct method *m = p->methods; m; m = m->next) {
        if (m->is_event || m->removed)
            continue;
        vars_for(g, p, m, vars, ordinal, events);
        gen_template(g, m->two_way ? serve_two_way : serve_one_way, vars);
    }
    vars_for(g, p, NULL, vars, ordinal, events);
    gen_template(g, dispatch_head, vars);
    for (const struct method *m = p->methods; m; m = m->next) {
        vars_for(g, p, m, vars, ordinal, events);
        if (!m->is_event && !m->removed)
            gen_template(g,
                         "    case $o:\n        return $x_serve(handlers, context, &call, "
                         "message);\n",
                         vars);
    }
    if (p->has_events)
        gen_template(g,
                     "    case $e:\n        return $p_event_wait_serve(handlers, context, "
                     "&call, message);\n",
                     vars);
    for (const struct method *m = p->methods; m; m = m->next) {
        vars_for(g, p, m, vars, ordinal, events);
        if (!m->is_event && m->removed) /* falls into the default below */
            gen_template(g, "    case $o: /* removed */\n", vars);
    }
    gen_template(g, dispatch_tail, vars);
}
