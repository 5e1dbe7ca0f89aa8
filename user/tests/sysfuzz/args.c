/* Hostile arguments: pointers of every bad kind (and good ones, so calls get past their
 * checks), numbers at the edges, short timeouts, messages with assets. A read-only page of
 * ours is handed out as a pointer often; it must never change. */
#include "sysfuzz.h"

#define PAGE          4096ull
#define KERNEL_HALF   0xffff800000000000ull
#define NONCANON      0x0000800000000000ull
#define READONLY_BYTE 0x5a /* flags words of 0x5a5a5a5a have no WG_ENTRY_ASSET */

uint8_t args_scratch[4 * 4096] __attribute__((aligned(4096)));
static const uint8_t readonly_page[PAGE]
    __attribute__((aligned(4096))) = {[0 ... PAGE - 1] = READONLY_BYTE};
static const char *const names[] = {"sysfuzz",       "nonexistent", "",
                                    "sysfuzz\0role", "init",        "a/../sysfuzz"};
static const char role_args[] = "sysfuzz\0role\0exit";

void args_init(void)
{
    wg_handle pmem = raw_call6(WG_SYS_PMEM_CREATE, WG_SELF, 1, 0, WG_PMEM_ANY_NODE, 0, 0).value;
    wg_handle vmem =
        raw_call6(WG_SYS_VMEM_MAP, WG_SELF, pmem, FUZZ_EDGE, WG_MAP_READ | WG_MAP_WRITE, 0, 0)
            .value;
    if (pmem == 0 || vmem == 0)
        fuzz_fail("cannot map the edge page");
    protect_add(pmem);
    protect_add(vmem);
}

void args_check_readonly(void)
{
    for (unsigned i = 0; i < PAGE; i++)
        if (readonly_page[i] != READONLY_BYTE) {
            fuzz_fail("the read-only page changed at byte %u", i);
            return;
        }
}

/* Where a `size`-byte buffer may go, good or bad. */
static uint64_t place(uint64_t size, bool writable_only)
{
    struct rng *r = &fuzz.rng;
    uint64_t fit = size < sizeof args_scratch ? sizeof args_scratch - size : 0;
    switch (rng_below(r, 16)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
        return (uint64_t)args_scratch + (rng_below(r, fit / 64 + 1) * 64) % (fit + 1);
    case 6: /* misaligned */
        return (uint64_t)args_scratch + 1 + rng_below(r, 15);
    case 7: /* straddling into the never-mapped page after the edge page */
        return FUZZ_EDGE + PAGE - (size > 1 ? 1 + rng_below(r, size - 1) : 0);
    case 8:
        return writable_only ? (uint64_t)args_scratch : (uint64_t)readonly_page;
    case 9:
        return (uint64_t)readonly_page + rng_below(r, PAGE);
    case 10:
        return KERNEL_HALF + rng_below(r, 1u << 30) * 8;
    case 11:
        return NONCANON - rng_below(r, 64);
    case 12:
        return rng_below(r, 0x10000);
    case 13:
        return 0x7000000000ull + rng_below(r, 1u << 20);
    case 14:
        return UINT64_MAX - rng_below(r, 256);
    default:
        return 0;
    }
}

/* Bytes a kernel read may meet: random bytes, or a name the archive has. */
static void fill_bytes(uint8_t *at, uint64_t size)
{
    const char *name = names[rng_below(&fuzz.rng, sizeof names / sizeof names[0])];
    for (uint64_t i = 0; i < size; i++)
        at[i] = (uint8_t)rng_next(&fuzz.rng);
    if (rng_chance(&fuzz.rng, 60))
        memcpy(at, name, strlen(name) + 1 < size ? strlen(name) + 1 : size);
}

/* Our writable memory (scratch, edge page) that `p` names with `size` bytes, or NULL. */
static uint8_t *ours(uint64_t p, uint64_t size)
{
    uint64_t scratch = (uint64_t)args_scratch;
    if (size <= sizeof args_scratch && p >= scratch && p - scratch <= sizeof args_scratch - size)
        return (uint8_t *)p;
    if (p >= FUZZ_EDGE && p < FUZZ_EDGE + PAGE)
        return (uint8_t *)p;
    return NULL;
}

