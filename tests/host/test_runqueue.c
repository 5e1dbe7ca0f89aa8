/* Host tests for kernel/sched/runqueue.c: FIFO order within a level, higher levels first, the
 * non-empty bitmap after pops and removes, find with a predicate, rejected bad inputs, and a
 * long random run checked against a simple reference model. */
#include "test.h"

#include <stdint.h>

#include "kernel/sched/runqueue.h"

struct task {
    int id;
    struct runqueue_entry rq;
};

#define NTASKS 64

static struct task tasks[NTASKS];

/* Resets the task pool: ids 0..NTASKS-1, none queued, all at priority 0. */
static void make_tasks(void)
{
    for (int i = 0; i < NTASKS; i++) {
        tasks[i].id = i;
        tasks[i].rq.priority = 0;
        tasks[i].rq.queued = false;
        list_init(&tasks[i].rq.link);
    }
}

static int id_of(const struct runqueue_entry *entry)
{
    return entry == NULL ? -1 : list_entry(entry, struct task, rq)->id;
}

static bool push(struct runqueue *rq, int id, uint8_t priority)
{
    tasks[id].rq.priority = priority;
    return runqueue_push(rq, &tasks[id].rq);
}

static int pop_id(struct runqueue *rq)
{
    return id_of(runqueue_pop(rq));
}

TEST(empty_queue)
{
    struct runqueue rq;
    runqueue_init(&rq);
    CHECK_EQ(rq.count, 0u);
    CHECK_EQ(rq.nonempty, 0u);
    CHECK_EQ(runqueue_top_priority(&rq), -1);
    CHECK(runqueue_pop(&rq) == NULL);
    CHECK(runqueue_pop(&rq) == NULL);
    CHECK_EQ(rq.count, 0u);
}

TEST(fifo_within_a_level)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    for (int i = 0; i < 5; i++)
        REQUIRE(push(&rq, i, 7));
    CHECK_EQ(rq.count, 5u);
    CHECK_EQ(rq.nonempty, 1u << 7);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(pop_id(&rq), i);
    CHECK_EQ(pop_id(&rq), -1);
    CHECK_EQ(rq.nonempty, 0u);
}

TEST(round_robin_requeue)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    for (int i = 0; i < 3; i++)
        REQUIRE(push(&rq, i, 4));
    /* Run the head, put it back at the tail: 0 1 2 0 1 2 ... */
    for (int round = 0; round < 9; round++) {
        struct runqueue_entry *e = runqueue_pop(&rq);
        CHECK_EQ(id_of(e), round % 3);
        REQUIRE(e != NULL);
        CHECK(!e->queued);
        CHECK(runqueue_push(&rq, e));
    }
    CHECK_EQ(rq.count, 3u);
}

TEST(higher_priority_first)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    REQUIRE(push(&rq, 0, 0));
    REQUIRE(push(&rq, 1, 31));
    REQUIRE(push(&rq, 2, 5));
    REQUIRE(push(&rq, 3, 31));
    REQUIRE(push(&rq, 4, 5));
    REQUIRE(push(&rq, 5, 16));
    CHECK_EQ(rq.nonempty, (1u << 0) | (1u << 5) | (1u << 16) | (1u << 31));
    int expected[] = {1, 3, 5, 2, 4, 0};
    for (int i = 0; i < 6; i++)
        CHECK_EQ(pop_id(&rq), expected[i]);
    CHECK_EQ(rq.count, 0u);
    CHECK_EQ(rq.nonempty, 0u);
}

TEST(top_priority_follows_the_queue)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    REQUIRE(push(&rq, 0, 3));
    CHECK_EQ(runqueue_top_priority(&rq), 3);
    REQUIRE(push(&rq, 1, 0));
    CHECK_EQ(runqueue_top_priority(&rq), 3);
    REQUIRE(push(&rq, 2, 31));
    CHECK_EQ(runqueue_top_priority(&rq), 31);
    CHECK_EQ(pop_id(&rq), 2);
    CHECK_EQ(runqueue_top_priority(&rq), 3);
    CHECK_EQ(pop_id(&rq), 0);
    CHECK_EQ(runqueue_top_priority(&rq), 0);
    CHECK_EQ(pop_id(&rq), 1);
    CHECK_EQ(runqueue_top_priority(&rq), -1);
}

