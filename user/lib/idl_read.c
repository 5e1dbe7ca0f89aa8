/* Reading IDL messages (see idl.h): the frame checks, taking an inline or out-of-line body,
 * the typed gets, and releasing what a refused message brought. */
#include "idl.h"

#define ASSET_FLAGS (WG_ENTRY_ASSET | WG_ENTRY_MOVE | WG_ENTRY_DROPPED)

static bool entry_empty(const struct wg_message_entry *e)
{
    return e->value == 0 && e->flags == 0 && e->rights == 0;
}

/* A handle slot: empty, or an asset (possibly dropped by a full handle table). */
static bool slot_valid(const struct wg_message_entry *e)
{
    return entry_empty(e) || ((e->flags & WG_ENTRY_ASSET) &&
                              !(e->flags & ~ASSET_FLAGS)); /* rights: the new handle's */
}

/* Entries from `first` on are all empty. */
static bool empty_from(const struct wg_message *m, unsigned first)
{
    for (unsigned i = first; i < WG_MESSAGE_ENTRIES; i++)
        if (!entry_empty(&m->entries[i]))
            return false;
    return true;
}

/* An inline body of `length` bytes from entry `first` on; the bytes after it must be 0. */
static enum wg_error take_inline(struct idl_reader *r, unsigned first, size_t length)
{
    const struct wg_message *m = r->message;
    size_t entries = (length + 7) / 8;
    if (first + entries > WG_MESSAGE_ENTRIES || !empty_from(m, first + (unsigned)entries))
        return WG_ERR_BAD_FORMAT;
    for (size_t i = 0; i < entries; i++) {
        const struct wg_message_entry *e = &m->entries[first + i];
        if (e->flags != 0 || e->rights != 0)
            return WG_ERR_BAD_FORMAT;
        size_t used = length - 8 * i < 8 ? length - 8 * i : 8;
        if (used < 8 && (e->value >> (8 * used)) != 0)
            return WG_ERR_BAD_FORMAT;
        for (size_t b = 0; b < used; b++)
            r->small_body[8 * i + b] = (uint8_t)(e->value >> (8 * b));
    }
    r->body = r->small_body;
    r->size = length;
    return WG_ERR_OK;
}

/* An out-of-line body: checked, mapped, copied out (so the sender cannot change it under
 * the decoder), unmapped. The asset itself is released by idl_read_end. */
static enum wg_error take_out_of_line(struct idl_reader *r, unsigned first)
{
    const struct wg_message *m = r->message;
    const struct wg_message_entry *asset = &m->entries[first], *length = &m->entries[first + 1];
    if (first + 2 > WG_MESSAGE_ENTRIES || !empty_from(m, first + 2))
        return WG_ERR_BAD_FORMAT;
    if (!(asset->flags & WG_ENTRY_ASSET) || length->flags != 0 || length->rights != 0)
        return WG_ERR_BAD_FORMAT;
    if (asset->flags & WG_ENTRY_DROPPED)
        return WG_ERR_NO_MEMORY;
    uint64_t size = 0;
    if (length->value > IDL_BODY_MAX ||
        idl_rt_asset_kind(asset->value, &size) != WG_ASSET_PHYS_MEMORY || size < length->value ||
        size > IDL_BODY_MAX) /* a larger asset would not fit the reader's mapping window */
        return WG_ERR_BAD_FORMAT;
    uint8_t *to = r->small_body;
    if (length->value > IDL_SMALL_BODY && !(to = r->copy = idl_rt_alloc(length->value)))
        return WG_ERR_NO_MEMORY;
    wg_handle vmem;
    const void *map;
    enum wg_error err = idl_rt_body_map(asset->value, length->value, &vmem, &map);
    if (err != WG_ERR_OK)
        return err;
    __builtin_memcpy(to, map, length->value);
    idl_rt_unmap(vmem);
    r->body = to;
    r->size = length->value;
    return WG_ERR_OK;
}

/* A response that answers an error carries nothing else. */
static enum wg_error answered_error(const struct wg_message *m, uint64_t header)
{
    uint64_t err = header >> IDL_HEADER_ERROR_SHIFT & 0xff;
    if (err == WG_ERR_OK)
        return WG_ERR_OK;
    bool bare = (header & ~(IDL_HEADER_ORDINAL_MASK | 0xffull << IDL_HEADER_ERROR_SHIFT)) == 0;
    return err < WG_ERROR_COUNT && bare && empty_from(m, 1) ? (enum wg_error)err
                                                            : WG_ERR_BAD_FORMAT;
}

enum wg_error idl_read_begin(struct idl_reader *r, const struct wg_message *message,
                             uint32_t ordinal, unsigned handle_slots, bool response)
{
    *r = (struct idl_reader){
        .message = message, .handle_slots = handle_slots, .err = WG_ERR_BAD_FORMAT};
    uint64_t header = message->entries[0].value;
    if (message->entries[0].flags != 0 || message->entries[0].rights != 0 ||
        (header & ~IDL_HEADER_KNOWN_BITS) || (uint32_t)header != ordinal ||
        handle_slots > IDL_ENTRIES)
        return WG_ERR_BAD_FORMAT;
    if (header >> IDL_HEADER_ERROR_SHIFT & 0xff)
        return response ? answered_error(message, header) : WG_ERR_BAD_FORMAT;
    for (unsigned i = 0; i < handle_slots; i++)
        if (!slot_valid(&message->entries[1 + i]))
            return WG_ERR_BAD_FORMAT;
    size_t length = header >> IDL_HEADER_LENGTH_SHIFT & 0xff;
    unsigned first = 1 + handle_slots;
    if (header & IDL_HEADER_OUT_OF_LINE)
        return length ? WG_ERR_BAD_FORMAT : take_out_of_line(r, first);
    if (length > (size_t)(IDL_ENTRIES - handle_slots) * 8)
        return WG_ERR_BAD_FORMAT;
    return take_inline(r, first, length);
}

enum wg_error idl_read_end(struct idl_reader *r, enum wg_error err)
{
    const struct wg_message *m = r->message;
    if (r->copy)
        idl_rt_free(r->copy);
    r->copy = NULL;
    unsigned first = 1 + r->handle_slots;
    for (unsigned i = 1; i < WG_MESSAGE_ENTRIES; i++) {
        const struct wg_message_entry *e = &m->entries[i];
        bool asset = (e->flags & WG_ENTRY_ASSET) && !(e->flags & WG_ENTRY_DROPPED);
        /* on success the handle slots belong to the decoded value; the rest is ours */
        if (asset && (err != WG_ERR_OK || i >= first))
            idl_rt_release(e->value);
    }
    return err;
}

uint32_t idl_ordinal(const struct wg_message *message)
{
    return (uint32_t)(message->entries[0].value & IDL_HEADER_ORDINAL_MASK);
}

void idl_release_assets(const struct wg_message *message)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++) {
        const struct wg_message_entry *e = &message->entries[i];
        if ((e->flags & WG_ENTRY_ASSET) && !(e->flags & WG_ENTRY_DROPPED))
            idl_rt_release(e->value);
    }
}

enum wg_error idl_answer(const struct idl_call *call, uint32_t ordinal, enum wg_error err)
{
    if (call->token == 0 || call->deferred)
        return err;
    struct wg_message reply = {0};
    reply.entries[0].value = ordinal | (uint64_t)err << IDL_HEADER_ERROR_SHIFT;
    idl_rt_reply(call->server, call->token, &reply);
    return err;
}
