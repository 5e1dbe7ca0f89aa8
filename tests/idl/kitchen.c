/* The host tests' Kitchen server (see kitchen.h). */
#include <stdlib.h>
#include <string.h>
#include "kitchen.h"

static enum wg_error on_echo(void *context, struct idl_call *call,
                             const struct kitchen_echo_request *request,
                             struct kitchen_echo_response *response)
{
    struct server_state *s = context;
    memcpy(&response->value, &request->value, sizeof response->value);
    if (s->defer) {
        call->deferred = true;
        s->token = call->token;
    }
    return s->answer;
}

static enum wg_error on_share(void *context, struct idl_call *call,
                              const struct kitchen_share_request *request,
                              struct kitchen_share_response *response)
{
    struct server_state *s = context;
    uint64_t size = 0;
    (void)call;
    idl_rt_asset_kind(request->memory, &size);
    response->size = size;
    s->kept = request->memory;
    s->kept_rights = shim_asset_rights(request->memory);
    s->extra_rights = shim_asset_rights(request->extra);
    if (request->extra)
        idl_rt_release(request->extra);
    return WG_ERR_OK;
}

static enum wg_error on_poke(void *context, struct idl_call *call,
                             const struct kitchen_poke_request *request)
{
    (void)call;
    ((struct server_state *)context)->pokes += request->count;
    return WG_ERR_OK;
}

static enum wg_error on_grow(void *context, struct idl_call *call,
                             const struct kitchen_grow_request *request,
                             struct kitchen_grow_response *response)
{
    (void)call;
    ((struct server_state *)context)->grown = *request;
    response->base = request->base + 1;
    response->more = request->more + 1;
    return WG_ERR_OK;
}

static void on_event_wait(void *context, struct idl_call *call)
{
    struct server_state *s = context;
    s->token = call->token;
    if (s->event == 1) {
        struct kitchen_changed_event changed = {TYPES_COLOR_GREEN, 7};
        kitchen_changed_send(call->server, call->token, &changed);
    } else if (s->event == 2) {
        struct kitchen_big_event *big = calloc(1, sizeof *big);
        big->data.length = 2000;
        memset(big->data.data, 0xab, 2000);
        kitchen_big_send(call->server, call->token, big);
        free(big);
    }
}

static const struct kitchen_handlers handlers = {
    .echo = on_echo,
    .share = on_share,
    .poke = on_poke,
    .grow = on_grow,
    .event_wait = on_event_wait,
};

static void serve(void *context, const struct wg_message *message, uint64_t token)
{
    kitchen_dispatch(&handlers, context, SHIM_SERVER, message, token);
}

struct server_state *kitchen_start(void)
{
    static struct server_state state;
    shim_reset();
    memset(&state, 0, sizeof state);
    shim_serve(serve, &state);
    return &state;
}

bool kitchen_clean(void)
{
    return shim_assets_alive() == 0 && shim_bad_releases() == 0;
}

void kitchen_fill_everything(struct types_everything *v)
{
    memset(v, 0, sizeof *v);
    v->a = UINT8_MAX, v->b = UINT16_MAX, v->c = UINT32_MAX, v->d = UINT64_MAX;
    v->e = INT8_MIN, v->f = INT16_MIN, v->g = INT32_MIN, v->h = INT64_MIN;
    v->flag = true;
    v->wide = (int64_t)TYPES_WIDE_BIG;
    v->perm = TYPES_PERM_ALL;
    memset(v->shape.name, 's', 12);
    v->shape.corners.count = 4;
    for (int i = 0; i < 4; i++)
        v->shape.corners.items[i] = (struct types_point){INT32_MAX - i, INT32_MIN + i};
    v->shape.color = TYPES_COLOR_BLUE;
    v->shape.has_tag = true;
    v->shape.tag = 0xee;
    memset(v->label, 'L', 255);
    v->blob.length = 300;
    for (int i = 0; i < 300; i++)
        v->blob.data[i] = (uint8_t)i;
    v->matrix.count = 3;
    for (int i = 0; i < 3; i++) {
        v->matrix.items[i].count = 3;
        for (int j = 0; j < 3; j++)
            v->matrix.items[i].items[j] = (uint16_t)(0xfff0 + 3 * i + j);
    }
    v->names.count = 4;
    for (int i = 0; i < 4; i++)
        memset(v->names.items[i], 'a' + i, 5);
    v->has_maybe = true;
    v->maybe = (struct types_point){-1, 1};
}
