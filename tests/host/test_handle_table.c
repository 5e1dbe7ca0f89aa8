/* Host tests for kernel/space/handle_table.c: insert, lookup and remove; handles that never
 * named a slot (0, out of range, reserved bits, future generations); stale handles after a
 * release and after the slot's reuse; the limit and a failing allocator; generation wrap-around
 * retiring a slot; pop_any and for_each; and a long random run against a reference model. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "kernel/space/handle_table.h"

static bool resize_fails;
static int resize_calls;

/* realloc semantics, as the kernel's callback has; fails on demand. */
static void *test_resize(void *old, size_t old_size, size_t new_size)
{
    (void)old_size;
    resize_calls++;
    if (new_size == 0) {
        free(old);
        return NULL;
    }
    if (resize_fails)
        return NULL;
    return realloc(old, new_size);
}

/* Objects are never dereferenced by the table: distinct fake pointers are enough. */
static void *object(uint32_t n)
{
    return (void *)(uintptr_t)(0x1000 + 16 * (uintptr_t)n);
}

static wg_handle make_handle(uint64_t index, uint64_t generation)
{
    return (generation << HANDLE_INDEX_BITS) | index;
}

static uint32_t index_of(wg_handle handle)
{
    return (uint32_t)(handle & ((1u << HANDLE_INDEX_BITS) - 1));
}

static void table_init(struct handle_table *table, uint32_t limit)
{
    resize_fails = false;
    resize_calls = 0;
    handle_table_init(table, limit, test_resize);
}

TEST(insert_lookup_remove)
{
    struct handle_table table;
    table_init(&table, 100);
    struct handle_result a = handle_table_insert(&table, object(1), 7);
    struct handle_result b = handle_table_insert(&table, object(2), 9);
    REQUIRE(a.err == WG_ERR_OK && b.err == WG_ERR_OK);
    CHECK(a.handle != 0 && b.handle != 0 && a.handle != b.handle);
    CHECK_EQ(a.handle >> 56, 0u);
    CHECK_EQ(table.used, 2u);

    struct handle_lookup found = handle_table_lookup(&table, a.handle);
    CHECK(found.err == WG_ERR_OK && found.object == object(1) && found.tag == 7);
    found = handle_table_lookup(&table, b.handle);
    CHECK(found.err == WG_ERR_OK && found.object == object(2) && found.tag == 9);

    struct handle_lookup removed = handle_table_remove(&table, a.handle);
    CHECK(removed.err == WG_ERR_OK && removed.object == object(1) && removed.tag == 7);
    CHECK_EQ(table.used, 1u);
    CHECK_EQ(handle_table_lookup(&table, b.handle).object, object(2));
    handle_table_destroy(&table);
    CHECK(table.slots == NULL && table.capacity == 0 && table.used == 0);
}

TEST(null_object_refused)
{
    struct handle_table table;
    table_init(&table, 10);
    CHECK_EQ(handle_table_insert(&table, NULL, 0).err, WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(table.used, 0u);
    handle_table_destroy(&table);
}

TEST(handles_that_never_named_a_slot)
{
    struct handle_table table;
    table_init(&table, 100);
    CHECK_EQ(handle_table_lookup(&table, 0).err, WG_ERR_BAD_HANDLE); /* empty table */
    struct handle_result a = handle_table_insert(&table, object(1), 0);
    REQUIRE(a.err == WG_ERR_OK);
    uint32_t index = index_of(a.handle);
    uint64_t generation = a.handle >> HANDLE_INDEX_BITS;

    CHECK_EQ(handle_table_lookup(&table, 0).err, WG_ERR_BAD_HANDLE);
    CHECK_EQ(handle_table_remove(&table, 0).err, WG_ERR_BAD_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, make_handle(index, 0)).err, WG_ERR_BAD_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, make_handle(table.capacity, 1)).err, WG_ERR_BAD_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, make_handle(0xffffff, 1)).err, WG_ERR_BAD_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, make_handle(index, generation + 1)).err,
             WG_ERR_BAD_HANDLE);
    /* A free slot's current generation was never issued either. */
    CHECK_EQ(handle_table_lookup(&table, make_handle(index + 1, 1)).err, WG_ERR_BAD_HANDLE);
    for (int bit = 56; bit < 64; bit++) {
        wg_handle bad = a.handle | (1ull << bit);
        CHECK_EQ(handle_table_lookup(&table, bad).err, WG_ERR_BAD_HANDLE);
        CHECK_EQ(handle_table_remove(&table, bad).err, WG_ERR_BAD_HANDLE);
    }
    CHECK_EQ(table.used, 1u);
    CHECK_EQ(handle_table_lookup(&table, a.handle).object, object(1));
    handle_table_destroy(&table);
}

