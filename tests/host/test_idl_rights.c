/* Host tests of handle rights in generated IDL code (tests/idl/types.idl, Kitchen.share):
 * a handle is sent with exactly the rights its type names (or all it has with `keep`), and
 * a handle that arrives without a right its type needs is refused with ACCESS_DENIED, every
 * asset of the message released. */
#include "kitchen.h"
#include "test.h"

TEST(idl_a_handle_arrives_with_exactly_its_declared_rights)
{
    struct server_state *s = kitchen_start();
    wg_handle memory = shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 4096);
    wg_handle task = shim_asset_new(WG_ASSET_TASK, NULL, 0);
    struct kitchen_share_request request = {memory, task};
    struct kitchen_share_response response;
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_OK);
    CHECK_EQ(s->kept_rights, WG_RIGHT_READ | WG_RIGHT_MAP); /* least privilege */
    CHECK_EQ(s->extra_rights, WG_RIGHTS_ALL);               /* `keep` */
    const struct wg_message *sent = shim_last_message();
    CHECK_EQ(sent->entries[1].rights, WG_RIGHT_READ | WG_RIGHT_MAP);
    CHECK_EQ(sent->entries[2].rights, WG_RIGHTS_ALL);
    idl_rt_release(s->kept);
    CHECK(kitchen_clean());
}

TEST(idl_the_encoder_restricts_only_declared_handles)
{
    kitchen_start();
    struct kitchen_share_request request = {shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1),
                                            shim_asset_new(WG_ASSET_TASK, NULL, 0)};
    struct wg_message m;
    CHECK_EQ(kitchen_share_encode_request(&request, &m), WG_ERR_OK);
    CHECK_EQ(m.entries[1].flags, WG_ENTRY_ASSET | WG_ENTRY_MOVE | WG_ENTRY_RESTRICT);
    CHECK_EQ(m.entries[1].rights, WG_RIGHT_READ | WG_RIGHT_MAP);
    CHECK_EQ(m.entries[2].flags, WG_ENTRY_ASSET | WG_ENTRY_MOVE);
    CHECK_EQ(m.entries[2].rights, 0u);
    idl_rt_release(request.memory);
    idl_rt_release(request.extra);
    CHECK(kitchen_clean());
}

TEST(idl_a_handle_with_too_few_rights_is_refused_and_released)
{
    struct server_state *s = kitchen_start();
    wg_handle memory = shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 4096);
    wg_handle task = shim_asset_new(WG_ASSET_TASK, NULL, 0);
    shim_asset_restrict(memory, WG_RIGHT_READ | WG_RIGHT_WRITE); /* no MAP */
    struct kitchen_share_request request = {memory, task};
    struct kitchen_share_response response;
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_ACCESS_DENIED);
    CHECK(s->kept == 0 && !shim_asset_alive(memory) && !shim_asset_alive(task));
    /* The optional handle needs READ too, even when it keeps its other rights. */
    memory = shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 4096);
    task = shim_asset_new(WG_ASSET_TASK, NULL, 0);
    shim_asset_restrict(task, WG_RIGHT_WRITE | WG_RIGHT_DESTROY);
    request = (struct kitchen_share_request){memory, task};
    CHECK_EQ(kitchen_share_call(SHIM_CONNECTION, &request, &response, 0), WG_ERR_ACCESS_DENIED);
    CHECK(s->kept == 0 && !shim_asset_alive(memory) && !shim_asset_alive(task));
    CHECK(kitchen_clean());
}

TEST(idl_the_decoder_reads_rights_from_the_received_entry)
{
    kitchen_start();
    struct kitchen_share_request request = {shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1), 0};
    struct wg_message m;
    CHECK_EQ(kitchen_share_encode_request(&request, &m), WG_ERR_OK);
    m.entries[1].flags = WG_ENTRY_ASSET;
    m.entries[1].rights = WG_RIGHT_MAP; /* as the kernel would stamp a handle without READ */
    struct kitchen_share_request decoded;
    CHECK_EQ(kitchen_share_decode_request(&m, &decoded), WG_ERR_ACCESS_DENIED);
    CHECK(!shim_asset_alive(request.memory));
    CHECK_EQ(
        kitchen_share_encode_request(
            &(struct kitchen_share_request){shim_asset_new(WG_ASSET_PHYS_MEMORY, NULL, 1), 0}, &m),
        WG_ERR_OK);
    m.entries[1].flags = WG_ENTRY_ASSET;
    m.entries[1].rights = WG_RIGHTS_ALL; /* more than needed is fine */
    CHECK_EQ(kitchen_share_decode_request(&m, &decoded), WG_ERR_OK);
    idl_rt_release(decoded.memory);
    CHECK(kitchen_clean());
}
