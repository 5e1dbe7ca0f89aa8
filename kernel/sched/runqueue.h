/* A per-CPU run queue: one FIFO per priority level and a bitmap of non-empty levels, so
 * picking the next task is a find-first-set and a list pop.
 *
 * Pure logic (unit-tested on the host); the caller holds the owning CPU's run-queue lock. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/list.h"

#define SCHED_PRIORITIES 32 /* 0 lowest .. 31 highest */

struct runqueue_entry {
    struct list_node link;
    uint8_t priority;
    bool queued;
};

struct runqueue {
    struct list_node levels[SCHED_PRIORITIES];
    uint32_t nonempty; /* bit p set when levels[p] has entries */
    size_t count;
};

void runqueue_init(struct runqueue *rq);
/* Unlinks a queued entry; false if it is not queued. */
bool runqueue_remove(struct runqueue *rq, struct runqueue_entry *entry);

/* Push, pop and the top priority are inline: every context switch runs them. */

/* Highest set bit of a non-zero bitmap. */
static inline int runqueue_highest_level(uint32_t bits)
{
    return 31 - __builtin_clz(bits);
}

/* Appends at the tail of its priority level (round robin). Priority must be valid and the
 * entry not queued anywhere; violations return false and change nothing. */
static inline bool runqueue_push(struct runqueue *rq, struct runqueue_entry *entry)
{
    if (entry->priority >= SCHED_PRIORITIES || entry->queued)
        return false;
    list_push_back(&rq->levels[entry->priority], &entry->link);
    rq->nonempty |= 1u << entry->priority;
    entry->queued = true;
    rq->count++;
    return true;
}

/* Unlinks a queued entry from its level and clears the level's bit if it became empty. */
static inline void runqueue_unlink(struct runqueue *rq, struct runqueue_entry *entry)
{
    list_remove(&entry->link);
    if (list_empty(&rq->levels[entry->priority]))
        rq->nonempty &= ~(1u << entry->priority);
    entry->queued = false;
    rq->count--;
}

/* Removes and returns the oldest entry of the highest non-empty level, or NULL. */
static inline struct runqueue_entry *runqueue_pop(struct runqueue *rq)
{
    if (rq->nonempty == 0)
        return NULL;
    struct list_node *node = list_first(&rq->levels[runqueue_highest_level(rq->nonempty)]);
    struct runqueue_entry *entry = list_entry(node, struct runqueue_entry, link);
    runqueue_unlink(rq, entry);
    return entry;
}

/* Highest non-empty priority, or -1 when empty. */
static inline int runqueue_top_priority(const struct runqueue *rq)
{
    return rq->nonempty == 0 ? -1 : runqueue_highest_level(rq->nonempty);
}
/* The first entry (highest priority first, oldest first) for which accept() is true, not
 * removed; NULL if none. Used by work stealing to respect affinity. */
struct runqueue_entry *runqueue_find(const struct runqueue *rq,
                                     bool (*accept)(const struct runqueue_entry *, void *),
                                     void *ctx);
