/* The typed gets of the IDL reader (see idl.h): every read is bounds-checked against the
 * body, and a failed one records why in r->err. */
#include "idl.h"

bool idl_fail(struct idl_reader *r, enum wg_error err)
{
    r->err = err;
    return false;
}

static const uint8_t *take(struct idl_reader *r, size_t length)
{
    if (length > r->size - r->used) {
        idl_fail(r, WG_ERR_BAD_FORMAT);
        return NULL;
    }
    const uint8_t *at = r->body + r->used;
    r->used += length;
    return at;
}

static bool get_le(struct idl_reader *r, uint64_t *value, unsigned length)
{
    const uint8_t *at = take(r, length);
    if (!at)
        return false;
    *value = 0;
    for (unsigned i = 0; i < length; i++)
        *value |= (uint64_t)at[i] << (8 * i);
    return true;
}

bool idl_get_u8(struct idl_reader *r, uint8_t *value)
{
    uint64_t v = 0;
    bool ok = get_le(r, &v, 1);
    *value = (uint8_t)v;
    return ok;
}

bool idl_get_u16(struct idl_reader *r, uint16_t *value)
{
    uint64_t v = 0;
    bool ok = get_le(r, &v, 2);
    *value = (uint16_t)v;
    return ok;
}

bool idl_get_u32(struct idl_reader *r, uint32_t *value)
{
    uint64_t v = 0;
    bool ok = get_le(r, &v, 4);
    *value = (uint32_t)v;
    return ok;
}

bool idl_get_u64(struct idl_reader *r, uint64_t *value)
{
    return get_le(r, value, 8);
}

bool idl_get_bool(struct idl_reader *r, bool *value)
{
    uint64_t v = 0;
    if (!get_le(r, &v, 1))
        return false;
    *value = v == 1;
    return v <= 1 ? true : idl_fail(r, WG_ERR_BAD_FORMAT);
}

bool idl_get_count(struct idl_reader *r, uint32_t *count, uint32_t bound, unsigned prefix)
{
    uint64_t v = 0;
    if (!get_le(r, &v, prefix))
        return false;
    *count = (uint32_t)v;
    return v <= bound ? true : idl_fail(r, WG_ERR_BAD_FORMAT);
}

bool idl_get_raw(struct idl_reader *r, void *bytes, size_t length)
{
    const uint8_t *at = take(r, length);
    if (at && length)
        __builtin_memcpy(bytes, at, length);
    return at != NULL;
}

bool idl_get_string(struct idl_reader *r, char *out, uint32_t bound, unsigned prefix)
{
    uint32_t length;
    if (!idl_get_count(r, &length, bound, prefix) || !idl_get_raw(r, out, length))
        return false;
    out[length] = '\0';
    for (uint32_t i = 0; i < length; i++)
        if (out[i] == '\0')
            return idl_fail(r, WG_ERR_BAD_FORMAT);
    return true;
}

bool idl_get_handle(struct idl_reader *r, uint32_t kind, uint32_t rights, bool optional,
                    wg_handle *out)
{
    *out = 0;
    if (r->handles >= r->handle_slots)
        return idl_fail(r, WG_ERR_BAD_FORMAT);
    const struct wg_message_entry *e = &r->message->entries[1 + r->handles++];
    if (!(e->flags & WG_ENTRY_ASSET))
        return optional ? true : idl_fail(r, WG_ERR_BAD_FORMAT);
    if (e->flags & WG_ENTRY_DROPPED)
        return idl_fail(r, WG_ERR_NO_MEMORY);
    uint64_t size;
    if (idl_rt_asset_kind(e->value, &size) != kind)
        return idl_fail(r, WG_ERR_WRONG_KIND);
    if ((e->rights & rights) != rights) /* the kernel wrote the new handle's rights */
        return idl_fail(r, WG_ERR_ACCESS_DENIED);
    *out = e->value;
    return true;
}

bool idl_at_end(const struct idl_reader *r)
{
    return r->used == r->size;
}