TEST(stale_after_release)
{
    struct handle_table table;
    table_init(&table, 100);
    struct handle_result a = handle_table_insert(&table, object(1), 0);
    REQUIRE(a.err == WG_ERR_OK);
    REQUIRE(handle_table_remove(&table, a.handle).err == WG_ERR_OK);
    struct handle_lookup found = handle_table_lookup(&table, a.handle);
    CHECK(found.err == WG_ERR_STALE_HANDLE && found.object == NULL);
    CHECK_EQ(handle_table_remove(&table, a.handle).err, WG_ERR_STALE_HANDLE);
    CHECK_EQ(table.used, 0u);
    handle_table_destroy(&table);
}

TEST(stale_after_slot_reuse)
{
    struct handle_table table;
    table_init(&table, 100);
    struct handle_result a = handle_table_insert(&table, object(1), 1);
    REQUIRE(a.err == WG_ERR_OK);
    REQUIRE(handle_table_remove(&table, a.handle).err == WG_ERR_OK);
    struct handle_result b = handle_table_insert(&table, object(2), 2);
    REQUIRE(b.err == WG_ERR_OK);
    CHECK_EQ(index_of(b.handle), index_of(a.handle)); /* the freed slot is reused */
    CHECK(b.handle != a.handle);

    struct handle_lookup old = handle_table_lookup(&table, a.handle);
    CHECK(old.err == WG_ERR_STALE_HANDLE && old.object == NULL);
    CHECK_EQ(handle_table_remove(&table, a.handle).err, WG_ERR_STALE_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, b.handle).object, object(2));
    CHECK_EQ(table.used, 1u);
    handle_table_destroy(&table);
}

TEST(grows_up_to_the_limit)
{
    struct handle_table table;
    table_init(&table, 40);
    wg_handle handles[40];
    for (uint32_t i = 0; i < 40; i++) {
        struct handle_result r = handle_table_insert(&table, object(i), i);
        REQUIRE(r.err == WG_ERR_OK);
        handles[i] = r.handle;
    }
    CHECK_EQ(table.capacity, 40u);
    CHECK_EQ(resize_calls, 3); /* 16, 32, 40 */
    CHECK_EQ(handle_table_insert(&table, object(99), 0).err, WG_ERR_NO_MEMORY);
    for (uint32_t i = 0; i < 40; i++)
        CHECK_EQ(handle_table_lookup(&table, handles[i]).object, object(i));

    REQUIRE(handle_table_remove(&table, handles[17]).err == WG_ERR_OK);
    struct handle_result again = handle_table_insert(&table, object(100), 0);
    CHECK(again.err == WG_ERR_OK && index_of(again.handle) == 17);
    CHECK_EQ(handle_table_insert(&table, object(101), 0).err, WG_ERR_NO_MEMORY);
    handle_table_destroy(&table);
}

