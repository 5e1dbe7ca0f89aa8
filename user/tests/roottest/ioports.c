/* roottest's I/O-port tests: ports are open to a space only while it holds an I/O-port asset
 * it enabled itself. Each case gives a copy of the asset to a helper space (helper.h), does
 * the case there from outside (IOPORT_ENABLE, ASSET_RELEASE, ASSET_MOVE, ASSET_COPY name the
 * helper's space), then runs portpoke in it: "open" when it lives (exit 0), "closed" when
 * the kernel ends it with WG_EXIT_FAULT(13), a general protection fault. The port is COM1's
 * scratch register, which nothing reads. */
#include "roottest.h"

#define SCRATCH_PORT 0x3ff
#define OPEN         0
#define CLOSED       WG_EXIT_FAULT(13)

/* A helper space holding a copy of `ports`; its handle there in *inside (0 on failure). */
static bool helper_with(struct helper *helper, wg_handle ports, wg_handle *inside)
{
    *inside = 0;
    if (!helper_create(helper))
        return false;
    *inside = helper_give(helper, ports);
    if (*inside == 0)
        helper_end(helper);
    return *inside != 0;
}

/* Runs "portpoke MODE [HANDLE]" in the helper, expects `expected`, and ends the helper. */
static void poke_expect(struct helper *helper, const char *mode, wg_handle handle, int64_t expected,
                        const char *what)
{
    char hex[HELPER_HEX_SIZE];
    const char *args[] = {"portpoke", mode, handle ? helper_hex(hex, handle) : NULL};
    int64_t status = INT64_MIN;
    if (helper_exec(helper, "portpoke", handle ? 3 : 2, args, 0))
        status = helper_wait(helper, 10 * SECOND_NS);
    CHECK(status == expected, "%s: portpoke ended with %lld, expected %lld (%s)", what,
          (long long)status, (long long)expected, expected == OPEN ? "open" : "closed");
    helper_end(helper);
}

/* Ports [first, first + count) as an asset of ours (0 and a failure if init could not). */
static wg_handle scratch_ports(uint32_t first, uint32_t count)
{
    return VALUE(roottest_ioport_create(first, count));
}

/* Runs `body` with an asset of the scratch port, which it may give away but not release. */
static void with_port(void (*body)(wg_handle ports))
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    if (!ports)
        return;
    body(ports);
    CHECK_OK(wg_asset_release(WG_SELF, ports));
}

