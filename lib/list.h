/* An intrusive, circular, doubly-linked list. A struct list_node is embedded in each element;
 * the list head is a bare node that links to itself when the list is empty. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "lib/container_of.h"

struct list_node {
    struct list_node *prev;
    struct list_node *next;
};

/* The element of type `type` whose field `member` is the node `node`. */
#define list_entry(node, type, member) container_of(node, type, member)

/* Visits every node of `head`; the current node `node` may be removed (or freed) inside the
 * loop because `tmp` already holds the next one. */
#define list_for_each_safe(node, tmp, head)                             \
    for ((node) = (head)->next, (tmp) = (node)->next; (node) != (head); \
         (node) = (tmp), (tmp) = (node)->next)

/* Makes `node` an empty list (for a head) or an unlinked node (for an element). */
static inline void list_init(struct list_node *node)
{
    node->prev = node;
    node->next = node;
}

/* True when the list `head` holds no element (or when the node `head` is unlinked). */
static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* Links `node` between the adjacent nodes `prev` and `next`. */
static inline void list_link_between(struct list_node *node, struct list_node *prev,
                                     struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
    list_link_between(node, head->prev, head);
}

static inline void list_push_front(struct list_node *head, struct list_node *node)
{
    list_link_between(node, head, head->next);
}

/* Unlinks `node` from its list and leaves it unlinked (pointing at itself), so removing it
 * a second time does nothing. */
static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

/* The first node of `head`, or NULL when the list is empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
    return list_empty(head) ? NULL : head->next;
}

/* Removes and returns the first node of `head`, or NULL when the list is empty. */
static inline struct list_node *list_pop_front(struct list_node *head)
{
    struct list_node *node = list_first(head);
    if (node != NULL)
        list_remove(node);
    return node;
}