TEST(reserve_guarantees_the_next_insert)
{
    struct handle_table table;
    table_init(&table, 20);
    CHECK_EQ(handle_table_reserve(&table), WG_ERR_OK); /* grows the empty table */
    CHECK_EQ(table.capacity, 16u);
    CHECK_EQ(table.used, 0u);
    for (uint32_t i = 0; i < 16; i++)
        REQUIRE(handle_table_insert(&table, object(i), 0).err == WG_ERR_OK);
    resize_fails = true;
    CHECK_EQ(handle_table_reserve(&table), WG_ERR_NO_MEMORY); /* would need to grow */
    resize_fails = false;
    CHECK_EQ(handle_table_reserve(&table), WG_ERR_OK);
    CHECK_EQ(handle_table_reserve(&table), WG_ERR_OK); /* idempotent: no second growth */
    CHECK_EQ(table.capacity, 20u);
    for (uint32_t i = 16; i < 20; i++) {
        REQUIRE(handle_table_reserve(&table) == WG_ERR_OK);
        REQUIRE(handle_table_insert(&table, object(i), 0).err == WG_ERR_OK);
    }
    CHECK_EQ(handle_table_reserve(&table), WG_ERR_NO_MEMORY); /* at the limit */
    handle_table_destroy(&table);
}

TEST(limit_is_clamped_and_zero_refuses)
{
    struct handle_table table;
    table_init(&table, UINT32_MAX);
    CHECK_EQ(table.limit, HANDLE_MAX_SLOTS);
    handle_table_destroy(&table);
    table_init(&table, 0);
    CHECK_EQ(handle_table_insert(&table, object(1), 0).err, WG_ERR_NO_MEMORY);
    CHECK_EQ(resize_calls, 0);
    handle_table_destroy(&table);
}

TEST(full_table_of_max_slots)
{
    struct handle_table table;
    table_init(&table, HANDLE_MAX_SLOTS);
    for (uint32_t i = 0; i < HANDLE_MAX_SLOTS; i++)
        REQUIRE(handle_table_insert(&table, object(i), 0).err == WG_ERR_OK);
    CHECK_EQ(handle_table_insert(&table, object(0), 0).err, WG_ERR_NO_MEMORY);
    uint32_t popped = 0;
    wg_handle handle;
    while (handle_table_pop_any(&table, &handle).err == WG_ERR_OK)
        popped++;
    CHECK_EQ(popped, HANDLE_MAX_SLOTS);
    CHECK_EQ(table.used, 0u);
    handle_table_destroy(&table);
}

TEST(resize_failure_leaves_table_unchanged)
{
    struct handle_table table;
    table_init(&table, 100);
    wg_handle handles[16];
    for (uint32_t i = 0; i < 16; i++)
        handles[i] = handle_table_insert(&table, object(i), i).handle;
    struct handle_table before = table;

    resize_fails = true;
    CHECK_EQ(handle_table_insert(&table, object(50), 0).err, WG_ERR_NO_MEMORY);
    CHECK(table.slots == before.slots && table.capacity == before.capacity);
    CHECK(table.used == before.used && table.free_head == before.free_head);
    CHECK_EQ(table.live_end, before.live_end);
    for (uint32_t i = 0; i < 16; i++)
        CHECK_EQ(handle_table_lookup(&table, handles[i]).object, object(i));

    resize_fails = false;
    struct handle_result r = handle_table_insert(&table, object(50), 0);
    CHECK(r.err == WG_ERR_OK && table.capacity == 32);
    for (uint32_t i = 0; i < 16; i++)
        CHECK_EQ(handle_table_lookup(&table, handles[i]).object, object(i));
    handle_table_destroy(&table);
}

