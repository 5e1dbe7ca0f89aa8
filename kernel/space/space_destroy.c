/* Tearing a space down: its tasks first (killed, then waited for, so nothing runs in its
 * address space any more), then its children, then every handle it holds. */
#include "kernel/log.h"
#include "kernel/sched/task.h"
#include "kernel/space/space.h"
#include "kernel/space/space_io.h"

/* Takes one task still listed in the space (with a reference), or NULL. */
static struct task *next_task(struct space *space)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct task *task = NULL;
    if (!list_empty(&space->tasks)) {
        task = list_entry(space->tasks.next, struct task, space_link);
        list_remove(&task->space_link);
        task_get(task);
    }
    spin_unlock_irqrestore(&space->lock, flags);
    return task;
}

/* The first child still listed, with a reference, or NULL. */
static struct space *first_child(struct space *space)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct space *child = NULL;
    if (!list_empty(&space->children)) {
        child = list_entry(space->children.next, struct space, sibling_link);
        asset_get(&child->asset);
    }
    spin_unlock_irqrestore(&space->lock, flags);
    return child;
}

static void kill_and_reap_tasks(struct space *space)
{
    struct task *task;
    while ((task = next_task(space)) != NULL) {
        if (task != task_current()) {
            task_kill(task);
            task_join(task, WAIT_FOREVER, NULL);
        }
        task_put(task);
    }
}

static void release_handles(struct space *space)
{
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&space->lock);
        wg_handle handle;
        struct handle_lookup entry = handle_table_pop_any(&space->handles, &handle);
        if (entry.err == WG_ERR_OK) /* no grant outlives its asset's handles */
            space_io_forget_locked(space, entry.object);
        spin_unlock_irqrestore(&space->lock, flags);
        if (entry.err != WG_ERR_OK)
            return;
        asset_put(entry.object);
    }
}

static bool mark_dead(struct space *space)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    bool already = space->dead;
    space->dead = true;
    spin_unlock_irqrestore(&space->lock, flags);
    return !already;
}

/* Tears down a space that has no children left, and unlinks it from its parent (dropping
 * the reference the parent's list held). */
static void destroy_leaf(struct space *space)
{
    kill_and_reap_tasks(space);
    release_handles(space);
    struct space *parent = space->parent;
    if (!parent)
        return;
    uint64_t flags = spin_lock_irqsave(&parent->lock);
    bool linked = !list_empty(&space->sibling_link);
    if (linked)
        list_remove(&space->sibling_link);
    spin_unlock_irqrestore(&parent->lock, flags);
    if (linked)
        space_put(space);
}

/* Iterative, deepest first: a tree thousands of levels deep must not overflow the kernel
 * stack. Every space met is marked dead first, so none can grow meanwhile. */
void space_destroy(struct space *top)
{
    if (!mark_dead(top))
        return;
    for (;;) {
        struct space *leaf = top, *child;
        while ((child = first_child(leaf)) != NULL) {
            mark_dead(child);
            if (leaf != top)
                space_put(leaf);
            leaf = child;
        }
        if (leaf == top)
            break;
        destroy_leaf(leaf);
        space_put(leaf);
    }
    destroy_leaf(top);
}
