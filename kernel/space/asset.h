/* Assets: the refcounted kernel objects that spaces hold through handles. Every kind embeds
 * a struct asset first and gives a destroy function, called when the last reference goes. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

struct asset {
    enum wg_asset_kind kind;
    volatile int32_t refs;
    void (*destroy)(struct asset *asset); /* frees the object; may sleep: interrupts on */
};

void asset_init(struct asset *asset, enum wg_asset_kind kind, void (*destroy)(struct asset *));
/* Takes a reference (inline: every syscall's lookup does). */
static inline void asset_get(struct asset *asset)
{
    __atomic_fetch_add(&asset->refs, 1, __ATOMIC_RELAXED);
}
/* Drops a reference and says whether it was the last (the caller then frees the object
 * itself, without the destroy function: for freeing chains without recursion). */
bool asset_release_last(struct asset *asset);
/* What asset_put does when the count reached `left` <= 0: the asset goes (0), or the kernel
 * stops on a count gone negative. */
void asset_put_last(struct asset *asset, int32_t left);
/* Drops a reference; the last one destroys the asset. Call with interrupts on. */
static inline void asset_put(struct asset *asset)
{
    int32_t left = __atomic_sub_fetch(&asset->refs, 1, __ATOMIC_ACQ_REL);
    if (__builtin_expect(left <= 0, 0))
        asset_put_last(asset, left);
}
/* Assets alive in the whole system (for leak checks). */
uint64_t asset_count(void);
