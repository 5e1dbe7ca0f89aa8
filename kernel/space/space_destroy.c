/* Tearing a space down: its tasks first (killed, then waited for, so nothing runs in its
 * address space any more), then its children, then every handle it holds. */
#include "kernel/log.h"
#include "kernel/sched/task.h"
#include "kernel/space/space.h"

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

static struct space *next_child(struct space *space)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    struct space *child = NULL;
    if (!list_empty(&space->children)) {
        child = list_entry(space->children.next, struct space, sibling_link);
        list_remove(&child->sibling_link);
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
        spin_unlock_irqrestore(&space->lock, flags);
        if (entry.err != WG_ERR_OK)
            return;
        struct asset *asset = entry.object;
        if (asset->kind == WG_ASSET_SPACE && space_is_within(asset_space(asset), space))
            space_destroy(asset_space(asset)); /* a descendant dies with us */
        asset_put(asset);
    }
}

void space_destroy(struct space *space)
{
    uint64_t flags = spin_lock_irqsave(&space->lock);
    bool already = space->dead;
    space->dead = true;
    spin_unlock_irqrestore(&space->lock, flags);
    if (already)
        return;
    kill_and_reap_tasks(space);
    struct space *child;
    while ((child = next_child(space)) != NULL) {
        space_destroy(child);
        child->parent = NULL;
        space_put(child);
    }
    release_handles(space);
    if (space->parent) {
        flags = spin_lock_irqsave(&space->parent->lock);
        if (!list_empty(&space->sibling_link))
            list_remove(&space->sibling_link);
        spin_unlock_irqrestore(&space->parent->lock, flags);
    }
}
