/* The assets a seed made, by kind, and hostile handles built from them: stale ones (released
 * since), forged ones, reserved bits, slots beyond any table. */
#include "sysfuzz.h"

#define STALE_MAX 16

static struct pool_entry entries[POOL_KINDS][POOL_SIZE];
static wg_handle stale[STALE_MAX];
static unsigned stale_next;
uint64_t pool_first_address;

void pool_reset(void)
{
    memset(entries, 0, sizeof entries);
    memset(stale, 0, sizeof stale);
}

void pool_put(enum pool_kind kind, wg_handle handle, uint64_t extra)
{
    if (handle == 0)
        return;
    struct pool_entry *slot = &entries[kind][rng_below(&fuzz.rng, POOL_SIZE)];
    for (int i = 0; i < POOL_SIZE; i++)
        if (entries[kind][i].handle == 0) {
            slot = &entries[kind][i];
            break;
        }
    /* A full pool forgets an entry; its asset stays until the seed's space goes. */
    *slot = (struct pool_entry){handle, extra};
}

struct pool_entry *pool_pick(enum pool_kind kind)
{
    unsigned start = (unsigned)rng_below(&fuzz.rng, POOL_SIZE);
    for (unsigned i = 0; i < POOL_SIZE; i++) {
        struct pool_entry *e = &entries[kind][(start + i) % POOL_SIZE];
        if (e->handle != 0)
            return e;
    }
    return NULL;
}

struct pool_entry *pool_find(enum pool_kind kind, wg_handle handle)
{
    for (int i = 0; i < POOL_SIZE; i++)
        if (entries[kind][i].handle == handle)
            return &entries[kind][i];
    return NULL;
}

void pool_drop(struct pool_entry *entry)
{
    stale[stale_next++ % STALE_MAX] = entry->handle;
    *entry = (struct pool_entry){0};
}

static wg_handle live_handle(void)
{
    struct pool_entry *e = pool_pick((enum pool_kind)rng_below(&fuzz.rng, POOL_KINDS));
    return e ? e->handle : (1ull << 24) | rng_below(&fuzz.rng, 32);
}

wg_handle pool_any_handle(void)
{
    struct rng *r = &fuzz.rng;
    switch (rng_below(r, 12)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
        return live_handle();
    case 5:
    case 6:
        return stale[rng_below(r, STALE_MAX)];
    case 7: /* forged: a small slot, a plausible generation */
        return rng_below(r, 64) | (1 + rng_below(r, 4)) << 24;
    case 8: /* reserved bits set on a live handle */
        return live_handle() | 1ull << (56 + rng_below(r, 8));
    case 9: /* a slot beyond any table, or generation 0 */
        return rng_chance(r, 50) ? (4096 + rng_below(r, 1u << 20)) | 1ull << 24 : rng_below(r, 64);
    case 10:
        return 0;
    default:
        return rng_next(r);
    }
}

wg_handle pool_any_space(void)
{
    unsigned pick = (unsigned)rng_below(&fuzz.rng, 20);
    if (pick < 12)
        return WG_SELF;
    struct pool_entry *e = pool_pick(pick < 15 ? POOL_SPACE : POOL_SHARED);
    if (pick < 17 && e)
        return e->handle;
    return pool_any_handle();
}

uint64_t pool_server_address(void)
{
    struct rng *r = &fuzz.rng;
    struct pool_entry *e = pool_pick(POOL_SERVER);
    if (pool_first_address == 0) /* no server of ours yet: every address is someone else's */
        return UINT64_MAX - rng_below(r, 16);
    switch (rng_below(r, 10)) {
    case 0:
        return pool_first_address + rng_below(r, 64);
    case 1:
        return (1ull << 40) + rng_next(r) % (1ull << 62);
    case 2:
        return UINT64_MAX;
    default:
        return e ? e->extra : pool_first_address;
    }
}