static void fill_exec(uint8_t *at, uint64_t room)
{
    struct wg_exec_args a = {rng_below(&fuzz.rng, 20), rng_below(&fuzz.rng, 1100),
                             (const char *)place(64, false), 0};
    if (rng_chance(&fuzz.rng, 50)) {
        a = (struct wg_exec_args){3, sizeof role_args, role_args, 0};
        if (rng_chance(&fuzz.rng, 20))
            a.size = rng_next(&fuzz.rng);
    }
    memcpy(at, &a, room < sizeof a ? room : sizeof a);
}

uint64_t args_pointer(enum ptr_use use, uint64_t size)
{
    uint64_t p = place(size, use == PTR_OUT);
    uint8_t *at = ours(p, size);
    if (at == NULL || use == PTR_OUT)
        return p;
    uint64_t room = (uint64_t)args_scratch + sizeof args_scratch - p;
    if (p >= FUZZ_EDGE)
        room = FUZZ_EDGE + PAGE - p;
    if (use == PTR_IN_MSG) {
        struct wg_message m;
        args_message(&m);
        memcpy(at, &m, room < sizeof m ? room : sizeof m);
    } else if (use == PTR_IN_EXEC) {
        fill_exec(at, room);
    } else {
        fill_bytes(at, room < size ? room : size);
    }
    return p;
}

uint64_t args_number(void)
{
    static const uint64_t edges[] = {0,
                                     1,
                                     2,
                                     15,
                                     16,
                                     31,
                                     32,
                                     63,
                                     64,
                                     4095,
                                     4096,
                                     65536,
                                     65537,
                                     0x7fffffff,
                                     0x80000000,
                                     0xffffffff,
                                     0x100000000ull,
                                     INT64_MAX,
                                     (uint64_t)INT64_MIN,
                                     UINT64_MAX,
                                     UINT64_MAX - 1};
    struct rng *r = &fuzz.rng;
    switch (rng_below(r, 4)) {
    case 0:
        return edges[rng_below(r, sizeof edges / sizeof edges[0])];
    case 1:
        return rng_below(r, 64);
    case 2:
        return rng_next(r) >> rng_below(r, 64);
    default:
        return rng_next(r);
    }
}

uint64_t args_timeout(void)
{
    struct rng *r = &fuzz.rng;
    unsigned pick = (unsigned)rng_below(r, 10);
    return pick < 5 ? 0 : pick < 9 ? 1 + rng_below(r, 100000) : MS_NS + rng_below(r, MS_NS);
}

/* A sender's handle in a message must never be one of ours that keeps us alive. */
static uint64_t message_handle(void)
{
    wg_handle h = pool_any_handle();
    return protect_has(h) ? 0 : h;
}

void args_message(struct wg_message *m)
{
    struct rng *r = &fuzz.rng;
    memset(m, 0, sizeof *m);
    m->connection = rng_chance(r, 90) ? 0 : rng_next(r);
    m->event = rng_chance(r, 90) ? 0 : (uint32_t)rng_next(r);
    for (int i = 0; i < WG_MESSAGE_ENTRIES; i++) {
        struct wg_message_entry *e = &m->entries[i];
        unsigned pick = (unsigned)rng_below(r, 10);
        e->value = pick < 5 ? args_number() : message_handle();
        e->flags = pick < 5 ? 0
                            : WG_ENTRY_ASSET |
                                  (uint32_t)(rng_next(r) & (WG_ENTRY_MOVE | WG_ENTRY_RESTRICT));
        if (pick == 9)
            e->flags = (uint32_t)rng_next(r);
        e->rights = rng_chance(r, 70) ? (uint32_t)rng_below(r, 256) : (uint32_t)rng_next(r);
    }
}
