/* libFuzzer target for kernel/space/handle_table.c: the input is a program of table operations
 * (insert, remove, lookup, stale and made-up handles, pop_any, for_each, allocator failures,
 * slots pushed to the edge of generation wrap-around) run against a reference model; any
 * disagreement, such as a released handle reaching an object, is an abort(). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/space/handle_table.h"

#define MAX_LIVE     128
#define MAX_RELEASED 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct entry {
    wg_handle handle;
    void *object;
    uint32_t tag;
};

static struct entry live[MAX_LIVE];
static uint32_t live_count;
static wg_handle released[MAX_RELEASED];
static uint32_t released_count;
static uint32_t next_object;
static bool fail_alloc;

struct input {
    const uint8_t *data;
    size_t size;
};

static uint8_t next_byte(struct input *in)
{
    if (in->size == 0)
        return 0;
    in->size--;
    return *in->data++;
}

static void require(bool condition)
{
    if (!condition)
        abort();
}

static void *fuzz_resize(void *old, size_t old_size, size_t new_size)
{
    (void)old_size;
    if (new_size == 0) {
        free(old);
        return NULL;
    }
    return fail_alloc ? NULL : realloc(old, new_size);
}

static int find_live(wg_handle handle)
{
    for (uint32_t i = 0; i < live_count; i++) {
        if (live[i].handle == handle)
            return (int)i;
    }
    return -1;
}

static void forget(uint32_t i)
{
    released[released_count++ % MAX_RELEASED] = live[i].handle;
    live[i] = live[--live_count];
}

static void do_insert(struct handle_table *table, struct input *in)
{
    uint8_t arg = next_byte(in);
    bool must_grow = table->free_head == 0;
    fail_alloc = (arg & 0x80) != 0;
    void *object = (void *)(uintptr_t)(0x1000 + 16 * (uintptr_t)next_object++);
    struct handle_result r = handle_table_insert(table, object, arg);
    fail_alloc = false;
    if (r.err != WG_ERR_OK) {
        require(r.err == WG_ERR_NO_MEMORY && must_grow);
        require((arg & 0x80) || table->capacity == table->limit);
        return;
    }
    require(r.handle != 0 && (r.handle >> 56) == 0 && find_live(r.handle) < 0);
    require(live_count < MAX_LIVE);
    live[live_count++] = (struct entry){r.handle, object, arg};
}

static void do_remove_or_lookup(struct handle_table *table, struct input *in, bool remove)
{
    if (live_count == 0)
        return;
    uint32_t i = next_byte(in) % live_count;
    struct handle_lookup r = remove ? handle_table_remove(table, live[i].handle)
                                    : handle_table_lookup(table, live[i].handle);
    require(r.err == WG_ERR_OK && r.object == live[i].object && r.tag == live[i].tag);
    if (remove)
        forget(i);
}

static void do_stale(struct handle_table *table, struct input *in)
{
    if (released_count == 0)
        return;
    uint32_t n = released_count < MAX_RELEASED ? released_count : MAX_RELEASED;
    uint8_t arg = next_byte(in);
    wg_handle old = released[arg % n];
    struct handle_lookup r =
        (arg & 1) ? handle_table_remove(table, old) : handle_table_lookup(table, old);
    require(r.err == WG_ERR_STALE_HANDLE && r.object == NULL);
}

static void do_made_up(struct handle_table *table, struct input *in)
{
    uint8_t shape = next_byte(in);
    uint64_t index = next_byte(in) % 128;
    uint64_t generation = next_byte(in);
    if (shape & 1) /* a full-width generation instead of a small one */
        for (int i = 0; i < 3; i++)
            generation = generation << 8 | next_byte(in);
    wg_handle handle = generation << HANDLE_INDEX_BITS | index;
    if (shape & 2)
        handle |= (uint64_t)next_byte(in) << 56;
    struct handle_lookup r = handle_table_lookup(table, handle);
    int i = find_live(handle);
    if (i >= 0)
        require(r.err == WG_ERR_OK && r.object == live[i].object && r.tag == live[i].tag);
    else
        require(r.err != WG_ERR_OK && r.object == NULL);
}

static void do_pop(struct handle_table *table)
{
    wg_handle handle;
    struct handle_lookup r = handle_table_pop_any(table, &handle);
    if (live_count == 0) {
        require(r.err == WG_ERR_NOT_FOUND);
        return;
    }
    int i = find_live(handle);
    require(r.err == WG_ERR_OK && i >= 0 && r.object == live[i].object);
    forget((uint32_t)i);
}

struct walk {
    uint32_t visited;
    uint32_t last_index;
};

static void visit(void *ctx, wg_handle handle, void *object, uint32_t tag)
{
    struct walk *walk = ctx;
    int i = find_live(handle);
    require(i >= 0 && live[i].object == object && live[i].tag == tag);
    uint32_t index = (uint32_t)(handle & ((1u << HANDLE_INDEX_BITS) - 1));
    require(walk->visited == 0 || index > walk->last_index);
    walk->last_index = index;
    walk->visited++;
}

/* Moves a free slot's generation next to the wrap, so retirement gets exercised. */
static void do_age(struct handle_table *table, struct input *in)
{
    uint8_t arg = next_byte(in);
    if (table->capacity == 0)
        return;
    struct handle_slot *slot = &table->slots[arg % table->capacity];
    uint32_t aged = UINT32_MAX - (arg >> 6);
    if (slot->object == NULL && slot->generation != 0 && slot->generation < aged)
        slot->generation = aged; /* only forward: released handles must stay below it */
}

static void do_walk(const struct handle_table *table)
{
    struct walk walk = {0};
    handle_table_for_each(table, visit, &walk);
    require(walk.visited == live_count);
}

/* Runs the operation named by the next byte (inserts twice as likely as the others). */
static void do_operation(struct handle_table *table, struct input *in)
{
    switch (next_byte(in) % 9) {
    case 0:
    case 1:
        do_insert(table, in);
        break;
    case 2:
        do_remove_or_lookup(table, in, true);
        break;
    case 3:
        do_remove_or_lookup(table, in, false);
        break;
    case 4:
        do_stale(table, in);
        break;
    case 5:
        do_made_up(table, in);
        break;
    case 6:
        do_pop(table);
        break;
    case 7:
        do_walk(table);
        break;
    default:
        do_age(table, in);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    struct handle_table table;
    live_count = released_count = next_object = 0;
    handle_table_init(&table, 1 + next_byte(&in) % 100, fuzz_resize);
    while (in.size > 0) {
        do_operation(&table, &in);
        require(table.used == live_count && table.capacity <= table.limit);
    }
    while (live_count > 0)
        do_pop(&table);
    do_pop(&table);
    handle_table_destroy(&table);
    return 0;
}
