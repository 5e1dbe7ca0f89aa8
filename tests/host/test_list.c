/* Host tests for lib/list.h: ordering of push and pop, removal anywhere (also while
 * iterating), empty lists, and the links staying consistent in both directions. */
#include "test.h"

#include "lib/list.h"

struct item {
    int value;
    struct list_node node;
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int value_of(struct list_node *node)
{
    return list_entry(node, struct item, node)->value;
}

/* Checks that prev and next agree all the way round and that the list holds exactly
 * `values`, in order. */
static bool list_holds(const struct list_node *head, const int *values, size_t count)
{
    const struct list_node *node = head;
    for (size_t i = 0; i < count; i++) {
        if (node->next->prev != node)
            return false;
        node = node->next;
        if (node == head || value_of((struct list_node *)node) != values[i])
            return false;
    }
    return node->next == head && head->prev == node;
}

static void make_items(struct item *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        items[i].value = (int)i;
        list_init(&items[i].node);
    }
}

TEST(empty_list)
{
    struct list_node head;
    list_init(&head);
    CHECK(list_empty(&head));
    CHECK(list_first(&head) == NULL);
    CHECK(list_pop_front(&head) == NULL);
    CHECK(list_pop_front(&head) == NULL);
    CHECK(list_empty(&head));
    CHECK(list_holds(&head, NULL, 0));
}

TEST(entry_finds_the_container)
{
    struct item it = {.value = 77};
    CHECK(list_entry(&it.node, struct item, node) == &it);
    CHECK_EQ(value_of(&it.node), 77);
}

TEST(push_back_keeps_fifo_order)
{
    struct list_node head;
    struct item items[4];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));

    for (size_t i = 0; i < ARRAY_LEN(items); i++)
        list_push_back(&head, &items[i].node);
    CHECK(!list_empty(&head));
    CHECK(list_holds(&head, (const int[]){0, 1, 2, 3}, 4));
    CHECK(list_first(&head) == &items[0].node);

    for (int want = 0; want < 4; want++) {
        struct list_node *node = list_pop_front(&head);
        REQUIRE(node != NULL);
        CHECK_EQ(value_of(node), want);
        CHECK(list_empty(node)); /* popped nodes come back unlinked */
    }
    CHECK(list_empty(&head));
    CHECK(list_pop_front(&head) == NULL);
}

TEST(push_front_keeps_lifo_order)
{
    struct list_node head;
    struct item items[3];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));

    for (size_t i = 0; i < ARRAY_LEN(items); i++)
        list_push_front(&head, &items[i].node);
    CHECK(list_holds(&head, (const int[]){2, 1, 0}, 3));
    CHECK_EQ(value_of(list_pop_front(&head)), 2);
    CHECK(list_holds(&head, (const int[]){1, 0}, 2));
}

TEST(mixed_pushes)
{
    struct list_node head;
    struct item items[4];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));

    list_push_back(&head, &items[1].node);
    list_push_front(&head, &items[0].node);
    list_push_back(&head, &items[2].node);
    list_push_front(&head, &items[3].node);
    CHECK(list_holds(&head, (const int[]){3, 0, 1, 2}, 4));
}

TEST(remove_first_middle_last)
{
    struct list_node head;
    struct item items[5];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));
    for (size_t i = 0; i < ARRAY_LEN(items); i++)
        list_push_back(&head, &items[i].node);

    list_remove(&items[2].node);
    CHECK(list_holds(&head, (const int[]){0, 1, 3, 4}, 4));
    CHECK(list_empty(&items[2].node));
    list_remove(&items[0].node);
    CHECK(list_holds(&head, (const int[]){1, 3, 4}, 3));
    list_remove(&items[4].node);
    CHECK(list_holds(&head, (const int[]){1, 3}, 2));
    list_remove(&items[1].node);
    list_remove(&items[3].node);
    CHECK(list_empty(&head));
    CHECK(list_holds(&head, NULL, 0));
}

TEST(remove_twice_is_harmless)
{
    struct list_node head;
    struct item items[2];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));
    list_push_back(&head, &items[0].node);
    list_push_back(&head, &items[1].node);

    list_remove(&items[0].node);
    list_remove(&items[0].node); /* already unlinked: must not disturb the list */
    CHECK(list_holds(&head, (const int[]){1}, 1));
}

TEST(removed_node_can_be_reinserted)
{
    struct list_node a, b;
    struct item it;
    list_init(&a);
    list_init(&b);
    make_items(&it, 1);

    list_push_back(&a, &it.node);
    list_remove(&it.node);
    list_push_back(&b, &it.node);
    CHECK(list_empty(&a));
    CHECK(list_holds(&b, (const int[]){0}, 1));
}

TEST(iterate_in_order)
{
    struct list_node head, *node, *tmp;
    struct item items[6];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));
    for (size_t i = 0; i < ARRAY_LEN(items); i++)
        list_push_back(&head, &items[i].node);

    int expect = 0;
    list_for_each_safe(node, tmp, &head)
    {
        CHECK_EQ(value_of(node), expect);
        expect++;
    }
    CHECK_EQ(expect, 6);
}

TEST(iterate_empty_list_visits_nothing)
{
    struct list_node head, *node, *tmp;
    int visits = 0;
    list_init(&head);
    list_for_each_safe(node, tmp, &head)
    {
        visits++;
    }
    CHECK_EQ(visits, 0);
}

TEST(remove_during_safe_iteration)
{
    struct list_node head, *node, *tmp;
    struct item items[7];
    list_init(&head);
    make_items(items, ARRAY_LEN(items));
    for (size_t i = 0; i < ARRAY_LEN(items); i++)
        list_push_back(&head, &items[i].node);

    /* Remove the even values as they are visited, poisoning each removed node. */
    int visits = 0;
    list_for_each_safe(node, tmp, &head)
    {
        visits++;
        if (value_of(node) % 2 == 0) {
            list_remove(node);
            node->next = NULL;
            node->prev = NULL;
        }
    }
    CHECK_EQ(visits, 7);
    CHECK(list_holds(&head, (const int[]){1, 3, 5}, 3));

    /* Remove everything in a second pass. */
    list_for_each_safe(node, tmp, &head)
    {
        list_remove(node);
    }
    CHECK(list_empty(&head));
}

TEST(single_element)
{
    struct list_node head;
    struct item it;
    list_init(&head);
    make_items(&it, 1);

    list_push_front(&head, &it.node);
    CHECK(list_first(&head) == &it.node);
    CHECK(head.next == &it.node && head.prev == &it.node);
    CHECK(it.node.next == &head && it.node.prev == &head);
    CHECK(list_pop_front(&head) == &it.node);
    CHECK(list_empty(&head));
    CHECK(head.next == &head && head.prev == &head);
}
