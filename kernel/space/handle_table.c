/* A space's handle table (see handle_table.h): a slot array grown by doubling, free slots on a
 * LIFO list threaded through `next_free`, and handles that carry the slot's generation. Every
 * release bumps the generation, so an old handle can never reach a new occupant; a slot whose
 * generation would wrap to 0 is retired for good, so no handle is ever issued twice.
 *
 * Handle layout: bits 0-23 slot index, 24-55 generation, 56-63 zero. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/space/handle_table.h"

#define HANDLE_INDEX_MASK     ((1u << HANDLE_INDEX_BITS) - 1)
#define HANDLE_RESERVED_SHIFT 56
#define HANDLE_FIRST_CAPACITY 16u

_Static_assert(HANDLE_MAX_SLOTS <= (1u << HANDLE_INDEX_BITS), "slot index must fit its bits");
_Static_assert(HANDLE_INDEX_BITS + 32 == HANDLE_RESERVED_SHIFT, "generation is 32 bits");

static wg_handle handle_make(uint32_t index, uint32_t generation)
{
    return ((wg_handle)generation << HANDLE_INDEX_BITS) | index;
}

void handle_table_init(struct handle_table *table, uint32_t limit,
                       void *(*resize)(void *old, size_t old_size, size_t new_size))
{
    table->slots = NULL;
    table->capacity = 0;
    table->used = 0;
    table->free_head = 0;
    table->live_end = 0;
    table->limit = limit < HANDLE_MAX_SLOTS ? limit : HANDLE_MAX_SLOTS;
    table->resize = resize;
}

void handle_table_destroy(struct handle_table *table)
{
    if (table->slots != NULL)
        table->resize(table->slots, (size_t)table->capacity * sizeof(struct handle_slot), 0);
    table->slots = NULL;
    table->capacity = 0;
    table->used = 0;
    table->free_head = 0;
    table->live_end = 0;
}

/* Doubles the slot array (up to the limit) and puts the new slots on the free list, lowest
 * index first. Called only with an empty free list. Returns false, leaving the table as it
 * was, at the limit or when the allocator fails (resize keeps the old array then). */
static bool handle_table_grow(struct handle_table *table)
{
    uint32_t old_capacity = table->capacity;
    uint32_t new_capacity = old_capacity == 0 ? HANDLE_FIRST_CAPACITY : old_capacity * 2;
    if (new_capacity > table->limit)
        new_capacity = table->limit;
    if (new_capacity <= old_capacity)
        return false;

    struct handle_slot *slots =
        table->resize(table->slots, (size_t)old_capacity * sizeof(struct handle_slot),
                      (size_t)new_capacity * sizeof(struct handle_slot));
    if (slots == NULL)
        return false;
    for (uint32_t i = old_capacity; i < new_capacity; i++) {
        slots[i].object = NULL;
        slots[i].generation = 1;
        slots[i].tag = 0;
        slots[i].next_free = i + 1 < new_capacity ? i + 2 : table->free_head;
    }
    table->slots = slots;
    table->capacity = new_capacity;
    table->free_head = old_capacity + 1;
    return true;
}

enum wg_error handle_table_reserve(struct handle_table *table)
{
    if (table->free_head == 0 && !handle_table_grow(table))
        return WG_ERR_NO_MEMORY;
    return WG_ERR_OK;
}

struct handle_result handle_table_insert(struct handle_table *table, void *object, uint32_t tag)
{
    if (object == NULL)
        return (struct handle_result){.err = WG_ERR_INVALID_ARGUMENT};
    enum wg_error err = handle_table_reserve(table);
    if (err != WG_ERR_OK)
        return (struct handle_result){.err = err};

    uint32_t index = table->free_head - 1;
    struct handle_slot *slot = &table->slots[index];
    table->free_head = slot->next_free;
    slot->next_free = 0;
    slot->object = object;
    slot->tag = tag;
    table->used++;
    if (index >= table->live_end)
        table->live_end = index + 1;
    return (struct handle_result){.err = WG_ERR_OK, .handle = handle_make(index, slot->generation)};
}

/* Checks a handle against the table. WG_ERR_OK with *index set when it names a live slot;
 * WG_ERR_STALE_HANDLE when it named its slot before a release (every generation below the
 * slot's current one was issued once, and all of them for a retired slot);
 * WG_ERR_BAD_HANDLE when no slot ever had it. */
static enum wg_error handle_decode(const struct handle_table *table, wg_handle handle,
                                   uint32_t *index)
{
    uint32_t slot_index = (uint32_t)(handle & HANDLE_INDEX_MASK);
    uint32_t generation = (uint32_t)(handle >> HANDLE_INDEX_BITS);
    if ((handle >> HANDLE_RESERVED_SHIFT) != 0 || generation == 0 || slot_index >= table->capacity)
        return WG_ERR_BAD_HANDLE;

    const struct handle_slot *slot = &table->slots[slot_index];
    if (slot->generation == 0)
        return WG_ERR_STALE_HANDLE;
    if (slot->object != NULL && generation == slot->generation) {
        *index = slot_index;
        return WG_ERR_OK;
    }
    return generation < slot->generation ? WG_ERR_STALE_HANDLE : WG_ERR_BAD_HANDLE;
}

struct handle_lookup handle_table_lookup(const struct handle_table *table, wg_handle handle)
{
    uint32_t index;
    enum wg_error err = handle_decode(table, handle, &index);
    if (err != WG_ERR_OK)
        return (struct handle_lookup){.err = err};
    const struct handle_slot *slot = &table->slots[index];
    return (struct handle_lookup){.err = WG_ERR_OK, .object = slot->object, .tag = slot->tag};
}

/* Empties a live slot and returns what it held; cannot fail. The slot goes back on the free
 * list unless its generation wrapped to 0, in which case it is never used again. */
static struct handle_lookup handle_release(struct handle_table *table, uint32_t index)
{
    struct handle_slot *slot = &table->slots[index];
    struct handle_lookup result = {.err = WG_ERR_OK, .object = slot->object, .tag = slot->tag};
    slot->object = NULL;
    slot->tag = 0;
    slot->generation++;
    if (slot->generation != 0) {
        slot->next_free = table->free_head;
        table->free_head = index + 1;
    }
    table->used--;
    return result;
}

struct handle_lookup handle_table_remove(struct handle_table *table, wg_handle handle)
{
    uint32_t index;
    enum wg_error err = handle_decode(table, handle, &index);
    if (err != WG_ERR_OK)
        return (struct handle_lookup){.err = err};
    return handle_release(table, index);
}

void handle_table_for_each(const struct handle_table *table,
                           void (*fn)(void *ctx, wg_handle handle, void *object, uint32_t tag),
                           void *ctx)
{
    for (uint32_t i = 0; i < table->live_end; i++) {
        const struct handle_slot *slot = &table->slots[i];
        if (slot->object != NULL)
            fn(ctx, handle_make(i, slot->generation), slot->object, slot->tag);
    }
}

/* Pops the live slot with the highest index. `live_end` only moves down here and up on
 * insert, so tearing down a whole table looks at each slot once. */
struct handle_lookup handle_table_pop_any(struct handle_table *table, wg_handle *handle)
{
    while (table->live_end > 0 && table->slots[table->live_end - 1].object == NULL)
        table->live_end--;
    if (table->live_end == 0)
        return (struct handle_lookup){.err = WG_ERR_NOT_FOUND};

    uint32_t index = table->live_end - 1;
    if (handle != NULL)
        *handle = handle_make(index, table->slots[index].generation);
    return handle_release(table, index);
}
