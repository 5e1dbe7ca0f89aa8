/* Host tests for a CPU's timer queue (kernel/sched/timer_queue.c): ordering, ties, "never"
 * entries, removal in any state, and a randomised comparison with a brute-force model. */
#include "kernel/sched/timer_queue.h"
#include "test.h"

#include <stdlib.h>

#define MODEL_SIZE 64

TEST(timer_queue_empty)
{
    struct timer_queue queue;
    timer_queue_init(&queue);
    CHECK_EQ(timer_queue_count(&queue), 0);
    CHECK_EQ(timer_queue_next_deadline(&queue), TIMER_NEVER);
    CHECK(timer_queue_pop_expired(&queue, UINT64_MAX) == NULL);
}

TEST(timer_queue_pops_in_deadline_order)
{
    struct timer_queue queue;
    struct timer_entry entries[5];
    const uint64_t deadlines[5] = {50, 10, 40, 20, 30};
    timer_queue_init(&queue);
    for (int i = 0; i < 5; i++) {
        timer_entry_init(&entries[i]);
        timer_queue_add(&queue, &entries[i], deadlines[i]);
    }
    CHECK_EQ(timer_queue_count(&queue), 5);
    CHECK_EQ(timer_queue_next_deadline(&queue), 10);
    CHECK(timer_queue_pop_expired(&queue, 9) == NULL);
    CHECK(timer_queue_pop_expired(&queue, 10) == &entries[1]);
    CHECK(timer_queue_pop_expired(&queue, 35) == &entries[3]);
    CHECK(timer_queue_pop_expired(&queue, 35) == &entries[4]);
    CHECK(timer_queue_pop_expired(&queue, 35) == NULL);
    CHECK(!timer_entry_armed(&entries[1]));
    CHECK(timer_entry_armed(&entries[0]));
    CHECK_EQ(timer_queue_count(&queue), 2);
    CHECK_EQ(timer_queue_next_deadline(&queue), 40);
}

TEST(timer_queue_equal_deadlines_keep_arming_order)
{
    struct timer_queue queue;
    struct timer_entry a, b, c;
    timer_queue_init(&queue);
    timer_entry_init(&a);
    timer_entry_init(&b);
    timer_entry_init(&c);
    timer_queue_add(&queue, &a, 7);
    timer_queue_add(&queue, &b, 7);
    timer_queue_add(&queue, &c, 3);
    CHECK(timer_queue_pop_expired(&queue, 7) == &c);
    CHECK(timer_queue_pop_expired(&queue, 7) == &a);
    CHECK(timer_queue_pop_expired(&queue, 7) == &b);
}

TEST(timer_queue_never_entries_never_expire)
{
    struct timer_queue queue;
    struct timer_entry forever, soon;
    timer_queue_init(&queue);
    timer_entry_init(&forever);
    timer_entry_init(&soon);
    timer_queue_add(&queue, &forever, TIMER_NEVER);
    timer_queue_add(&queue, &soon, 100);
    CHECK(timer_entry_armed(&forever));
    CHECK_EQ(timer_queue_count(&queue), 2);
    CHECK(timer_queue_pop_expired(&queue, UINT64_MAX) == &soon);
    CHECK(timer_queue_pop_expired(&queue, UINT64_MAX) == NULL);
    CHECK_EQ(timer_queue_next_deadline(&queue), TIMER_NEVER);
    timer_queue_remove(&queue, &forever);
    CHECK(!timer_entry_armed(&forever));
    CHECK_EQ(timer_queue_count(&queue), 0);
}

TEST(timer_queue_remove_is_idempotent_and_rearm_works)
{
    struct timer_queue queue;
    struct timer_entry a, b;
    timer_queue_init(&queue);
    timer_entry_init(&a);
    timer_entry_init(&b);
    timer_queue_remove(&queue, &a); /* never armed: nothing happens */
    CHECK_EQ(timer_queue_count(&queue), 0);
    timer_queue_add(&queue, &a, 5);
    timer_queue_add(&queue, &b, 6);
    timer_queue_remove(&queue, &a);
    timer_queue_remove(&queue, &a);
    CHECK_EQ(timer_queue_count(&queue), 1);
    CHECK_EQ(timer_queue_next_deadline(&queue), 6);
    timer_queue_add(&queue, &a, 1);
    CHECK(timer_queue_pop_expired(&queue, 10) == &a);
    CHECK(timer_queue_pop_expired(&queue, 10) == &b);
    CHECK_EQ(timer_queue_count(&queue), 0);
}

/* Random adds, removes and pops against an array model: the same entry must come out. */
TEST(timer_queue_matches_a_model)
{
    struct timer_queue queue;
    struct timer_entry entries[MODEL_SIZE];
    bool armed[MODEL_SIZE] = {false};
    uint64_t order[MODEL_SIZE] = {0}; /* arming sequence number, for ties */
    uint64_t sequence = 0, now = 0;
    srand(12345);
    timer_queue_init(&queue);
    for (int i = 0; i < MODEL_SIZE; i++)
        timer_entry_init(&entries[i]);
    for (int step = 0; step < 20000; step++) {
        int i = rand() % MODEL_SIZE, action = rand() % 4;
        if (action == 0 && !armed[i]) {
            uint64_t deadline = rand() % 8 == 0 ? TIMER_NEVER : now + (uint64_t)(rand() % 50);
            timer_queue_add(&queue, &entries[i], deadline);
            armed[i] = true;
            order[i] = sequence++;
        } else if (action == 1) {
            timer_queue_remove(&queue, &entries[i]);
            armed[i] = false;
        } else {
            now += (uint64_t)(rand() % 3);
            int want = -1;
            for (int j = 0; j < MODEL_SIZE; j++) {
                uint64_t d = entries[j].deadline_ns;
                if (armed[j] && d != TIMER_NEVER && d <= now &&
                    (want < 0 || d < entries[want].deadline_ns ||
                     (d == entries[want].deadline_ns && order[j] < order[want])))
                    want = j;
            }
            struct timer_entry *got = timer_queue_pop_expired(&queue, now);
            REQUIRE(got == (want < 0 ? NULL : &entries[want]));
            if (want >= 0)
                armed[want] = false;
        }
        size_t count = 0;
        for (int j = 0; j < MODEL_SIZE; j++)
            count += armed[j];
        REQUIRE(timer_queue_count(&queue) == count);
    }
}
