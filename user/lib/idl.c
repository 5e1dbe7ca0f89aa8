/* The wire format of IDL messages (see idl.h): writing and reading bodies and handle slots.
 * Pure code over the idl_rt_* transport, so the host tests build it unchanged. */
#include "idl.h"

#define ENTRY_ASSET_FLAGS (WG_ENTRY_ASSET | WG_ENTRY_MOVE | WG_ENTRY_DROPPED)

static unsigned room(unsigned handle_slots)
{
    return handle_slots < IDL_ENTRIES ? (IDL_ENTRIES - handle_slots) * 8 : 0;
}

enum wg_error idl_write_begin(struct idl_writer *w, struct wg_message *out, uint32_t ordinal,
                              enum wg_error err, unsigned handle_slots, size_t size)
{
    *w = (struct idl_writer){.message = out, .size = size, .handle_slots = handle_slots};
    __builtin_memset(out, 0, sizeof *out);
    out->entries[0].value = ordinal | (uint64_t)err << IDL_HEADER_ERROR_SHIFT;
    if (handle_slots > IDL_ENTRIES || size > IDL_BODY_MAX)
        return WG_ERR_INVALID_ARGUMENT;
    if (size <= room(handle_slots)) {
        w->body = w->inline_body;
        return WG_ERR_OK;
    }
    if (handle_slots + 2 > IDL_ENTRIES)
        return WG_ERR_INVALID_ARGUMENT;
    void *map;
    enum wg_error made = idl_rt_body_create(size, &w->pmem, &w->vmem, &map);
    w->body = map;
    return made;
}

static uint8_t *put_space(struct idl_writer *w, size_t length)
{
    if (w->broken || length > w->size - w->used) {
        w->broken = true;
        return NULL;
    }
    uint8_t *at = w->body + w->used;
    w->used += length;
    return at;
}

/* Little-endian, `length` bytes of `value`. */
static void put_le(struct idl_writer *w, uint64_t value, unsigned length)
{
    uint8_t *at = put_space(w, length);
    for (unsigned i = 0; at && i < length; i++)
        at[i] = (uint8_t)(value >> (8 * i));
}

void idl_put_u8(struct idl_writer *w, uint8_t value)
{
    put_le(w, value, 1);
}

void idl_put_u16(struct idl_writer *w, uint16_t value)
{
    put_le(w, value, 2);
}

void idl_put_u32(struct idl_writer *w, uint32_t value)
{
    put_le(w, value, 4);
}

void idl_put_u64(struct idl_writer *w, uint64_t value)
{
    put_le(w, value, 8);
}

void idl_put_count(struct idl_writer *w, uint32_t count, unsigned prefix)
{
    put_le(w, count, prefix);
}

void idl_put_raw(struct idl_writer *w, const void *bytes, size_t length)
{
    uint8_t *at = put_space(w, length);
    if (at && length)
        __builtin_memcpy(at, bytes, length);
}

void idl_put_handle(struct idl_writer *w, wg_handle handle, uint32_t rights)
{
    if (w->handles >= w->handle_slots) {
        w->broken = true;
        return;
    }
    struct wg_message_entry *e = &w->message->entries[1 + w->handles++];
    bool restrict_rights = handle && rights != IDL_KEEP_RIGHTS;
    e->value = handle;
    e->flags = handle ? WG_ENTRY_ASSET | WG_ENTRY_MOVE : 0;
    e->flags |= restrict_rights ? WG_ENTRY_RESTRICT : 0;
    e->rights = restrict_rights ? rights : 0;
}

size_t idl_string_length(const char *text, uint32_t bound)
{
    size_t length = 0;
    while (length <= bound && text[length] != '\0')
        length++;
    return length <= bound ? length : IDL_INVALID_SIZE;
}

enum wg_error idl_write_end(struct idl_writer *w)
{
    struct wg_message *m = w->message;
    if (w->broken || w->used != w->size || w->handles != w->handle_slots) {
        if (w->pmem) {
            idl_rt_unmap(w->vmem);
            idl_rt_release(w->pmem);
        }
        return WG_ERR_INVALID_ARGUMENT;
    }
    unsigned first = 1 + w->handle_slots;
    if (w->pmem) {
        idl_rt_unmap(w->vmem);
        m->entries[0].value |= IDL_HEADER_OUT_OF_LINE;
        m->entries[first] = (struct wg_message_entry){w->pmem, WG_ENTRY_ASSET | WG_ENTRY_MOVE, 0};
        m->entries[first + 1].value = w->size;
        return WG_ERR_OK;
    }
    m->entries[0].value |= (uint64_t)w->size << IDL_HEADER_LENGTH_SHIFT;
    for (size_t i = 0; i < w->size; i++)
        m->entries[first + i / 8].value |= (uint64_t)w->body[i] << (8 * (i % 8));
    return WG_ERR_OK;
}

void idl_unsent(const struct wg_message *message, unsigned handle_slots)
{
    if (!(message->entries[0].value & IDL_HEADER_OUT_OF_LINE) || handle_slots >= IDL_ENTRIES)
        return;
    const struct wg_message_entry *body = &message->entries[1 + handle_slots];
    if (body->flags & WG_ENTRY_ASSET)
        idl_rt_release(body->value);
}
