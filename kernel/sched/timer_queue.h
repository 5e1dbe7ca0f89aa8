/* One CPU's armed timed waits, earliest deadline first. Pure logic (host-tested); the caller
 * serialises access (in the kernel: the owning CPU's timer lock, kernel/sched/wait.c).
 *
 * Entries with a finite deadline sit in a sorted list: the tick looks only at its head, so a
 * tick that expires nothing costs O(1), and an insert walks back from the tail, which is O(1)
 * when the new deadline is the latest (the common case: equal timeouts armed in turn).
 * Entries that never expire (TIMER_NEVER) sit in a separate list, O(1) both ways. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/list.h"

#define TIMER_NEVER UINT64_MAX

struct timer_entry {
    struct list_node link; /* unlinked (self-pointing) while not armed */
    uint64_t deadline_ns;
};

struct timer_queue {
    struct list_node sorted; /* finite deadlines, ascending; equal ones oldest first */
    struct list_node never;  /* TIMER_NEVER entries */
    size_t count;
};

void timer_queue_init(struct timer_queue *queue);
void timer_entry_init(struct timer_entry *entry);

/* True while `entry` is in a queue. */
bool timer_entry_armed(const struct timer_entry *entry);

/* Arms an unarmed `entry` to expire at `deadline_ns` (TIMER_NEVER: only removal ends it). */
void timer_queue_add(struct timer_queue *queue, struct timer_entry *entry, uint64_t deadline_ns);

/* Disarms `entry` if it is armed in `queue`; an unarmed entry is left alone. */
void timer_queue_remove(struct timer_queue *queue, struct timer_entry *entry);

/* Removes and returns the earliest entry whose deadline is <= now_ns, or NULL. */
struct timer_entry *timer_queue_pop_expired(struct timer_queue *queue, uint64_t now_ns);

/* The earliest finite deadline, or TIMER_NEVER when none is armed. */
uint64_t timer_queue_next_deadline(const struct timer_queue *queue);

size_t timer_queue_count(const struct timer_queue *queue);
