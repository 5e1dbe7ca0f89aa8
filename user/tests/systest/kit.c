/* The handle-test kit (kit.h). */
#include "kit.h"

const struct kit_call_info kit_calls[KIT_COUNT] = {
    [KIT_SPACE_CREATE] = {"SPACE_CREATE", -1},
    [KIT_SPACE_DESTROY] = {"SPACE_DESTROY", WG_ASSET_SPACE},
    [KIT_ASSET_LIST] = {"ASSET_LIST", -1},
    [KIT_ASSET_INFO] = {"ASSET_INFO", WG_ASSET_NONE},
    [KIT_ASSET_RELEASE] = {"ASSET_RELEASE", WG_ASSET_NONE},
    [KIT_ASSET_MOVE] = {"ASSET_MOVE", WG_ASSET_NONE},
    [KIT_ASSET_COPY] = {"ASSET_COPY", WG_ASSET_NONE},
    [KIT_COPY_TO] = {"ASSET_COPY (to)", -1},
    [KIT_PMEM_CREATE] = {"PMEM_CREATE", -1},
    [KIT_PMEM_PHYS_ADDR] = {"PMEM_PHYS_ADDR", WG_ASSET_PHYS_MEMORY},
    [KIT_VMEM_MAP] = {"VMEM_MAP", WG_ASSET_PHYS_MEMORY},
    [KIT_TASK_CREATE] = {"TASK_CREATE", -1},
    [KIT_TASK_START] = {"TASK_START", WG_ASSET_TASK},
    [KIT_TASK_WAIT] = {"TASK_WAIT", WG_ASSET_TASK},
    [KIT_TASK_KILL] = {"TASK_KILL", WG_ASSET_TASK},
    [KIT_TASK_SET_PRIORITY] = {"TASK_SET_PRIORITY", WG_ASSET_TASK},
    [KIT_TASK_SET_AFFINITY] = {"TASK_SET_AFFINITY", WG_ASSET_TASK},
    [KIT_EXEC] = {"EXEC", -1},
};

struct wg_result kit_issue(enum kit_call call, wg_handle space, wg_handle handle)
{
    static struct wg_asset_info infos[4];
    static const struct wg_exec_args args = {1, 6, "hello", 0};
    switch (call) {
    case KIT_SPACE_CREATE:
        return wg_space_create(space, 0);
    case KIT_SPACE_DESTROY:
        return wg_space_destroy(space, handle);
    case KIT_ASSET_LIST:
        return wg_asset_list(space, infos, 4);
    case KIT_ASSET_INFO:
        return wg_asset_info(space, handle, infos);
    case KIT_ASSET_RELEASE:
        return wg_asset_release(space, handle);
    case KIT_ASSET_MOVE:
        return wg_asset_move(space, handle, WG_SELF);
    case KIT_ASSET_COPY:
        return wg_asset_copy(space, handle, WG_SELF);
    case KIT_COPY_TO:
        return wg_asset_copy(WG_SELF, handle, space);
    case KIT_PMEM_CREATE:
        return wg_pmem_create(space, 1, 0, WG_PMEM_ANY_NODE);
    case KIT_PMEM_PHYS_ADDR:
        return wg_pmem_phys_addr(space, handle);
    case KIT_VMEM_MAP:
        return wg_vmem_map(space, handle, SCRATCH_ADDRESS, WG_MAP_READ);
    case KIT_TASK_CREATE:
        return wg_task_create(space, (uintptr_t)thread_sleep_until_killed, 0, 0);
    case KIT_TASK_START:
        return wg_task_start(space, handle);
    case KIT_TASK_WAIT:
        return wg_task_wait(space, handle, 0);
    case KIT_TASK_KILL:
        return wg_task_kill(space, handle);
    case KIT_TASK_SET_PRIORITY:
        return wg_task_set_priority(space, handle, 1);
    case KIT_TASK_SET_AFFINITY:
        return wg_task_set_affinity(space, handle, 1);
    case KIT_EXEC:
        return wg_exec(space, "hello", 5, &args);
    case KIT_COUNT:
        break;
    }
    return (struct wg_result){WG_ERR_INVALID_ARGUMENT, 0};
}

void kit_expect(enum kit_call call, wg_handle space, wg_handle handle, enum wg_error want,
                const char *why)
{
    struct wg_result r = kit_issue(call, space, handle);
    CHECK(r.err == want && (r.err == WG_ERR_OK || r.value == 0),
          "%s with %s (space %#llx, handle %#llx) gave %s (value %#llx), expected %s",
          kit_calls[call].name, why, (unsigned long long)space, (unsigned long long)handle,
          wg_error_name(r.err), (unsigned long long)r.value, wg_error_name(want));
}

bool kit_create(struct kit *kit)
{
    *kit = (struct kit){0};
    kit->space = VALUE(wg_space_create(WG_SELF, 0));
    kit->pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    kit->vmem = VALUE(wg_vmem_map(WG_SELF, kit->pmem, SCRATCH_ADDRESS + 0x100000, WG_MAP_READ));
    thread_start(&kit->thread, thread_sleep_until_killed, 0, 0);
    return !test_failed();
}

void kit_destroy(struct kit *kit)
{
    if (kit->thread.task) {
        CHECK_OK(wg_task_kill(WG_SELF, kit->thread.task));
        CHECK(thread_join(&kit->thread, 2 * SECOND_NS) == WG_EXIT_KILLED, "a killed sleeper");
    }
    if (kit->vmem)
        CHECK_OK(wg_asset_release(WG_SELF, kit->vmem));
    if (kit->pmem)
        CHECK_OK(wg_asset_release(WG_SELF, kit->pmem));
    if (kit->space)
        CHECK_OK(wg_space_destroy(WG_SELF, kit->space));
}

wg_handle kit_handle(const struct kit *kit, enum kit_call call)
{
    if (kit_calls[call].kind == WG_ASSET_SPACE)
        return kit->space;
    if (kit_calls[call].kind == WG_ASSET_TASK)
        return kit->thread.task;
    return kit->pmem;
}