TEST(generation_wrap_retires_the_slot)
{
    struct handle_table table;
    table_init(&table, 100);
    struct handle_result a = handle_table_insert(&table, object(1), 0);
    REQUIRE(a.err == WG_ERR_OK && index_of(a.handle) == 0);
    REQUIRE(handle_table_remove(&table, a.handle).err == WG_ERR_OK);

    /* Pretend slot 0 has been reused 2^32 - 2 times. */
    table.slots[0].generation = UINT32_MAX;
    struct handle_result last = handle_table_insert(&table, object(2), 0);
    REQUIRE(last.err == WG_ERR_OK);
    CHECK_EQ(last.handle, make_handle(0, UINT32_MAX));
    CHECK_EQ(handle_table_lookup(&table, last.handle).object, object(2));
    REQUIRE(handle_table_remove(&table, last.handle).err == WG_ERR_OK);
    CHECK_EQ(table.slots[0].generation, 0u);

    /* Slot 0 is never handed out again, not even when the table grows. */
    for (uint32_t i = 0; i < 40; i++) {
        struct handle_result r = handle_table_insert(&table, object(10 + i), 0);
        REQUIRE(r.err == WG_ERR_OK);
        CHECK(index_of(r.handle) != 0);
        CHECK(r.handle != last.handle && r.handle != a.handle);
    }
    CHECK_EQ(handle_table_lookup(&table, last.handle).err, WG_ERR_STALE_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, a.handle).err, WG_ERR_STALE_HANDLE);
    CHECK_EQ(handle_table_lookup(&table, make_handle(0, 12345)).err, WG_ERR_STALE_HANDLE);
    CHECK_EQ(handle_table_remove(&table, last.handle).err, WG_ERR_STALE_HANDLE);
    CHECK_EQ(table.used, 40u);
    handle_table_destroy(&table);
}

TEST(retired_slots_count_against_the_limit)
{
    struct handle_table table;
    table_init(&table, 16);
    wg_handle first = 0;
    for (uint32_t i = 0; i < 16; i++) {
        struct handle_result r = handle_table_insert(&table, object(i), 0);
        REQUIRE(r.err == WG_ERR_OK);
        if (i == 0)
            first = r.handle;
    }
    /* Slot 0 at its last generation: releasing it retires it. */
    table.slots[index_of(first)].generation = UINT32_MAX;
    REQUIRE(handle_table_remove(&table, make_handle(index_of(first), UINT32_MAX)).err == WG_ERR_OK);
    /* 15 live, 1 retired, capacity at the limit: no room left. */
    CHECK_EQ(table.used, 15u);
    CHECK_EQ(handle_table_insert(&table, object(99), 0).err, WG_ERR_NO_MEMORY);
    handle_table_destroy(&table);
}

struct visit_log {
    int count;
    wg_handle handles[64];
    void *objects[64];
    uint32_t tags[64];
};

static void record(void *ctx, wg_handle handle, void *obj, uint32_t tag)
{
    struct visit_log *log = ctx;
    if (log->count < 64) {
        log->handles[log->count] = handle;
        log->objects[log->count] = obj;
        log->tags[log->count] = tag;
    }
    log->count++;
}

TEST(for_each_visits_live_slots_in_order)
{
    struct handle_table table;
    table_init(&table, 100);
    wg_handle handles[20];
    for (uint32_t i = 0; i < 20; i++)
        handles[i] = handle_table_insert(&table, object(i), 100 + i).handle;
    for (uint32_t i = 0; i < 20; i += 3)
        handle_table_remove(&table, handles[i]);

    struct visit_log log = {0};
    handle_table_for_each(&table, record, &log);
    CHECK_EQ(log.count, 13);
    int n = 0;
    for (uint32_t i = 0; i < 20; i++) {
        if (i % 3 == 0)
            continue;
        CHECK(log.handles[n] == handles[i] && log.objects[n] == object(i));
        CHECK_EQ(log.tags[n], 100 + i);
        n++;
    }
    for (int i = 1; i < log.count; i++)
        CHECK(index_of(log.handles[i - 1]) < index_of(log.handles[i]));

    struct visit_log empty = {0};
    struct handle_table fresh;
    table_init(&fresh, 10);
    handle_table_for_each(&fresh, record, &empty);
    CHECK_EQ(empty.count, 0);
    handle_table_destroy(&fresh);
    handle_table_destroy(&table);
}

