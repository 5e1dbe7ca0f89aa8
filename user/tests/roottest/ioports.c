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

/* The port, as an asset of ours (0 and a failure if init could not make it). */
static wg_handle scratch_ports(uint32_t first, uint32_t count)
{
    return VALUE(roottest_ioport_create(first, count));
}

static void test_enabled_is_open(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper helper;
    wg_handle inside;
    if (ports && helper_with(&helper, ports, &inside)) {
        CHECK_OK(wg_ioport_enable(helper.space, inside));
        poke_expect(&helper, "out", 0, OPEN, "enabled");
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

static void test_never_enabled_is_closed(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper helper;
    wg_handle inside;
    if (ports && helper_with(&helper, ports, &inside))
        poke_expect(&helper, "out", 0, CLOSED, "held, not enabled");
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

static void test_release_closes(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper helper;
    wg_handle inside;
    if (ports && helper_with(&helper, ports, &inside)) {
        CHECK_OK(wg_ioport_enable(helper.space, inside));
        CHECK_OK(wg_asset_release(helper.space, inside));
        poke_expect(&helper, "out", 0, CLOSED, "enabled, then released");
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

/* The task that enables sees its port at once, and at once no more once it releases it. */
static void test_own_enable_and_release_at_once(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper helper;
    wg_handle inside;
    if (ports && helper_with(&helper, ports, &inside))
        poke_expect(&helper, "enable", inside, OPEN, "enabled by itself");
    if (ports && helper_with(&helper, ports, &inside))
        poke_expect(&helper, "cycle", inside, CLOSED, "enabled and released by itself");
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

/* Moved out of an enabling space: closed there, and not open in the space it went to. */
static void test_move_closes_here_and_opens_nothing_there(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper from, to;
    wg_handle inside;
    if (ports && helper_with(&from, ports, &inside) && CHECK(helper_create(&to), "no space")) {
        CHECK_OK(wg_ioport_enable(from.space, inside));
        CHECK_OK(wg_asset_move(from.space, inside, to.space));
        poke_expect(&from, "out", 0, CLOSED, "enabled, then moved out");
        poke_expect(&to, "out", 0, CLOSED, "moved in from an enabling space");
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

static void test_moved_opens_once_enabled_there(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper from, to;
    wg_handle inside;
    if (ports && helper_with(&from, ports, &inside) && CHECK(helper_create(&to), "no space")) {
        CHECK_OK(wg_ioport_enable(from.space, inside));
        wg_handle moved = VALUE(wg_asset_move(from.space, inside, to.space));
        if (moved)
            CHECK_OK(wg_ioport_enable(to.space, moved));
        poke_expect(&to, "out", 0, OPEN, "moved, then enabled there");
        poke_expect(&from, "out", 0, CLOSED, "enabled, then moved out");
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

static void test_copy_opens_nothing_there(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper from, to;
    wg_handle inside;
    if (ports && helper_with(&from, ports, &inside) && CHECK(helper_create(&to), "no space")) {
        CHECK_OK(wg_ioport_enable(from.space, inside));
        CHECK_OK(wg_asset_copy(from.space, inside, to.space));
        poke_expect(&to, "out", 0, CLOSED, "copied from an enabling space");
        poke_expect(&from, "out", 0, OPEN, "enabled, a copy given away");
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

/* A copy without USE cannot be enabled. */
static void test_copy_without_use_cannot_enable(void)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper helper;
    if (ports && helper_create(&helper)) {
        wg_handle inside = VALUE(
            wg_asset_copy_rights(WG_SELF, ports, helper.space, WG_RIGHTS_ALL & ~WG_RIGHT_USE));
        if (inside)
            CHECK_ERR(WG_ERR_ACCESS_DENIED, wg_ioport_enable(helper.space, inside));
        poke_expect(&helper, "out", 0, CLOSED, "copied without USE");
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

/* Two assets over the port (one of 1 port, one of COM1's 8), both enabled in one space:
 * `release` says which to release (1: the first, 2: the second, 3: both). */
static void two_assets(unsigned release, int64_t expected, const char *what)
{
    wg_handle one = scratch_ports(SCRATCH_PORT, 1), eight = scratch_ports(SCRATCH_PORT - 7, 8);
    struct helper helper;
    wg_handle in_one, in_eight = 0;
    if (one && eight && helper_with(&helper, one, &in_one) &&
        (in_eight = helper_give(&helper, eight)) != 0) {
        CHECK_OK(wg_ioport_enable(helper.space, in_one));
        CHECK_OK(wg_ioport_enable(helper.space, in_eight));
        if (release & 1)
            CHECK_OK(wg_asset_release(helper.space, in_one));
        if (release & 2)
            CHECK_OK(wg_asset_release(helper.space, in_eight));
        poke_expect(&helper, "out", 0, expected, what);
    }
    if (one)
        CHECK_OK(wg_asset_release(WG_SELF, one));
    if (eight)
        CHECK_OK(wg_asset_release(WG_SELF, eight));
}

static void test_two_assets_open_until_both_released(void)
{
    two_assets(1, OPEN, "two enabled assets, the first released");
    two_assets(2, OPEN, "two enabled assets, the second released");
    two_assets(3, CLOSED, "two enabled assets, both released");
}

/* Two handles of one asset in the space, enabled through the first: the space holds the
 * asset, and its ports, until it has released both. */
static void two_handles(bool release_both, int64_t expected, const char *what)
{
    wg_handle ports = scratch_ports(SCRATCH_PORT, 1);
    struct helper helper;
    wg_handle first, second = 0;
    if (ports && helper_with(&helper, ports, &first) &&
        (second = helper_give(&helper, ports)) != 0) {
        CHECK_OK(wg_ioport_enable(helper.space, first));
        CHECK_OK(wg_asset_release(helper.space, first));
        if (release_both)
            CHECK_OK(wg_asset_release(helper.space, second));
        poke_expect(&helper, "out", 0, expected, what);
    }
    if (ports)
        CHECK_OK(wg_asset_release(WG_SELF, ports));
}

static void test_two_handles_open_until_both_released(void)
{
    two_handles(false, OPEN, "one of two handles released");
    two_handles(true, CLOSED, "both handles released");
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
