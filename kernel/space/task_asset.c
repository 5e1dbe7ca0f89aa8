/* Task assets. */
#include "kernel/space/task_asset.h"
#include "kernel/mm/kmalloc.h"

static void task_asset_destroy(struct asset *asset)
{
    task_put(asset_task(asset));
    kfree(asset);
}

struct task_asset *task_asset_create(struct task *task)
{
    struct task_asset *ta = kcalloc(1, sizeof(*ta));
    if (!ta)
        return NULL;
    task_get(task);
    ta->task = task;
    asset_init(&ta->asset, WG_ASSET_TASK, task_asset_destroy);
    return ta;
}