TEST(pop_any_drains)
{
    struct handle_table table;
    table_init(&table, 100);
    wg_handle handles[50];
    bool live[50] = {0};
    for (uint32_t i = 0; i < 50; i++) {
        handles[i] = handle_table_insert(&table, object(i), i).handle;
        live[i] = true;
    }
    for (uint32_t i = 0; i < 50; i += 4) {
        handle_table_remove(&table, handles[i]);
        live[i] = false;
    }

    int popped = 0;
    wg_handle handle;
    struct handle_lookup entry;
    while ((entry = handle_table_pop_any(&table, &handle)).err == WG_ERR_OK) {
        uint32_t i = entry.tag;
        REQUIRE(i < 50 && live[i]);
        CHECK(handle == handles[i] && entry.object == object(i));
        CHECK_EQ(handle_table_lookup(&table, handle).err, WG_ERR_STALE_HANDLE);
        live[i] = false;
        popped++;
    }
    CHECK_EQ(entry.err, WG_ERR_NOT_FOUND);
    CHECK_EQ(popped, 37);
    CHECK_EQ(table.used, 0u);
    CHECK_EQ(handle_table_pop_any(&table, NULL).err, WG_ERR_NOT_FOUND);

    /* The table is still usable afterwards, and pop_any sees new entries. */
    struct handle_result r = handle_table_insert(&table, object(7), 7);
    REQUIRE(r.err == WG_ERR_OK);
    entry = handle_table_pop_any(&table, &handle);
    CHECK(entry.err == WG_ERR_OK && handle == r.handle && entry.object == object(7));
    handle_table_destroy(&table);
}

/* --- Random run against a reference model. --- */

#define MODEL_LIMIT    300
#define MODEL_RELEASED 1024

struct model_entry {
    wg_handle handle;
    void *object;
    uint32_t tag;
};

