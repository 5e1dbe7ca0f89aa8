/* The per-CPU run queue: one FIFO list per priority level plus a bitmap of the non-empty
 * levels, so push, pop and remove are O(1) (a bit scan and a list operation).
 *
 * Pure logic; the caller holds the owning CPU's run-queue lock. An entry's priority must not
 * change while it is queued (the scheduler removes, re-prioritises, then pushes again). */
#include "kernel/sched/runqueue.h"

_Static_assert(SCHED_PRIORITIES <= 32, "the nonempty bitmap is a uint32_t");

void runqueue_init(struct runqueue *rq)
{
    for (int p = 0; p < SCHED_PRIORITIES; p++)
        list_init(&rq->levels[p]);
    rq->nonempty = 0;
    rq->count = 0;
}

bool runqueue_remove(struct runqueue *rq, struct runqueue_entry *entry)
{
    /* The priority and count checks only guard against an entry queued elsewhere or
     * corrupted; a well-behaved caller never trips them. */
    if (!entry->queued || entry->priority >= SCHED_PRIORITIES || rq->count == 0)
        return false;
    if ((rq->nonempty & (1u << entry->priority)) == 0)
        return false;
    runqueue_unlink(rq, entry);
    return true;
}

struct runqueue_entry *runqueue_find(const struct runqueue *rq,
                                     bool (*accept)(const struct runqueue_entry *, void *),
                                     void *ctx)
{
    uint32_t levels = rq->nonempty;
    while (levels != 0) {
        int p = runqueue_highest_level(levels);
        levels &= ~(1u << p);
        const struct list_node *head = &rq->levels[p];
        for (struct list_node *node = head->next; node != head; node = node->next) {
            struct runqueue_entry *entry = list_entry(node, struct runqueue_entry, link);
            if (accept(entry, ctx))
                return entry;
        }
    }
    return NULL;
}
