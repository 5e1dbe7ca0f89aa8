/* Task assets: a handle's view of a task (holding a task reference). */
#pragma once

#include "kernel/sched/task.h"
#include "kernel/space/asset.h"

struct task_asset {
    struct asset asset;
    struct task *task;
};

struct task_asset *task_asset_create(struct task *task);

static inline struct task *asset_task(struct asset *asset)
{
    return ((struct task_asset *)asset)->task;
}
