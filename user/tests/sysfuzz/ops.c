/* Stateful sequences: spaces (nested, shared, destroyed with busy tasks inside), memory
 * created, mapped and unmapped, tasks created, started, killed and waited, IPC servers with
 * serving tasks, connections, sends, calls and receives carrying assets, transfers with
 * reduced rights (checked), stale handles (checked) and a full handle table. Each step uses
 * the pool and adds to it; all calls go through raw_call. */
#include "sysfuzz.h"

static uint64_t map_cursor; /* next free address in our scratch range */

#define CALL(n, ...) raw_call6(WG_SYS_##n, __VA_ARGS__)

static void op_space(void)
{
    struct pool_entry *parent = pool_pick(POOL_SPACE);
    bool nested = parent && rng_chance(&fuzz.rng, 40);
    bool shared = !nested && rng_chance(&fuzz.rng, 30);
    uint64_t flags = shared ? WG_SPACE_SHARE_MEMORY : 0;
    struct raw_result child =
        CALL(SPACE_CREATE, nested ? parent->handle : WG_SELF, flags, 0, 0, 0, 0);
    if (child.err != WG_ERR_OK)
        return;
    if (nested) /* a handle of our own names the grandchild */
        child = CALL(ASSET_COPY, parent->handle, child.value, WG_SELF, WG_RIGHTS_ALL, 0, 0);
    pool_put(shared ? POOL_SHARED : POOL_SPACE, child.value, 0);
}

static void op_destroy(void)
{
    struct pool_entry *e = pool_pick(rng_chance(&fuzz.rng, 70) ? POOL_SPACE : POOL_SHARED);
    if (!e)
        return;
    struct raw_result r = CALL(SPACE_DESTROY, WG_SELF, e->handle, 0, 0, 0, 0);
    if (r.err == WG_ERR_OK)
        pool_drop(e);
}

static void op_memory(void)
{
    struct rng *r = &fuzz.rng;
    uint64_t pages = 1 + rng_below(r, 8);
    struct raw_result pmem =
        CALL(PMEM_CREATE, WG_SELF, pages, rng_chance(r, 20) ? WG_PMEM_CONTIGUOUS : 0,
             WG_PMEM_ANY_NODE, 0, 0);
    if (pmem.err != WG_ERR_OK)
        return;
    pool_put(POOL_PMEM, pmem.value, pages);
    static const uint64_t flags[] = {WG_MAP_READ, WG_MAP_READ | WG_MAP_WRITE,
                                     WG_MAP_READ | WG_MAP_EXEC};
    struct pool_entry *space = pool_pick(POOL_SPACE);
    bool there = space && rng_chance(r, 30);
    uint64_t address = FUZZ_MAP_BASE + map_cursor;
    map_cursor = (map_cursor + (pages + 1) * 4096) % 0x10000000ull;
    struct raw_result vmem = CALL(VMEM_MAP, there ? space->handle : WG_SELF, pmem.value, address,
                                  flags[rng_below(r, 3)], 0, 0);
    if (vmem.err == WG_ERR_OK && !there)
        pool_put(POOL_VMEM, vmem.value, address);
    if (rng_chance(r, 50)) { /* the mapping keeps the memory */
        CALL(ASSET_RELEASE, WG_SELF, pmem.value, 0, 0, 0, 0);
        struct pool_entry *e = pool_find(POOL_PMEM, pmem.value);
        if (e)
            pool_drop(e);
    }
}

static void op_release(void)
{
    enum pool_kind kind = (enum pool_kind)rng_below(&fuzz.rng, POOL_KINDS);
    struct pool_entry *e = pool_pick(kind);
    if (!e || kind == POOL_TASK)
        return;
    wg_handle h = e->handle;
    struct raw_result r = CALL(ASSET_RELEASE, WG_SELF, h, 0, 0, 0, 0);
    pool_drop(e);
    if (r.err != WG_ERR_OK)
        return;
    /* The stale handle is refused as stale, every time. */
    struct raw_result again = CALL(ASSET_INFO, WG_SELF, h, (uint64_t)args_scratch, 0, 0, 0);
    if (again.err != WG_ERR_STALE_HANDLE)
        fuzz_fail("a released handle gave %s, not STALE_HANDLE", wg_error_name(again.err));
}

static void op_task(void)
{
    struct rng *r = &fuzz.rng;
    struct pool_entry *shared = pool_pick(POOL_SHARED);
    bool there = shared && rng_chance(r, 30);
    enum role role = (enum role)rng_below(r, ROLE_FPU); /* sleep, spin, exit, fault */
    wg_handle task;
    int slot;
    if (!roles_task(there ? shared->handle : WG_SELF, role, rng_below(r, 100), &task, &slot))
        return;
    CALL(TASK_START, there ? shared->handle : WG_SELF, task, 0, 0, 0, 0);
    if (there) /* its stack stays taken: the task goes with that space */
        return;
    pool_put(POOL_TASK, task, (uint64_t)slot + 1);
}

static void op_task_control(void)
{
    struct rng *r = &fuzz.rng;
    struct pool_entry *e = pool_pick(POOL_TASK);
    if (!e)
        return;
    switch (rng_below(r, 4)) {
    case 0:
        CALL(TASK_KILL, WG_SELF, e->handle, 0, 0, 0, 0);
        break;
    case 1:
        CALL(TASK_SET_PRIORITY, WG_SELF, e->handle, 1 + rng_below(r, 16), 0, 0, 0);
        break;
    case 2:
        CALL(TASK_SET_AFFINITY, WG_SELF, e->handle, 1 + rng_below(r, 3), 0, 0, 0);
        break;
    default:
        break;
    }
    struct raw_result status = CALL(TASK_WAIT, WG_SELF, e->handle, args_timeout(), 0, 0, 0);
    if (status.err == WG_ERR_OK) {
        roles_slot_free((int)e->extra - 1);
        CALL(ASSET_RELEASE, WG_SELF, e->handle, 0, 0, 0, 0);
        pool_drop(e);
    }
}

static void op_exec(void)
{
    static const char *const roles[] = {"sysfuzz\0role\0sleep", "sysfuzz\0role\0spin",
                                        "sysfuzz\0role\0exit", "sysfuzz\0role\0fault"};
    static struct wg_exec_args args;
    struct pool_entry *space = pool_pick(POOL_SPACE);
    if (!space)
        return;
    const char *strings = roles[rng_below(&fuzz.rng, 4)];
    args = (struct wg_exec_args){3, 13 + strlen(strings + 13) + 1, strings, 0};
    struct raw_result task =
        CALL(EXEC, space->handle, (uint64_t) "sysfuzz", 7, (uint64_t)&args, 0, 0);
    if (task.err != WG_ERR_OK)
        return;
    CALL(TASK_START, WG_SELF, task.value, 0, 0, 0, 0);
    pool_put(POOL_TASK, task.value, 0);
}

void ops_ipc_step(unsigned pick);

void ops_step(void)
{
    static void (*const ops[])(void) = {op_space,   op_destroy, op_memory,       op_memory,
                                        op_release, op_task,    op_task_control, op_exec};
    unsigned pick = (unsigned)rng_below(&fuzz.rng, 17);
    if (pick < 8)
        ops[pick]();
    else if (pick < 16)
        ops_ipc_step(pick - 8);
    else
        op_short();
}

/* Leaves busy tasks and nested spaces behind on purpose: the campaign destroys them all with
 * the seed's space. Only a destroy of our own children is tried under them first. */
void ops_end(void)
{
    if (rng_chance(&fuzz.rng, 50))
        op_destroy();
}
