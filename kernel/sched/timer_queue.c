/* A CPU's queue of armed timed waits (timer_queue.h). */
#include "kernel/sched/timer_queue.h"

static struct timer_entry *entry_of(struct list_node *node)
{
    return list_entry(node, struct timer_entry, link);
}

void timer_queue_init(struct timer_queue *queue)
{
    list_init(&queue->sorted);
    list_init(&queue->never);
    queue->count = 0;
}

void timer_entry_init(struct timer_entry *entry)
{
    list_init(&entry->link);
    entry->deadline_ns = TIMER_NEVER;
}

bool timer_entry_armed(const struct timer_entry *entry)
{
    return !list_empty(&entry->link);
}

void timer_queue_add(struct timer_queue *queue, struct timer_entry *entry, uint64_t deadline_ns)
{
    entry->deadline_ns = deadline_ns;
    queue->count++;
    if (deadline_ns == TIMER_NEVER) {
        list_push_back(&queue->never, &entry->link);
        return;
    }
    /* Walk back past the later deadlines only: equal ones stay in arming order. */
    struct list_node *after = queue->sorted.prev;
    while (after != &queue->sorted && entry_of(after)->deadline_ns > deadline_ns)
        after = after->prev;
    list_link_between(&entry->link, after, after->next);
}

void timer_queue_remove(struct timer_queue *queue, struct timer_entry *entry)
{
    if (!timer_entry_armed(entry))
        return;
    list_remove(&entry->link);
    queue->count--;
}

struct timer_entry *timer_queue_pop_expired(struct timer_queue *queue, uint64_t now_ns)
{
    struct list_node *first = list_first(&queue->sorted);
    if (!first || entry_of(first)->deadline_ns > now_ns)
        return NULL;
    list_remove(first);
    queue->count--;
    return entry_of(first);
}

uint64_t timer_queue_next_deadline(const struct timer_queue *queue)
{
    struct list_node *first = list_first(&queue->sorted);
    return first ? entry_of(first)->deadline_ns : TIMER_NEVER;
}

size_t timer_queue_count(const struct timer_queue *queue)
{
    return queue->count;
}