TEST(bitmap_after_removes)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    REQUIRE(push(&rq, 0, 9));
    REQUIRE(push(&rq, 1, 9));
    REQUIRE(push(&rq, 2, 20));
    /* Removing one of two entries keeps the level's bit. */
    CHECK(runqueue_remove(&rq, &tasks[0].rq));
    CHECK(!tasks[0].rq.queued);
    CHECK_EQ(rq.nonempty, (1u << 9) | (1u << 20));
    /* Removing the last one clears it. */
    CHECK(runqueue_remove(&rq, &tasks[1].rq));
    CHECK_EQ(rq.nonempty, 1u << 20);
    CHECK_EQ(runqueue_top_priority(&rq), 20);
    CHECK(runqueue_remove(&rq, &tasks[2].rq));
    CHECK_EQ(rq.nonempty, 0u);
    CHECK_EQ(rq.count, 0u);
    CHECK(runqueue_pop(&rq) == NULL);
}

TEST(remove_from_the_middle_keeps_order)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    for (int i = 0; i < 5; i++)
        REQUIRE(push(&rq, i, 12));
    CHECK(runqueue_remove(&rq, &tasks[2].rq));
    CHECK(runqueue_remove(&rq, &tasks[4].rq));
    CHECK_EQ(rq.count, 3u);
    CHECK_EQ(pop_id(&rq), 0);
    CHECK_EQ(pop_id(&rq), 1);
    CHECK_EQ(pop_id(&rq), 3);
    CHECK_EQ(pop_id(&rq), -1);
}

static bool accept_odd(const struct runqueue_entry *entry, void *ctx)
{
    (void)ctx;
    return id_of(entry) % 2 == 1;
}

static bool accept_id(const struct runqueue_entry *entry, void *ctx)
{
    return id_of(entry) == *(const int *)ctx;
}

static bool accept_none(const struct runqueue_entry *entry, void *ctx)
{
    (void)entry;
    (void)ctx;
    return false;
}

TEST(find_with_a_predicate)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    CHECK(runqueue_find(&rq, accept_odd, NULL) == NULL);
    REQUIRE(push(&rq, 2, 30));
    REQUIRE(push(&rq, 4, 30));
    REQUIRE(push(&rq, 3, 10));
    REQUIRE(push(&rq, 1, 10));
    REQUIRE(push(&rq, 5, 20));
    REQUIRE(push(&rq, 7, 20));
    /* Highest level with an odd id is 20; oldest there is 5. */
    CHECK_EQ(id_of(runqueue_find(&rq, accept_odd, NULL)), 5);
    /* Not removed. */
    CHECK_EQ(rq.count, 6u);
    CHECK(tasks[5].rq.queued);
    int want = 1;
    CHECK_EQ(id_of(runqueue_find(&rq, accept_id, &want)), 1);
    want = 9;
    CHECK(runqueue_find(&rq, accept_id, &want) == NULL);
    CHECK(runqueue_find(&rq, accept_none, NULL) == NULL);
    CHECK(runqueue_remove(&rq, &tasks[5].rq));
    CHECK(runqueue_remove(&rq, &tasks[7].rq));
    CHECK_EQ(id_of(runqueue_find(&rq, accept_odd, NULL)), 3);
    CHECK_EQ(rq.count, 4u);
}

TEST(bad_inputs_change_nothing)
{
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    CHECK(!push(&rq, 0, SCHED_PRIORITIES));
    CHECK(!push(&rq, 0, 255));
    CHECK(!tasks[0].rq.queued);
    CHECK_EQ(rq.count, 0u);
    CHECK_EQ(rq.nonempty, 0u);

    REQUIRE(push(&rq, 1, 6));
    CHECK(!runqueue_push(&rq, &tasks[1].rq)); /* already queued */
    CHECK_EQ(rq.count, 1u);
    CHECK(!runqueue_remove(&rq, &tasks[2].rq)); /* never queued */
    CHECK_EQ(rq.count, 1u);
    CHECK_EQ(rq.nonempty, 1u << 6);

    CHECK_EQ(pop_id(&rq), 1);
    CHECK(!runqueue_remove(&rq, &tasks[1].rq)); /* already popped */
    CHECK(runqueue_pop(&rq) == NULL);
    CHECK_EQ(rq.count, 0u);
    CHECK_EQ(rq.nonempty, 0u);
}

/* ---- Random model check ---- */

/* The reference: per task, whether it is queued, at what priority, and a push sequence
 * number; the next task is the queued one with the highest priority, then the lowest seq. */
struct model {
    bool queued[NTASKS];
    uint8_t priority[NTASKS];
    uint64_t seq[NTASKS];
    uint64_t next_seq;
};