/* A test `name` whose body gets `ports` from with_port. */
#define PORT_TEST(name)                       \
    static void name##_body(wg_handle ports); \
    static void name(void)                    \
    {                                         \
        with_port(name##_body);               \
    }                                         \
    static void name##_body(wg_handle ports)

#define FIRST  1u
#define SECOND 2u

/* One helper space given copies of `assets[0]` and, if not 0, `assets[1]`: enables the
 * ones in `enable`, then releases the ones in `release` (FIRST, SECOND bits), then pokes
 * and expects `expected`. */
static void one_space(const wg_handle assets[2], unsigned enable, unsigned release,
                      int64_t expected, const char *what)
{
    struct helper helper;
    wg_handle inside[2] = {0, 0};
    if (!helper_with(&helper, assets[0], &inside[0]))
        return;
    if (assets[1] && (inside[1] = helper_give(&helper, assets[1])) == 0) {
        helper_end(&helper);
        return;
    }
    for (unsigned i = 0; i < 2; i++)
        if (enable & (1u << i))
            CHECK_OK(wg_ioport_enable(helper.space, inside[i]));
    for (unsigned i = 0; i < 2; i++)
        if (release & (1u << i))
            CHECK_OK(wg_asset_release(helper.space, inside[i]));
    poke_expect(&helper, "out", 0, expected, what);
}

PORT_TEST(test_enabled_is_open)
{
    one_space((wg_handle[2]){ports, 0}, FIRST, 0, OPEN, "enabled");
}

PORT_TEST(test_never_enabled_is_closed)
{
    one_space((wg_handle[2]){ports, 0}, 0, 0, CLOSED, "held, not enabled");
}

PORT_TEST(test_release_closes)
{
    one_space((wg_handle[2]){ports, 0}, FIRST, FIRST, CLOSED, "enabled, then released");
}

/* The task that enables sees its port at once, and at once no more once it releases it. */
PORT_TEST(test_own_enable_and_release_at_once)
{
    struct helper helper;
    wg_handle inside;
    if (helper_with(&helper, ports, &inside))
        poke_expect(&helper, "enable", inside, OPEN, "enabled by itself");
    if (helper_with(&helper, ports, &inside))
        poke_expect(&helper, "cycle", inside, CLOSED, "enabled and released by itself");
}

/* Enables the port in one helper space, moves or copies the handle to a second one,
 * enables it there too if `enable_there`, then pokes in both: `here` and `there` are the
 * statuses expected. */
static void enable_then_give(wg_handle ports, bool move, bool enable_there, int64_t here,
                             int64_t there)
{
    struct helper from, to;
    wg_handle inside;
    if (!helper_with(&from, ports, &inside))
        return;
    if (!helper_create(&to)) {
        helper_end(&from);
        return;
    }
    CHECK_OK(wg_ioport_enable(from.space, inside));
    wg_handle given = VALUE(move ? wg_asset_move(from.space, inside, to.space)
                                 : wg_asset_copy(from.space, inside, to.space));
    if (enable_there && given)
        CHECK_OK(wg_ioport_enable(to.space, given));
    const char *how = move ? "moved" : "copied";
    poke_expect(&from, "out", 0, here, move ? "enabled, then moved out" : "enabled, then copied");
    poke_expect(&to, "out", 0, there, enable_there ? "given, then enabled there" : how);
}

/* Moved out of an enabling space: closed there, and not open in the space it went to. */
PORT_TEST(test_move_closes_here_and_opens_nothing_there)
{
    enable_then_give(ports, true, false, CLOSED, CLOSED);
}

PORT_TEST(test_moved_opens_once_enabled_there)
{
    enable_then_give(ports, true, true, CLOSED, OPEN);
}

PORT_TEST(test_copy_opens_nothing_there)
{
    enable_then_give(ports, false, false, OPEN, CLOSED);
}

/* A copy without USE cannot be enabled. */
PORT_TEST(test_copy_without_use_cannot_enable)
{
    struct helper helper;
    if (helper_create(&helper)) {
        wg_handle inside = VALUE(
            wg_asset_copy_rights(WG_SELF, ports, helper.space, WG_RIGHTS_ALL & ~WG_RIGHT_USE));
        if (inside)
            CHECK_ERR(WG_ERR_ACCESS_DENIED, wg_ioport_enable(helper.space, inside));
        poke_expect(&helper, "out", 0, CLOSED, "copied without USE");
    }
}

/* Two assets over the port (one of 1 port, one of COM1's 8), both enabled in one space. */
PORT_TEST(test_two_assets_open_until_both_released)
{
    wg_handle assets[2] = {ports, scratch_ports(SCRATCH_PORT - 7, 8)};
    if (!assets[1])
        return;
    one_space(assets, FIRST | SECOND, FIRST, OPEN, "two enabled assets, the first released");
    one_space(assets, FIRST | SECOND, SECOND, OPEN, "two enabled assets, the second released");
    one_space(assets, FIRST | SECOND, FIRST | SECOND, CLOSED, "two enabled assets, both released");
    CHECK_OK(wg_asset_release(WG_SELF, assets[1]));
}

/* Two handles of one asset in a space, enabled through the first (or both): the space holds
 * the asset, and its ports, until it has released both. */
PORT_TEST(test_two_handles_open_until_both_released)
{
    wg_handle twice[2] = {ports, ports};
    one_space(twice, FIRST, FIRST, OPEN, "enabled through one handle, it released");
    one_space(twice, FIRST, FIRST | SECOND, CLOSED, "enabled through one, both released");
    one_space(twice, FIRST | SECOND, FIRST, OPEN, "enabled through both, one released");
    one_space(twice, FIRST | SECOND, FIRST | SECOND, CLOSED, "enabled through both, released");
}

const struct test roottest_ioport_tests[] = {
    {"root_ioport_enabled_is_open", test_enabled_is_open, false},
    {"root_ioport_never_enabled_is_closed", test_never_enabled_is_closed, false},
    {"root_ioport_release_closes", test_release_closes, false},
    {"root_ioport_own_enable_and_release_at_once", test_own_enable_and_release_at_once, false},
    {"root_ioport_move_closes_here_opens_nothing_there",
     test_move_closes_here_and_opens_nothing_there, false},
    {"root_ioport_moved_opens_once_enabled_there", test_moved_opens_once_enabled_there, false},
    {"root_ioport_copy_opens_nothing_there", test_copy_opens_nothing_there, false},
    {"root_ioport_copy_without_use_cannot_enable", test_copy_without_use_cannot_enable, false},
    {"root_ioport_two_assets_open_until_both_released", test_two_assets_open_until_both_released,
     false},
    {"root_ioport_two_handles_open_until_both_released", test_two_handles_open_until_both_released,
     false},
    {NULL, NULL, false},
};
