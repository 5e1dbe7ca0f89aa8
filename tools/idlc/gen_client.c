/* Prints one method's part of NAME_idl.c (see gen_source.h): its message codecs, encoders
 * and decoders, the client stubs (call, send, receive), the server's reply, and for an
 * event its sender. Templates: $x the method's C prefix, $o its ordinal macro, $s the
 * request's handle slots, $r the response's, $e its errors macro, $k "request" or "event". */
#include <stdio.h>
#include <string.h>
#include "gen_names.h"
#include "gen_source.h"
#include "ident.h"

/* A request's or an event's ($k) encoder and decoder. */
static const char encode_message[] =
    "\nenum wg_error $x_encode_$k(const struct $x_$k *$k, struct wg_message *out)\n"
    "{\n"
    "    struct idl_writer w;\n"
    "    size_t size = $x_$k_size($k);\n"
    "    if (size == IDL_INVALID_SIZE)\n"
    "        return WG_ERR_INVALID_ARGUMENT;\n"
    "    enum wg_error err = idl_write_begin(&w, out, $o, WG_ERR_OK, $s, size);\n"
    "    if (err != WG_ERR_OK)\n"
    "        return err;\n"
    "    $x_$k_put(&w, $k);\n"
    "    return idl_write_end(&w);\n"
    "}\n"
    "\nenum wg_error $x_decode_$k(const struct wg_message *message, struct $x_$k *out)\n"
    "{\n"
    "    struct idl_reader r;\n"
    "    __builtin_memset(out, 0, sizeof *out);\n"
    "    enum wg_error err = idl_read_begin(&r, message, $o, $s, false);\n"
    "    if (err == WG_ERR_OK && !$x_$k_get(&r, out))\n"
    "        err = r.err;\n"
    "    return idl_read_end(&r, err);\n"
    "}\n";

static const char encode_response[] =
    "\nenum wg_error $x_encode_response(enum wg_error answer, const struct $x_response *response,\n"
    "                                  struct wg_message *out)\n"
    "{\n"
    "    struct idl_writer w;\n"
    "    size_t size = answer == WG_ERR_OK ? $x_response_size(response) : 0;\n"
    "    if (size == IDL_INVALID_SIZE)\n"
    "        return WG_ERR_INVALID_ARGUMENT;\n"
    "    enum wg_error err = idl_write_begin(&w, out, $o, answer, answer == WG_ERR_OK ? $r : 0, "
    "size);\n"
    "    if (err != WG_ERR_OK)\n"
    "        return err;\n"
    "    if (answer == WG_ERR_OK)\n"
    "        $x_response_put(&w, response);\n"
    "    return idl_write_end(&w);\n"
    "}\n"
    "\nenum wg_error $x_decode_response(const struct wg_message *message, struct $x_response "
    "*out)\n"
    "{\n"
    "    struct idl_reader r;\n"
    "    __builtin_memset(out, 0, sizeof *out);\n"
    "    enum wg_error err = idl_read_begin(&r, message, $o, $r, true);\n"
    "    if (err == WG_ERR_OK && !$x_response_get(&r, out))\n"
    "        err = r.err;\n"
    "    else if (err != WG_ERR_OK && !(($e | IDL_ANSWER_ERRORS) >> err & 1))\n"
    "        err = WG_ERR_BAD_FORMAT; /* an error the method does not answer */\n"
    "    return idl_read_end(&r, err);\n"
    "}\n";

