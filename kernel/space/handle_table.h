/* A space's handle table: slots that hold a pointer to an asset, named by handles that carry
 * the slot's generation, so a handle to a released slot never reaches the slot's next
 * occupant (WG_ERR_STALE_HANDLE instead).
 *
 * Pure logic over an allocator callback (unit- and fuzz-tested on the host). Not locked: the
 * owning space holds its lock around every call. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>

#define HANDLE_INDEX_BITS  24
#define HANDLE_MAX_SLOTS   (1u << 16) /* per space: bounds kernel memory a space can pin */
#define HANDLE_GENERATIONS (1ull << 32)

struct handle_slot {
    void *object;        /* NULL when free */
    uint32_t generation; /* bumped on every release; never 0 for a live slot */
    uint32_t tag;        /* caller's value stored with the object (the asset kind) */
    uint32_t next_free;  /* free-list link (index + 1; 0 ends the list) */
};

struct handle_table {
    struct handle_slot *slots;
    uint32_t capacity;  /* slots allocated */
    uint32_t used;      /* live handles */
    uint32_t free_head; /* index + 1 of the first free slot; 0 if none */
    uint32_t live_end;  /* no live slot at or above this index (where pop_any looks first) */
    uint32_t limit;     /* at most this many slots (<= HANDLE_MAX_SLOTS) */
    /* Grows or frees the slot array: new_size 0 frees `old`. Returns NULL on failure. */
    void *(*resize)(void *old, size_t old_size, size_t new_size);
};

struct handle_result {
    enum wg_error err;
    wg_handle handle;
};

struct handle_lookup {
    enum wg_error err;
    void *object;
    uint32_t tag;
};

void handle_table_init(struct handle_table *table, uint32_t limit,
                       void *(*resize)(void *old, size_t old_size, size_t new_size));
/* Frees the slot array (objects are the caller's business: iterate first). */
void handle_table_destroy(struct handle_table *table);

/* Stores `object` (non-NULL) and returns its new handle; WG_ERR_NO_MEMORY when the table is
 * full (limit) or cannot grow. */
struct handle_result handle_table_insert(struct handle_table *table, void *object, uint32_t tag);

/* Makes sure the next insert cannot fail (a free slot exists, growing if needed): for
 * operations that check everything before they change anything. WG_ERR_NO_MEMORY as insert. */
enum wg_error handle_table_reserve(struct handle_table *table);

/* WG_ERR_BAD_HANDLE for a handle that never named a slot (0, index out of range, reserved
 * bits set), WG_ERR_STALE_HANDLE for one whose slot was released since. */
struct handle_lookup handle_table_lookup(const struct handle_table *table, wg_handle handle);

/* The live slot `handle` names, or NULL (handle_table_lookup then says why): the lookup of
 * every syscall, inline. A live slot's generation is never 0, so a handle with generation 0
 * matches none. */
static inline const struct handle_slot *handle_table_live_slot(const struct handle_table *table,
                                                               wg_handle handle)
{
    uint32_t index = (uint32_t)(handle & ((1u << HANDLE_INDEX_BITS) - 1));
    if ((handle >> (HANDLE_INDEX_BITS + 32)) != 0 || index >= table->capacity)
        return NULL;
    const struct handle_slot *slot = &table->slots[index];
    return slot->object && slot->generation == (uint32_t)(handle >> HANDLE_INDEX_BITS) ? slot
                                                                                       : NULL;
}

/* Releases the slot and returns what it held (errors as lookup). */
struct handle_lookup handle_table_remove(struct handle_table *table, wg_handle handle);

/* Calls fn for every live handle, in slot order; fn may not modify the table. */
void handle_table_for_each(const struct handle_table *table,
                           void (*fn)(void *ctx, wg_handle handle, void *object, uint32_t tag),
                           void *ctx);

/* Removes and returns any one live entry (for tearing a table down); err NOT_FOUND if empty. */
struct handle_lookup handle_table_pop_any(struct handle_table *table, wg_handle *handle);
