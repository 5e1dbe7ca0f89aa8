/* Generated IDL code refusing what it must: values out of bounds at the encoder (nothing
 * sent), malformed messages at the decoder (answered BAD_FORMAT, every asset they brought
 * released), unknown, removed and unhandled methods (NOT_SUPPORTED). */
#include <stdlib.h>
#include <string.h>
#include "kitchen.h"
#include "test.h"

/* Sends `message` raw; the error the server answered (or the call's). */
static enum wg_error raw_call(const struct wg_message *message)
{
    struct wg_message reply;
    enum wg_error err = idl_rt_call(SHIM_CONNECTION, message, &reply, 0);
    if (err == WG_ERR_OK)
        idl_release_assets(&reply);
    return err != WG_ERR_OK ? err : (enum wg_error)(reply.entries[0].value >> 32 & 0xff);
}

TEST(idl_the_encoder_refuses_values_out_of_bounds)
{
    kitchen_start();
    struct kitchen_echo_request *request = calloc(1, sizeof *request);
    struct kitchen_echo_response response;
    struct types_everything *v = &request->value;
    v->shape.color = TYPES_COLOR_RED;
    memset(v->shape.name, 'x', sizeof v->shape.name); /* no NUL within 13 bytes */
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, &response, 0), WG_ERR_INVALID_ARGUMENT);
    v->shape.name[0] = '\0';
    v->blob.length = 301;
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, &response, 0), WG_ERR_INVALID_ARGUMENT);
    v->blob.length = 0;
    v->matrix.count = 1;
    v->matrix.items[0].count = 4;
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, &response, 0), WG_ERR_INVALID_ARGUMENT);
    v->matrix.count = 0;
    v->shape.color = 3;
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, &response, 0), WG_ERR_INVALID_ARGUMENT);
    v->shape.color = TYPES_COLOR_RED;
    v->perm = 4;
    CHECK_EQ(kitchen_echo_call(SHIM_CONNECTION, request, &response, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK(shim_last_message()->entries[0].value == 0); /* none of them was sent */
    CHECK(kitchen_clean());
    free(request);
}

/* A valid inline grow request to break: base 0x11223344, more 0x55, most "ab". */
static void grow_message(struct wg_message *message)
{
    struct kitchen_grow_request grow = {0x11223344, 0x55, "ab"};
    kitchen_grow_encode_request(&grow, message);
}

TEST(idl_the_decoder_refuses_malformed_frames)
{
    kitchen_start();
    struct wg_message m;
    grow_message(&m);
    CHECK_EQ(raw_call(&m), WG_ERR_OK);
    m.entries[0].value |= 1ull << 44; /* a reserved header bit */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    grow_message(&m);
    m.entries[0].value |= (uint64_t)WG_ERR_BUSY << 32; /* an error in a request */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    grow_message(&m);
    m.entries[0].value += 1ull << IDL_HEADER_LENGTH_SHIFT;  /* one byte longer than written */
    CHECK_EQ(raw_call(&m), WG_ERR_OK);                      /* a newer client's extra byte */
    m.entries[0].value |= 60ull << IDL_HEADER_LENGTH_SHIFT; /* longer than the entries */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    grow_message(&m);
    m.entries[2].value |= 1ull << 56; /* a byte after the body */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    grow_message(&m);
    m.entries[1].flags = WG_ENTRY_MOVE; /* flags on a body entry */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    grow_message(&m);
    m.entries[5].value = 1; /* an unused entry that is not empty */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    CHECK(kitchen_clean());
}

TEST(idl_the_decoder_refuses_bad_values)
{
    kitchen_start();
    struct wg_message m;
    grow_message(&m);
    /* most: length 2 at byte 8 of the body -> make it 9, more than string:8 */
    m.entries[2].value = (m.entries[2].value & ~0xffull) | 9;
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    grow_message(&m);
    m.entries[2].value &= ~(0xffull << 8); /* a NUL inside the string */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    /* echo's body (51 bytes at least) travels out of line; break it in the memory asset:
     * a u8 b u16 c u32 d u64 e i8 f i16 g i32 h i64 take bytes 0..29, the bool is byte 30,
     * wide (i64) 31..38, perm (u16) 39..40 */
    struct kitchen_echo_request *request = calloc(1, sizeof *request);
    request->value.shape.color = TYPES_COLOR_RED;
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    shim_asset_bytes(m.entries[1].value)[30] = 2;
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    shim_asset_bytes(m.entries[1].value)[39] = 4; /* an unknown flag bit */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    CHECK_EQ(raw_call(&m), WG_ERR_OK); /* unbroken, it passes */
    free(request);
    CHECK(kitchen_clean());
}

TEST(idl_refused_messages_release_their_assets)
{
    kitchen_start();
    struct wg_message m;
    grow_message(&m);
    m.entries[5] = (struct wg_message_entry){shim_asset_new(WG_ASSET_TASK, NULL, 0),
                                             WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    m.entries[0].value = 0x12345678; /* an unknown method, with an asset */
    m.entries[5].value = shim_asset_new(WG_ASSET_TASK, NULL, 0);
    CHECK_EQ(raw_call(&m), WG_ERR_NOT_SUPPORTED);
    struct kitchen_share_request share = {shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1), 0};
    CHECK_EQ(kitchen_share_encode_request(&share, &m), WG_ERR_OK);
    m.entries[3] =
        (struct wg_message_entry){shim_asset_new(WG_ASSET_TASK, NULL, 0), WG_ENTRY_ASSET, 0};
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    CHECK(kitchen_clean());
}

TEST(idl_out_of_line_bodies_are_checked)
{
    kitchen_start();
    struct kitchen_echo_request *request = calloc(1, sizeof *request);
    kitchen_fill_everything(&request->value);
    struct wg_message m;
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    wg_handle body = m.entries[1].value;
    uint64_t length = m.entries[2].value;
    struct wg_message bad = m;
    bad.entries[2].value = length + 5000; /* longer than its memory asset */
    CHECK_EQ(raw_call(&bad), WG_ERR_BAD_FORMAT);
    CHECK(!shim_asset_alive(body));
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    bad = m;
    bad.entries[2].value = length - 1; /* cut short */
    CHECK_EQ(raw_call(&bad), WG_ERR_BAD_FORMAT);
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    idl_rt_release(m.entries[1].value);
    m.entries[1].value = shim_asset_new(WG_ASSET_TASK, NULL, 0); /* not memory */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    shim_asset_bytes(m.entries[1].value)[30] = 7; /* the bool, in the memory asset */
    CHECK_EQ(raw_call(&m), WG_ERR_BAD_FORMAT);
    CHECK_EQ(kitchen_echo_encode_request(request, &m), WG_ERR_OK);
    idl_unsent(&m, 0); /* built, never sent */
    CHECK(kitchen_clean());
    free(request);
}

TEST(idl_unknown_removed_and_unhandled_methods_are_not_supported)
{
    kitchen_start();
    struct wg_message m = {0};
    m.entries[0].value = KITCHEN_OLDER_ORDINAL;
    CHECK_EQ(raw_call(&m), WG_ERR_NOT_SUPPORTED);
    m.entries[0].value = KITCHEN_NEWER_ORDINAL; /* the test server has no handler for it */
    CHECK_EQ(raw_call(&m), WG_ERR_NOT_SUPPORTED);
    m.entries[0].value = 0;
    CHECK_EQ(raw_call(&m), WG_ERR_NOT_SUPPORTED);
    CHECK(kitchen_clean());
}