static const char stubs[] =
    "\nenum wg_error $x_call(wg_handle connection, const struct $x_request *request,\n"
    "                      struct $x_response *response, uint64_t timeout_ns)\n"
    "{\n"
    "    struct wg_message message, reply;\n"
    "    enum wg_error err = $x_encode_request(request, &message);\n"
    "    if (err != WG_ERR_OK)\n"
    "        return err;\n"
    "    err = idl_rt_call(connection, &message, &reply, timeout_ns);\n"
    "    if (err != WG_ERR_OK) {\n"
    "        idl_unsent(&message, $s);\n"
    "        return err;\n"
    "    }\n"
    "    return $x_decode_response(&reply, response);\n"
    "}\n"
    "\nenum wg_error $x_send(wg_handle connection, const struct $x_request *request, uint64_t "
    "*id)\n"
    "{\n"
    "    struct wg_message message;\n"
    "    enum wg_error err = $x_encode_request(request, &message);\n"
    "    if (err == WG_ERR_OK && (err = idl_rt_send(connection, &message, true, id)) != "
    "WG_ERR_OK)\n"
    "        idl_unsent(&message, $s);\n"
    "    return err;\n"
    "}\n"
    "\nenum wg_error $x_receive(wg_handle connection, uint64_t id, struct $x_response *response,\n"
    "                         uint64_t timeout_ns)\n"
    "{\n"
    "    struct wg_message reply;\n"
    "    enum wg_error err = idl_rt_receive_reply(connection, id, &reply, timeout_ns);\n"
    "    return err != WG_ERR_OK ? err : $x_decode_response(&reply, response);\n"
    "}\n"
    "\nenum wg_error $x_reply(wg_handle server, uint64_t token, enum wg_error answer,\n"
    "                       const struct $x_response *response)\n"
    "{\n"
    "    struct wg_message message;\n"
    "    enum wg_error err = $x_encode_response(answer, response, &message);\n"
    "    if (err != WG_ERR_OK) /* answer why instead: a bare error cannot fail to encode */\n"
    "        $x_encode_response(err, response, &message);\n"
    "    enum wg_error sent = idl_rt_reply(server, token, &message);\n"
    "    if (sent != WG_ERR_OK)\n"
    "        idl_unsent(&message, $r);\n"
    "    return err != WG_ERR_OK ? err : sent;\n"
    "}\n";

static const char one_way[] =
    "\nenum wg_error $x_send(wg_handle connection, const struct $x_request *request)\n"
    "{\n"
    "    struct wg_message message;\n"
    "    uint64_t id;\n"
    "    enum wg_error err = $x_encode_request(request, &message);\n"
    "    if (err == WG_ERR_OK && (err = idl_rt_send(connection, &message, false, &id)) != "
    "WG_ERR_OK)\n"
    "        idl_unsent(&message, $s);\n"
    "    return err;\n"
    "}\n";

static const char event[] =
    "\nenum wg_error $x_send(wg_handle server, uint64_t token, const struct $x_event *event)\n"
    "{\n"
    "    struct wg_message message;\n"
    "    enum wg_error err = $x_encode_event(event, &message);\n"
    "    if (err == WG_ERR_OK && (err = idl_rt_reply(server, token, &message)) != WG_ERR_OK)\n"
    "        idl_unsent(&message, $s);\n"
    "    return err;\n"
    "}\n";

static const char *number(struct gen *g, unsigned n)
{
    char text[16];
    snprintf(text, sizeof text, "%u", n);
    return arena_strndup(g->ctx, text, strlen(text));
}

static void codec(struct gen *g, const char *x, const char *kind, const struct field *fields)
{
    char name[300], ctype[320];
    snprintf(name, sizeof name, "%s_%s", x, kind);
    snprintf(ctype, sizeof ctype, "struct %s", name);
    gen_codec(g, name, ctype, fields, true);
}

void gen_method_source(struct gen *g, const struct protocol *p, const struct method *m)
{
    const char *x = gen_snake2(g, p->c_name, m->name), *upper = gen_upper2(g, p->c_name, m->name);
    char ordinal[300], errors[300];
    snprintf(ordinal, sizeof ordinal, "%s_ORDINAL", upper);
    snprintf(errors, sizeof errors, "%s_ERRORS", upper);
    const char *vars[26] = {['x' - 'a'] = x,
                            ['o' - 'a'] = ordinal,
                            ['e' - 'a'] = errors,
                            ['s' - 'a'] = number(g, m->request_handles),
                            ['r' - 'a'] = number(g, m->response_handles)};
    out_printf(g->out, "\n/* ---- %s.%s ---- */\n", p->name, m->name);
    vars['k' - 'a'] = m->is_event ? "event" : "request";
    codec(g, x, vars['k' - 'a'], m->request);
    gen_template(g, encode_message, vars);
    if (m->is_event) {
        gen_template(g, event, vars);
        return;
    }
    if (!m->two_way) {
        gen_template(g, one_way, vars);
        return;
    }
    codec(g, x, "response", m->response);
    gen_template(g, encode_response, vars);
    gen_template(g, stubs, vars);
}