static uint64_t rng_state;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* The model's first queued task (highest priority, oldest) with id % modulus == residue;
 * -1 if none. */
static int model_first(const struct model *m, int modulus, int residue)
{
    int best = -1;
    for (int i = 0; i < NTASKS; i++) {
        if (!m->queued[i] || i % modulus != residue)
            continue;
        if (best < 0 || m->priority[i] > m->priority[best] ||
            (m->priority[i] == m->priority[best] && m->seq[i] < m->seq[best]))
            best = i;
    }
    return best;
}

/* The run queue agrees with the model: count, bitmap, and each level's list in seq order. */
static bool matches_model(const struct runqueue *rq, const struct model *m)
{
    size_t count = 0;
    uint32_t bits = 0;
    for (int i = 0; i < NTASKS; i++) {
        if (m->queued[i] != tasks[i].rq.queued)
            return false;
        if (m->queued[i]) {
            count++;
            bits |= 1u << m->priority[i];
        }
    }
    if (rq->count != count || rq->nonempty != bits)
        return false;
    for (int p = 0; p < SCHED_PRIORITIES; p++) {
        uint64_t last = 0;
        const struct list_node *head = &rq->levels[p];
        for (const struct list_node *n = head->next; n != head; n = n->next) {
            int id = id_of(list_entry(n, struct runqueue_entry, link));
            if (n->next->prev != n || m->priority[id] != p || m->seq[id] < last)
                return false;
            last = m->seq[id];
        }
    }
    return true;
}

struct residue_ctx {
    int modulus;
    int residue;
};

static bool accept_residue(const struct runqueue_entry *entry, void *ctx)
{
    const struct residue_ctx *r = ctx;
    return id_of(entry) % r->modulus == r->residue;
}

/* A push of task `id`, sometimes with a bad priority or of an already-queued task. */
static bool random_push(struct runqueue *rq, struct model *m, int id)
{
    uint8_t prio = (uint8_t)(rng() % 40);
    bool ok = !m->queued[id] && prio < SCHED_PRIORITIES;
    if (m->queued[id])
        prio = m->priority[id]; /* a queued task's priority must not change */
    tasks[id].rq.priority = prio;
    if (runqueue_push(rq, &tasks[id].rq) != ok)
        return false;
    if (ok) {
        m->queued[id] = true;
        m->priority[id] = prio;
        m->seq[id] = ++m->next_seq;
    }
    return true;
}

/* A find with a random residue predicate, and a look at the top priority. */
static bool random_find(const struct runqueue *rq, const struct model *m)
{
    struct residue_ctx r = {(int)(rng() % 7) + 1, 0};
    r.residue = (int)(rng() % (uint32_t)r.modulus);
    int want = model_first(m, r.modulus, r.residue);
    int head = model_first(m, 1, 0);
    int top = head < 0 ? -1 : m->priority[head];
    return id_of(runqueue_find(rq, accept_residue, &r)) == want && runqueue_top_priority(rq) == top;
}

/* One random operation applied to both; returns false on any disagreement. */
static bool random_step(struct runqueue *rq, struct model *m)
{
    int id = (int)(rng() % NTASKS);
    switch (rng() % 5) {
    case 0:
    case 1:
        return random_push(rq, m, id);
    case 2: {
        int want = model_first(m, 1, 0);
        if (pop_id(rq) != want)
            return false;
        if (want >= 0)
            m->queued[want] = false;
        return true;
    }
    case 3: { /* remove, queued or not */
        bool ok = m->queued[id];
        m->queued[id] = false;
        return runqueue_remove(rq, &tasks[id].rq) == ok;
    }
    default:
        return random_find(rq, m);
    }
}

TEST(random_against_model)
{
    static struct model m;
    struct runqueue rq;
    runqueue_init(&rq);
    make_tasks();
    m = (struct model){0};
    rng_state = 0x5eed1234abcdULL;
    for (int step = 0; step < 20000; step++) {
        REQUIRE(random_step(&rq, &m));
        REQUIRE(matches_model(&rq, &m));
    }
    /* Drain: the rest comes out in model order. */
    for (int want = model_first(&m, 1, 0); want >= 0; want = model_first(&m, 1, 0)) {
        REQUIRE(pop_id(&rq) == want);
        m.queued[want] = false;
    }
    CHECK(runqueue_pop(&rq) == NULL);
    CHECK_EQ(rq.count, 0u);
    CHECK_EQ(rq.nonempty, 0u);
}
