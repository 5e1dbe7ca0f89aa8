/* Host round trips of generated IDL code (tests/idl/types.idl) through the loopback shim
 * (tests/idl/shim.h): every type at its limits, inline and out-of-line bodies, encoder
 * refusals, decoder refusals of malformed messages (with every asset they brought
 * released), handle kinds, unknown and removed methods, one-way methods, evolution,
 * events, deferred replies and allocation failure. */
#include <stdlib.h>
#include <string.h>
#include "kitchen.h"
#include "test.h"

TEST(idl_every_type_round_trips_at_its_limits)
{
    kitchen_start();
    struct kitchen_echo_request *request = calloc(1, sizeof *request);
    struct kitchen_echo_response *response = calloc(1, sizeof *response);
    kitchen_fill_everything(&request->value);
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, response, 0), WG_ERR_OK);
    CHECK(memcmp(&request->value, &response->value, sizeof response->value) == 0);
    CHECK(shim_last_message()->entries[0].value & IDL_HEADER_OUT_OF_LINE);
    CHECK(kitchen_clean());
    free(request);
    free(response);
}

TEST(idl_small_bodies_stay_inline)
{
    kitchen_start();
    struct kitchen_grow_request grow = {.base = 1, .more = 2, .most = "12345678"};
    struct kitchen_grow_response grown;
    CHECK_EQ(kitchen_grow_call(SHIM_CONNECTION, &grow, &grown, 0), WG_ERR_OK);
    CHECK(grown.base == 2 && grown.more == 3);
    CHECK(!(shim_last_message()->entries[0].value & IDL_HEADER_OUT_OF_LINE));
    CHECK(kitchen_clean());
}

TEST(idl_handles_of_the_right_kind_arrive)
{
    struct server_state *s = kitchen_start();
    wg_handle memory = shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 8192);
    wg_handle task = shim_asset_new(WG_ASSET_TASK, NULL, 0);
    struct kitchen_share_request request = {memory, task};
    struct kitchen_share_response response;
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    CHECK(response.size == 8192 && s->kept == memory && !shim_asset_alive(task));
    idl_rt_release(s->kept);
    request = (struct kitchen_share_request){shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1), 0};
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    idl_rt_release(s->kept);
    CHECK(kitchen_clean());
}

TEST(idl_a_handle_of_the_wrong_kind_is_refused_and_released)
{
    struct server_state *s = kitchen_start();
    wg_handle task = shim_asset_new(WG_ASSET_TASK, NULL, 0);
    wg_handle space = shim_asset_new(WG_ASSET_SPACE, NULL, 0);
    struct kitchen_share_request request = {task, space};
    struct kitchen_share_response response;
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_WRONG_KIND);
    CHECK(s->kept == 0);
    request = (struct kitchen_share_request){shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1),
                                             shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1)};
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_WRONG_KIND);
    CHECK(kitchen_clean());
}

TEST(idl_one_way_methods_reach_the_handler)
{
    struct server_state *s = kitchen_start();
    struct kitchen_poke_request poke = {3};
    CHECK_EQ(kitchen_poke_send(SHIM_CONNECTION, &poke), WG_ERR_OK);
    CHECK_EQ(kitchen_poke_send(SHIM_CONNECTION, &poke), WG_ERR_OK);
    CHECK(s->pokes == 6);
    CHECK(kitchen_clean());
}

/* A version-1 client's grow: only `base`, as the old encoder wrote it. */
TEST(idl_an_older_client_talks_to_a_newer_server)
{
    struct server_state *s = kitchen_start();
    struct wg_message message, reply;
    struct idl_writer w;
    CHECK_EQ(idl_write_begin(&w, &message, KITCHEN_GROW_ORDINAL, WG_ERR_OK, 0, 4), WG_ERR_OK);
    idl_put_u32(&w, 41);
    CHECK_EQ(idl_write_end(&w), WG_ERR_OK);
    CHECK_EQ(idl_rt_call(SHIM_CONNECTION, &message, &reply, 0), WG_ERR_OK);
    CHECK(s->grown.base == 41 && s->grown.more == 0 && s->grown.most[0] == '\0');
    /* the old client reads the newer response's first field and ignores the rest */
    struct idl_reader r;
    uint32_t base = 0;
    CHECK_EQ(idl_read_begin(&r, &reply, KITCHEN_GROW_ORDINAL, 0, true), WG_ERR_OK);
    CHECK(idl_get_u32(&r, &base) && base == 42 && !idl_at_end(&r));
    CHECK_EQ(idl_read_end(&r, WG_ERR_OK), WG_ERR_OK);
    /* a body cut inside the fields of one version is malformed */
    CHECK_EQ(idl_write_begin(&w, &message, KITCHEN_GROW_ORDINAL, WG_ERR_OK, 0, 6), WG_ERR_OK);
    idl_put_u32(&w, 1);
    idl_put_u16(&w, 2);
    CHECK_EQ(idl_write_end(&w), WG_ERR_OK);
    CHECK_EQ(idl_rt_call(SHIM_CONNECTION, &message, &reply, 0), WG_ERR_OK);
    CHECK_EQ(reply.entries[0].value >> IDL_HEADER_ERROR_SHIFT & 0xff, WG_ERR_BAD_FORMAT);
    CHECK(kitchen_clean());
}

