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
void asset_get(struct asset *asset);
/* Drops a reference and says whether it was the last (the caller then frees the object
 * itself, without the destroy function: for freeing chains without recursion). */
bool asset_release_last(struct asset *asset);
/* Drops a reference; the last one destroys the asset. Call with interrupts on. */
void asset_put(struct asset *asset);
/* Assets alive in the whole system (for leak checks). */
uint64_t asset_count(void);
