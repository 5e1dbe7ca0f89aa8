/* libFuzzer target: every generated IDL decoder (of idl/ and tests/idl/) on any
 * message. Input: two bytes choose the decoder, then a struct wg_message (its ordinal is set
 * to the decoder's, so the fuzzer reaches the body), then the bytes of the memory asset any
 * asset entry of kind physical memory gets. Asset entries become live fake assets of the
 * kind their value's low bits name, with the rights their entry claims (the kernel only
 * gives rights of WG_RIGHTS_ALL), as the kernel would deliver them; decoders check the
 * rights each handle needs against the entry's `rights`. A decoder must not
 * crash, read out of bounds, or release a handle it does not own. */
#include <stdlib.h>
#include <string.h>
#include "shim.h"

extern const struct idl_decoder *const idl_all_decoders[];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct idl_decoder *pick(unsigned index)
{
    unsigned count = 0;
    for (unsigned t = 0; idl_all_decoders[t]; t++)
        for (const struct idl_decoder *d = idl_all_decoders[t]; d->name; d++)
            count++;
    index %= count;
    for (unsigned t = 0; idl_all_decoders[t]; t++)
        for (const struct idl_decoder *d = idl_all_decoders[t]; d->name; d++)
            if (index-- == 0)
                return d;
    return NULL;
}

/* Gives every asset entry a live fake asset, as a received message has. */
static void make_assets(struct wg_message *m, const uint8_t *bytes, size_t size)
{
    for (unsigned i = 1; i < WG_MESSAGE_ENTRIES; i++) {
        struct wg_message_entry *e = &m->entries[i];
        if (!(e->flags & WG_ENTRY_ASSET))
            continue;
        if (e->flags & WG_ENTRY_DROPPED) {
            e->value = 0;
            continue;
        }
        uint32_t kind = 1 + (uint32_t)(e->value % (WG_ASSET_KIND_COUNT - 1));
        e->value = shim_asset_new(kind, bytes, size);
        e->rights &= WG_RIGHTS_ALL;
        shim_asset_restrict(e->value, e->rights);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_message m;
    if (size < 2 + sizeof m)
        return 0;
    const struct idl_decoder *d = pick((unsigned)data[0] | (unsigned)data[1] << 8);
    memcpy(&m, data + 2, sizeof m);
    m.entries[0].value = (m.entries[0].value & ~IDL_HEADER_ORDINAL_MASK) | d->ordinal;
    shim_reset();
    make_assets(&m, data + 2 + sizeof m, size - 2 - sizeof m);
    void *out = malloc(d->size);
    d->decode(&m, out);
    free(out);
    if (shim_bad_releases() != 0)
        abort();
    shim_reset();
    return 0;
}