struct model {
    struct model_entry live[MODEL_LIMIT];
    uint32_t live_count;
    wg_handle released[MODEL_RELEASED]; /* a ring of handles released so far */
    uint32_t released_count;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void model_release(struct model *m, uint32_t i)
{
    m->released[m->released_count++ % MODEL_RELEASED] = m->live[i].handle;
    m->live[i] = m->live[--m->live_count];
}

static int model_find(const struct model *m, wg_handle handle)
{
    for (uint32_t i = 0; i < m->live_count; i++) {
        if (m->live[i].handle == handle)
            return (int)i;
    }
    return -1;
}

struct model_walk {
    const struct model *m;
    int visited;
    uint32_t last_index;
    bool ok;
};

static void model_visit(void *ctx, wg_handle handle, void *obj, uint32_t tag)
{
    struct model_walk *walk = ctx;
    int i = model_find(walk->m, handle);
    if (i < 0 || walk->m->live[i].object != obj || walk->m->live[i].tag != tag)
        walk->ok = false;
    if (walk->visited > 0 && index_of(handle) <= walk->last_index)
        walk->ok = false;
    walk->last_index = index_of(handle);
    walk->visited++;
}

static bool model_insert(struct handle_table *table, struct model *m, uint64_t pick,
                         uint32_t *next_object)
{
    resize_fails = (pick % 16) == 0; /* the allocator fails now and then */
    uint32_t tag = (uint32_t)(pick >> 8);
    void *obj = object((*next_object)++);
    bool must_grow = table->free_head == 0;
    struct handle_result res = handle_table_insert(table, obj, tag);
    resize_fails = false;
    if (res.err != WG_ERR_OK)
        return res.err == WG_ERR_NO_MEMORY && must_grow;
    if (model_find(m, res.handle) >= 0 || m->live_count == MODEL_LIMIT)
        return false;
    m->live[m->live_count++] = (struct model_entry){res.handle, obj, tag};
    return true;
}

static bool model_remove_live(struct handle_table *table, struct model *m, uint64_t pick)
{
    uint32_t i = (uint32_t)(pick % m->live_count);
    struct handle_lookup res = handle_table_remove(table, m->live[i].handle);
    bool ok = res.err == WG_ERR_OK && res.object == m->live[i].object && res.tag == m->live[i].tag;
    model_release(m, i);
    return ok;
}

static bool model_lookup_live(struct handle_table *table, struct model *m, uint64_t pick)
{
    const struct model_entry *e = &m->live[pick % m->live_count];
    struct handle_lookup res = handle_table_lookup(table, e->handle);
    return res.err == WG_ERR_OK && res.object == e->object && res.tag == e->tag;
}

/* A released handle stays stale, for lookup and remove alike. */
static bool model_stale(struct handle_table *table, struct model *m, uint64_t pick)
{
    uint32_t n = m->released_count < MODEL_RELEASED ? m->released_count : MODEL_RELEASED;
    wg_handle old = m->released[pick % n];
    struct handle_lookup res =
        (pick & 1) ? handle_table_lookup(table, old) : handle_table_remove(table, old);
    return res.err == WG_ERR_STALE_HANDLE && res.object == NULL;
}

/* A made-up handle reaches an object only if it is a live one. */
static bool model_guess(struct handle_table *table, struct model *m, uint64_t pick)
{
    wg_handle guess = make_handle(pick % (MODEL_LIMIT + 8), (pick >> 12) % 40);
    if (pick & (1ull << 40))
        guess |= 1ull << (56 + (pick >> 50) % 8);
    struct handle_lookup res = handle_table_lookup(table, guess);
    int i = model_find(m, guess);
    if (i < 0)
        return res.err != WG_ERR_OK && res.object == NULL;
    return res.err == WG_ERR_OK && res.object == m->live[i].object;
}

static bool model_pop(struct handle_table *table, struct model *m)
{
    wg_handle handle;
    struct handle_lookup res = handle_table_pop_any(table, &handle);
    if (m->live_count == 0)
        return res.err == WG_ERR_NOT_FOUND;
    int i = model_find(m, handle);
    if (res.err != WG_ERR_OK || i < 0 || res.object != m->live[i].object)
        return false;
    model_release(m, (uint32_t)i);
    return true;
}

static bool model_walk_all(struct handle_table *table, struct model *m)
{
    struct model_walk walk = {.m = m, .ok = true};
    handle_table_for_each(table, model_visit, &walk);
    return walk.ok && walk.visited == (int)m->live_count;
}

/* Performs one random operation on both and returns false at the first disagreement. */
static bool model_step(struct handle_table *table, struct model *m, uint32_t *next_object)
{
    uint64_t r = rng();
    uint32_t op = (uint32_t)(r % 100);
    uint64_t pick = r >> 8;
    if (op < 35)
        return model_insert(table, m, pick, next_object);
    if (op < 60 && m->live_count > 0)
        return model_remove_live(table, m, pick);
    if (op < 75 && m->live_count > 0)
        return model_lookup_live(table, m, pick);
    if (op < 88 && m->released_count > 0)
        return model_stale(table, m, pick);
    if (op < 95)
        return model_guess(table, m, pick);
    if (op < 98)
        return model_pop(table, m);
    return model_walk_all(table, m);
}

TEST(random_operations_match_a_model)
{
    static struct model m;
    struct handle_table table;
    table_init(&table, MODEL_LIMIT);
    uint32_t next_object = 0;
    int i;
    for (i = 0; i < 100000; i++) {
        if (!model_step(&table, &m, &next_object))
            break;
        if (table.used != m.live_count)
            break;
    }
    CHECK_EQ(i, 100000);
    CHECK(table.capacity <= MODEL_LIMIT);
    handle_table_destroy(&table);
}
