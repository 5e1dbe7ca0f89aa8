/* Introspection for tools like the shell: tasks, the CPU tree, the boot archive. */
#include "kernel/exec/exec.h"
#include "kernel/exec/ustar.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"
#include "lib/string.h"

#define TASK_LIST_MAX 1024

struct task_list {
    struct wg_task_info *out;
    uint64_t max, count;
    const struct space *scope; /* only tasks of this space and below; NULL: all */
};

static void describe_task(void *ctx, const struct task *task)
{
    struct task_list *list = ctx;
    if (list->count >= list->max)
        return;
    if (list->scope && (!task->space || !space_is_within(task->space, list->scope)))
        return;
    struct wg_task_info *info = &list->out[list->count++];
    const struct space *space = task->space;
    *info = (struct wg_task_info){
        .id = task->id,
        .space = space ? space->id : 0,
        .parent_space = space && space->parent ? space->parent->id : 0,
        .priority = task->priority,
        .cpu = task->cpu,
        .state = task->suspended && task->state != TASK_DEAD ? 5u : (uint32_t)task->state,
    };
    strlcpy(info->name, task->name, sizeof(info->name));
}

struct syscall_result sys_SYSTEM_TASKS(const struct sys_system_tasks_args *args)
{
    uint64_t max = args->max;
    if (max > TASK_LIST_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    struct space *self = syscall_space();
    struct task_list list = {kcalloc(max ? max : 1, sizeof(struct wg_task_info)), max, 0,
                             self->introspect ? NULL : self};
    if (!list.out)
        return SYSCALL_ERR(WG_ERR_NO_MEMORY);
    task_for_each(describe_task, &list);
    enum wg_error err = copy_to_user(args->out, list.out, list.count * sizeof(*list.out));
    kfree(list.out);
    return (struct syscall_result){err, err == WG_ERR_OK ? list.count : 0};
}

struct syscall_result sys_CPU_INFO(const struct sys_cpu_info_args *args)
{
    struct wg_cpu_info *info = kcalloc(1, sizeof(*info));
    if (!info)
        return SYSCALL_ERR(WG_ERR_NO_MEMORY);
    info->cpu_count = cpu_count;
    info->node_count = machine_tree.node_count;
    for (unsigned i = 0; i < cpu_count && i < WG_MAX_CPUS; i++) {
        info->cpu_node[i] = cpus[i].node;
        info->apic_id[i] = cpus[i].apic_id;
    }
    memcpy(info->distance, machine_tree.distance, sizeof(info->distance));
    const struct pmm *pmm = memory_pmm();
    for (size_t z = 0; z < pmm->zone_count; z++) {
        int node = pmm->zones[z].node;
        if (node >= 0 && node < WG_MAX_NODES) {
            info->node_total_pages[node] += pmm->zones[z].page_count;
            info->node_free_pages[node] += pmm->zones[z].free_pages;
        }
    }
    enum wg_error err = copy_to_user(args->out, info, sizeof(*info));
    kfree(info);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_ARCHIVE_LIST(const struct sys_archive_list_args *args)
{
    char name[WG_EXEC_NAME_MAX + 1];
    enum wg_error err = exec_archive_name((size_t)args->index, name, sizeof(name));
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    size_t length = strlen(name);
    if (args->size < length + 1)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    err = copy_to_user(args->out, name, length + 1);
    return (struct syscall_result){err, err == WG_ERR_OK ? length : 0};
}

struct syscall_result sys_ARCHIVE_READ(const struct sys_archive_read_args *args)
{
    struct ustar_file file;
    enum wg_error err = exec_archive_file((size_t)args->index, &file);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    if (args->offset > file.size)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    uint64_t count = file.size - args->offset < args->size ? file.size - args->offset : args->size;
    if (count > 0)
        err = copy_to_user(args->out, (const uint8_t *)file.data + args->offset, count);
    return (struct syscall_result){err, err == WG_ERR_OK ? file.size : 0};
}
