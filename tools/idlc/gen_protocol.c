/* Prints one protocol's part of NAME_idl.h (see gen_names.h): ordinals, message structs, the
 * client stubs' and server's prototypes, the handler table. */
#include <stdio.h>
#include "gen_names.h"
#include "ident.h"
#include "tables.h"

/* The errors a two-way method may answer, as a mask of WG_ERR_* bits. */
static void gen_errors(struct gen *g, const char *x, const struct method *m)
{
    out_printf(g->out, "#define %s_ERRORS (0", x);
    for (int e = 1; e < 64; e++)
        if (m->errors >> e & 1)
            out_printf(g->out, " | 1ull << WG_ERR_%s", tables_error_name(e));
    out_printf(g->out, ")\n");
}

static void gen_method_header(struct gen *g, const struct protocol *p, const struct method *m)
{
    const char *x = gen_snake2(g, p->c_name, m->name), *X = gen_upper2(g, p->c_name, m->name);
    out_printf(g->out, "\n/* %s.%s", p->name, m->name);
    if (m->since)
        out_printf(g->out, ", since version %d", m->since);
    if (m->removed) {
        out_printf(g->out, ", removed in version %d: answered NOT_SUPPORTED */\n", m->removed);
        out_printf(g->out, "#define %s_ORDINAL 0x%08xu\n", X, m->ordinal);
        return;
    }
    out_printf(g->out, " */\n#define %s_ORDINAL 0x%08xu\n", X, m->ordinal);
    if (m->is_event) {
        char name[300];
        snprintf(name, sizeof name, "%s_event", x);
        gen_struct_body(g, name, m->request);
        out_printf(g->out,
                   "enum wg_error %s_encode_event(const struct %s_event *event, "
                   "struct wg_message *out);\n",
                   x, x);
        out_printf(g->out,
                   "enum wg_error %s_decode_event(const struct wg_message *message, "
                   "struct %s_event *out);\n",
                   x, x);
        out_printf(g->out, "/* Answers an event wait (token) with this event. */\n");
        out_printf(g->out,
                   "enum wg_error %s_send(wg_handle server, uint64_t token, "
                   "const struct %s_event *event);\n",
                   x, x);
        return;
    }
    char name[300];
    snprintf(name, sizeof name, "%s_request", x);
    gen_struct_body(g, name, m->request);
    out_printf(g->out,
               "enum wg_error %s_encode_request(const struct %s_request *request, "
               "struct wg_message *out);\n",
               x, x);
    out_printf(g->out,
               "enum wg_error %s_decode_request(const struct wg_message *message, "
               "struct %s_request *out);\n",
               x, x);
    if (!m->two_way) {
        out_printf(g->out, "/* One-way: sent, never answered. */\n");
        out_printf(g->out,
                   "enum wg_error %s_send(wg_handle connection, "
                   "const struct %s_request *request);\n",
                   x, x);
        return;
    }
    gen_errors(g, X, m);
    snprintf(name, sizeof name, "%s_response", x);
    gen_struct_body(g, name, m->response);
    out_printf(g->out,
               "enum wg_error %s_encode_response(enum wg_error answer, "
               "const struct %s_response *response, struct wg_message *out);\n",
               x, x);
    out_printf(g->out,
               "enum wg_error %s_decode_response(const struct wg_message *message, "
               "struct %s_response *out);\n",
               x, x);
    out_printf(g->out,
               "enum wg_error %s_call(wg_handle connection, const struct %s_request "
               "*request,\n    struct %s_response *response, uint64_t timeout_ns);\n",
               x, x, x);
    out_printf(g->out,
               "enum wg_error %s_send(wg_handle connection, const struct %s_request "
               "*request, uint64_t *id);\n",
               x, x);
    out_printf(g->out,
               "enum wg_error %s_receive(wg_handle connection, uint64_t id, "
               "struct %s_response *response,\n    uint64_t timeout_ns);\n",
               x, x);
    out_printf(g->out,
               "enum wg_error %s_reply(wg_handle server, uint64_t token, enum wg_error "
               "answer,\n    const struct %s_response *response);\n",
               x, x);
}

static void gen_events_header(struct gen *g, const struct protocol *p)
{
    const char *x = p->c_name;
    out_printf(g->out, "\n/* Events of %s, delivered as answers to an event wait. */\n", p->name);
    out_printf(g->out, "#define %s_EVENT_WAIT_ORDINAL 0x%08xu\n", ident_upper(g->ctx, p->c_name),
               p->event_wait_ordinal);
    out_printf(g->out, "struct %s_event {\n    uint32_t ordinal;\n    union {\n", x);
    for (const struct method *m = p->methods; m; m = m->next)
        if (m->is_event && !m->removed)
            out_printf(g->out, "        struct %s_event %s;\n", gen_snake2(g, x, m->name), m->name);
    out_printf(g->out, "    } u;\n};\n");
    out_printf(g->out,
               "/* Waits for the server's next event (u is the member of its ordinal)."
               " */\nenum wg_error %s_event_wait(wg_handle connection, struct %s_event "
               "*out, uint64_t timeout_ns);\n",
               x, x);
}

static void gen_handlers(struct gen *g, const struct protocol *p)
{
    const char *x = p->c_name;
    out_printf(g->out,
               "\n/* The server's handlers; a NULL one is answered NOT_SUPPORTED. A "
               "handler's answer is\n * replied unless it set call->deferred; handles "
               "in a request become the handler's. */\nstruct %s_handlers {\n",
               x);
    for (const struct method *m = p->methods; m; m = m->next) {
        if (m->is_event || m->removed)
            continue;
        const char *mx = gen_snake2(g, x, m->name);
        out_printf(g->out,
                   "    enum wg_error (*%s)(void *context, struct idl_call *call,\n"
                   "        const struct %s_request *request",
                   m->name, mx);
        if (m->two_way)
            out_printf(g->out, ", struct %s_response *response", mx);
        out_printf(g->out, ");\n");
    }
    bool any = p->has_events;
    for (const struct method *m = p->methods; m; m = m->next)
        any |= !m->is_event && !m->removed;
    if (!any)
        out_printf(g->out, "    char idl_empty;\n");
    if (p->has_events)
        out_printf(g->out, "    /* keeps call->token to answer later with an event's _send */\n"
                           "    void (*event_wait)(void *context, struct idl_call *call);\n");
    out_printf(g->out, "};\n");
    out_printf(g->out, "/* Decodes and checks a received message, calls its handler, answers."
                       " Returns the answer\n * (or the handler's result when no reply was "
                       "expected or it was deferred). */\n");
    out_printf(g->out,
               "enum wg_error %s_dispatch(const struct %s_handlers *handlers, void "
               "*context, wg_handle server,\n    const struct wg_message *message, "
               "uint64_t token);\n",
               x, x);
}

void gen_protocol_header(struct gen *g, const struct protocol *p)
{
    out_printf(g->out, "\n/* ---- protocol %s, version %d ---- */\n", p->name, p->version);
    for (const struct method *m = p->methods; m; m = m->next)
        gen_method_header(g, p, m);
    if (p->has_events)
        gen_events_header(g, p);
    gen_handlers(g, p);
}
