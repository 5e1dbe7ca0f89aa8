/* Host round trips of the block protocol's generated code (idl/block.idl) over the IDL shim
 * (tests/idl/shim.c): every method at its limits, the buffer's kind and rights checked by
 * the decoder, the encoders' and decoders' refusals; no asset leaks or is released twice. */
#include <string.h>
#include <block_idl.h>
#include "shim.h"
#include "test.h"

struct block_server_state {
    struct block_info info;
    wg_handle buffer;
    uint32_t buffer_rights;
    struct block_submit_request submitted;
    enum wg_error submit_answer;
};

static enum wg_error on_info(void *context, struct idl_call *call,
                             const struct block_info_request *request,
                             struct block_info_response *response)
{
    (void)call, (void)request;
    response->info = ((struct block_server_state *)context)->info;
    return WG_ERR_OK;
}

static enum wg_error on_attach(void *context, struct idl_call *call,
                               const struct block_attach_request *request,
                               struct block_attach_response *response)
{
    (void)call;
    struct block_server_state *s = context;
    s->buffer = request->buffer;
    s->buffer_rights = shim_asset_rights(request->buffer);
    response->size = 16ull << 20;
    return WG_ERR_OK;
}

static enum wg_error on_submit(void *context, struct idl_call *call,
                               const struct block_submit_request *request,
                               struct block_submit_response *response)
{
    (void)call;
    struct block_server_state *s = context;
    s->submitted = *request;
    *response = (struct block_submit_response){.done = UINT32_MAX, .status = WG_ERR_IO_ERROR};
    return s->submit_answer;
}

static const struct block_handlers handlers = {on_info, on_attach, on_submit};

static void serve(void *context, const struct wg_message *message, uint64_t token)
{
    block_dispatch(&handlers, context, SHIM_SERVER, message, token);
}

static struct block_server_state *start(void)
{
    static struct block_server_state state;
    shim_reset();
    memset(&state, 0, sizeof state);
    shim_serve(serve, &state);
    return &state;
}

static bool clean(void)
{
    return shim_assets_alive() == 0 && shim_bad_releases() == 0;
}

TEST(block_idl_info_round_trips_at_its_limits)
{
    struct block_server_state *s = start();
    s->info =
        (struct block_info){UINT64_MAX, UINT32_MAX, BLOCK_INFO_FLAGS_ALL, UINT32_MAX, "12345678"};
    struct block_info_request request = {0};
    struct block_info_response response;
    CHECK_EQ(block_info_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    CHECK(memcmp(&response.info, &s->info, sizeof s->info) == 0);
    s->info.driver[0] = '\0'; /* an empty name travels too */
    CHECK_EQ(block_info_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    CHECK_EQ(response.info.driver[0], '\0');
    CHECK(clean());
}

TEST(block_idl_info_encoder_refuses_what_the_idl_forbids)
{
    start();
    struct wg_message m;
    struct block_info_response response = {{1, 512, 0, 32768, "123456789"}}; /* 9 > 8 */
    CHECK_EQ(block_info_encode_response(WG_ERR_OK, &response, &m), WG_ERR_INVALID_ARGUMENT);
    response = (struct block_info_response){{1, 512, BLOCK_INFO_FLAGS_ALL + 1, 32768, "x"}};
    CHECK_EQ(block_info_encode_response(WG_ERR_OK, &response, &m), WG_ERR_INVALID_ARGUMENT);
    CHECK(clean());
}

TEST(block_idl_attach_moves_the_buffer_with_exactly_read_write_map)
{
    struct block_server_state *s = start();
    struct block_attach_request request = {shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 4096)};
    struct block_attach_response response;
    CHECK_EQ(block_attach_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    CHECK_EQ(response.size, 16ull << 20);
    CHECK_EQ(s->buffer_rights, WG_RIGHT_READ | WG_RIGHT_WRITE | WG_RIGHT_MAP);
    CHECK(shim_asset_alive(s->buffer));
    idl_rt_release(s->buffer);
    CHECK(clean());
}

TEST(block_idl_attach_refuses_a_wrong_kind_or_missing_right)
{
    struct block_server_state *s = start();
    struct block_attach_request request = {shim_asset_new(WG_ASSET_TASK, NULL, 0)};
    struct block_attach_response response;
    CHECK_EQ(block_attach_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_WRONG_KIND);
    CHECK(s->buffer == 0 && !shim_asset_alive(request.buffer));
    request.buffer = shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 4096);
    shim_asset_restrict(request.buffer, WG_RIGHT_READ | WG_RIGHT_MAP); /* the driver writes */
    CHECK_EQ(block_attach_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_ACCESS_DENIED);
    CHECK(s->buffer == 0 && !shim_asset_alive(request.buffer));
    struct wg_message m; /* a missing buffer */
    CHECK_EQ(block_attach_encode_request(&(struct block_attach_request){0}, &m), WG_ERR_OK);
    CHECK_EQ(block_attach_decode_request(&m, &request), WG_ERR_BAD_FORMAT);
    CHECK(clean());
}

TEST(block_idl_submit_round_trips_and_answers_only_its_errors)
{
    struct block_server_state *s = start();
    struct block_submit_request request = {UINT64_MAX, UINT32_MAX};
    struct block_submit_response response;
    CHECK_EQ(block_submit_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    CHECK(s->submitted.records == UINT64_MAX && s->submitted.count == UINT32_MAX);
    CHECK(response.done == UINT32_MAX && response.status == WG_ERR_IO_ERROR);
    s->submit_answer = WG_ERR_MISALIGNED; /* listed: the client sees it */
    CHECK_EQ(block_submit_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_MISALIGNED);
    s->submit_answer = WG_ERR_IO_ERROR; /* not listed: the answer is malformed */
    CHECK_EQ(block_submit_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_BAD_FORMAT);
    CHECK(clean());
}

TEST(block_idl_a_submit_cut_short_is_refused)
{
    struct block_server_state *s = start();
    struct block_submit_request request = {0, 1};
    struct wg_message m;
    REQUIRE(block_submit_encode_request(&request, &m) == WG_ERR_OK);
    for (uint64_t length = 0; length < 12; length++) {
        struct wg_message cut = m;
        cut.entries[0].value = (m.entries[0].value & ~(0xffull << 48)) | length << 48;
        cut.entries[2].value = 0;
        CHECK_EQ(block_submit_decode_request(&cut, &request), WG_ERR_BAD_FORMAT);
    }
    CHECK(s->submitted.count == 0);
    CHECK(clean());
}
