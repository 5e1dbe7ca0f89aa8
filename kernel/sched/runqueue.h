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
/* Appends at the tail of its priority level (round robin). Priority must be valid and the
 * entry not queued anywhere; violations return false and change nothing. */
bool runqueue_push(struct runqueue *rq, struct runqueue_entry *entry);
/* Removes and returns the oldest entry of the highest non-empty level, or NULL. */
struct runqueue_entry *runqueue_pop(struct runqueue *rq);
/* Unlinks a queued entry; false if it is not queued. */
bool runqueue_remove(struct runqueue *rq, struct runqueue_entry *entry);
/* Highest non-empty priority, or -1 when empty. */
int runqueue_top_priority(const struct runqueue *rq);
/* The first entry (highest priority first, oldest first) for which accept() is true, not
 * removed; NULL if none. Used by work stealing to respect affinity. */
struct runqueue_entry *runqueue_find(const struct runqueue *rq,
                                     bool (*accept)(const struct runqueue_entry *, void *),
                                     void *ctx);