TEST(idl_events_arrive_inline_and_out_of_line)
{
    struct server_state *s = kitchen_start();
    struct kitchen_event *event = calloc(1, sizeof *event);
    s->event = 1;
    CHECK_EQ(kitchen_event_wait(SHIM_CONNECTION, event, 0), WG_ERR_OK);
    CHECK(event->ordinal == KITCHEN_CHANGED_ORDINAL && event->u.changed.count == 7 &&
          event->u.changed.color == TYPES_COLOR_GREEN);
    s->event = 2;
    CHECK_EQ(kitchen_event_wait(SHIM_CONNECTION, event, 0), WG_ERR_OK);
    CHECK(event->ordinal == KITCHEN_BIG_ORDINAL && event->u.big.data.length == 2000 &&
          event->u.big.data.data[1999] == 0xab);
    s->event = 0; /* kept: the wait times out, as IPC_CALL would */
    CHECK_EQ(kitchen_event_wait(SHIM_CONNECTION, event, 0), WG_ERR_TIMED_OUT);
    CHECK(s->token != 0);
    CHECK(kitchen_clean());
    free(event);
}

TEST(idl_a_deferred_reply_comes_later)
{
    struct server_state *s = kitchen_start();
    struct kitchen_echo_request *request = calloc(1, sizeof *request);
    struct kitchen_echo_response *response = calloc(1, sizeof *response);
    kitchen_fill_everything(&request->value);
    s->defer = true;
    uint64_t id;
    CHECK_EQ(kitchen_echo_send(SHIM_CONNECTION, request, &id), WG_ERR_OK);
    CHECK_EQ(kitchen_echo_receive(SHIM_CONNECTION, id, response, 0), WG_ERR_TIMED_OUT);
    memcpy(&response->value, &request->value, sizeof response->value);
    CHECK_EQ(kitchen_echo_reply(SHIM_SERVER, s->token, WG_ERR_OK, response), WG_ERR_OK);
    memset(response, 0, sizeof *response);
    CHECK_EQ(kitchen_echo_receive(SHIM_CONNECTION, id, response, 0), WG_ERR_OK);
    CHECK(memcmp(&request->value, &response->value, sizeof response->value) == 0);
    CHECK(kitchen_clean());
    free(request);
    free(response);
}

TEST(idl_answered_errors_reach_the_client_if_the_method_has_them)
{
    struct server_state *s = kitchen_start();
    struct kitchen_echo_request *request = calloc(1, sizeof *request);
    struct kitchen_echo_response *response = calloc(1, sizeof *response);
    request->value.shape.color = TYPES_COLOR_RED;
    s->answer = WG_ERR_OUT_OF_RANGE;
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, response, 0), WG_ERR_OUT_OF_RANGE);
    s->answer = WG_ERR_NOT_FOUND; /* not in echo's list */
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, response, 0), WG_ERR_BAD_FORMAT);
    shim_fail_allocations_after(0);
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, response, 0), WG_ERR_NO_MEMORY);
    shim_fail_allocations_after(-1);
    shim_serve(NULL, NULL);
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, response, 0), WG_ERR_PEER_CLOSED);
    CHECK(kitchen_clean());
    free(request);
    free(response);
}

TEST(idl_ordinals_hash_library_protocol_and_method)
{
    const char *text = "types/Kitchen.echo";
    uint32_t hash = 2166136261u;
    for (const char *c = text; *c; c++)
        hash = (hash ^ (uint8_t)*c) * 16777619u;
    CHECK_EQ(hash, KITCHEN_ECHO_ORDINAL);
    CHECK(KITCHEN_ECHO_ORDINAL != KITCHEN_SHARE_ORDINAL);
}
