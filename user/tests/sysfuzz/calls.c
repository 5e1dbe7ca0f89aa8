/* A random syscall with hostile arguments: any number (out-of-range ones too), each argument
 * drawn by what the syscall takes it for, then made safe for the worker itself (no long
 * blocking, no call on a handle that keeps the worker alive, no connection to a server that
 * is not the seed's). What is created is kept in the pool for later calls. */
#include "sysfuzz.h"

enum arg {
    A_NONE,
    A_NUM,
    A_SPACE,
    A_HANDLE,
    A_TIMEOUT,
    A_FLAGS,
    A_COUNT,
    A_LEN,
    A_PAGES,
    A_RIGHTS,
    A_PRIO,
    A_ENTRY,
    A_ADDR,
    A_ADDRESS,
    A_OUT_INFO,
    A_OUT_LIST,
    A_OUT_TASKS,
    A_OUT_SYS,
    A_OUT_CPU,
    A_OUT_MSG,
    A_OUT_U64,
    A_OUT_BYTES,
    A_IN_MSG,
    A_IN_BYTES,
    A_IN_EXEC,
};

#define N A_NONE
static const uint8_t table[WG_SYSCALL_COUNT][6] = {
    [WG_SYS_LOG] = {A_IN_BYTES, A_LEN},
    [WG_SYS_SLEEP] = {A_TIMEOUT},
    [WG_SYS_SPACE_CREATE] = {A_SPACE, A_FLAGS},
    [WG_SYS_SPACE_DESTROY] = {A_SPACE, A_HANDLE},
    [WG_SYS_ASSET_LIST] = {A_SPACE, A_OUT_LIST, A_COUNT},
    [WG_SYS_ASSET_INFO] = {A_SPACE, A_HANDLE, A_OUT_INFO},
    [WG_SYS_ASSET_RELEASE] = {A_SPACE, A_HANDLE},
    [WG_SYS_ASSET_MOVE] = {A_SPACE, A_HANDLE, A_SPACE, A_RIGHTS},
    [WG_SYS_ASSET_COPY] = {A_SPACE, A_HANDLE, A_SPACE, A_RIGHTS},
    [WG_SYS_PMEM_CREATE] = {A_SPACE, A_PAGES, A_FLAGS, A_NUM},
    [WG_SYS_PMEM_PHYS_ADDR] = {A_SPACE, A_HANDLE},
    [WG_SYS_VMEM_MAP] = {A_SPACE, A_HANDLE, A_ADDR, A_FLAGS},
    [WG_SYS_TASK_CREATE] = {A_SPACE, A_ENTRY, A_NUM, A_NUM},
    [WG_SYS_TASK_START] = {A_SPACE, A_HANDLE},
    [WG_SYS_TASK_WAIT] = {A_SPACE, A_HANDLE, A_TIMEOUT},
    [WG_SYS_TASK_KILL] = {A_SPACE, A_HANDLE},
    [WG_SYS_TASK_SET_PRIORITY] = {A_SPACE, A_HANDLE, A_PRIO},
    [WG_SYS_TASK_SET_AFFINITY] = {A_SPACE, A_HANDLE, A_NUM},
    [WG_SYS_EXEC] = {A_SPACE, A_IN_BYTES, A_LEN, A_IN_EXEC},
    [WG_SYS_SYSTEM_INFO] = {A_OUT_SYS},
    [WG_SYS_IPC_SERVER_CREATE] = {A_SPACE, A_FLAGS, A_OUT_U64},
    [WG_SYS_IPC_CONNECT] = {A_SPACE, A_ADDRESS},
    [WG_SYS_IPC_ACCEPT] = {A_SPACE, A_HANDLE, A_TIMEOUT},
    [WG_SYS_IPC_WAIT_ACCEPT] = {A_SPACE, A_HANDLE, A_TIMEOUT},
    [WG_SYS_IPC_SEND] = {A_SPACE, A_HANDLE, A_IN_MSG, A_FLAGS},
    [WG_SYS_IPC_RECEIVE_REPLY] = {A_SPACE, A_HANDLE, A_NUM, A_OUT_MSG, A_TIMEOUT},
    [WG_SYS_IPC_CALL] = {A_SPACE, A_HANDLE, A_IN_MSG, A_OUT_MSG, A_TIMEOUT},
    [WG_SYS_IPC_RECEIVE] = {A_SPACE, A_HANDLE, A_OUT_MSG, A_TIMEOUT},
    [WG_SYS_IPC_REPLY] = {A_SPACE, A_HANDLE, A_NUM, A_IN_MSG},
    [WG_SYS_IRQ_CREATE] = {A_SPACE, A_NUM},
    [WG_SYS_IRQ_BIND] = {A_SPACE, A_HANDLE, A_HANDLE},
    [WG_SYS_IRQ_ACK] = {A_SPACE, A_HANDLE},
    [WG_SYS_IOPORT_CREATE] = {A_SPACE, A_NUM, A_NUM},
    [WG_SYS_IOPORT_ENABLE] = {A_SPACE, A_HANDLE},
    [WG_SYS_MMIO_CREATE] = {A_SPACE, A_NUM, A_PAGES},
    [WG_SYS_SYSTEM_TASKS] = {A_OUT_TASKS, A_COUNT},
    [WG_SYS_CPU_INFO] = {A_OUT_CPU},
    [WG_SYS_ARCHIVE_LIST] = {A_OUT_BYTES, A_LEN, A_NUM},
    [WG_SYS_IPC_REPLY_RECEIVE] = {A_SPACE, A_HANDLE, A_NUM, A_IN_MSG, A_OUT_MSG, A_TIMEOUT},
    [WG_SYS_IPC_CALL_SHORT] = {A_HANDLE, A_NUM, A_NUM, A_NUM, A_NUM, A_TIMEOUT},
    [WG_SYS_IPC_REPLY_RECEIVE_SHORT] = {A_HANDLE, A_NUM, A_NUM, A_NUM, A_NUM, A_NUM},
};
#undef N

/* Our own code, where a task must not start except at a function that faults at once. */
void roles_fault_entry(void);

static uint64_t entry(void)
{
    static const uint64_t bad[] = {
        0,        1, 0x1000, 0xffff800000000000ull, 0x0000800000000000ull, 0x00007ffffffff000ull,
        FUZZ_EDGE};
    struct rng *r = &fuzz.rng;
    if (rng_chance(r, 40))
        return (uint64_t)roles_fault_entry;
    if (rng_chance(r, 20))
        return (uint64_t)args_scratch; /* not executable */
    uint64_t e = bad[rng_below(r, sizeof bad / sizeof bad[0])];
    return rng_chance(r, 70) ? e : rng_next(r) | 0x0000800000000000ull;
}

static uint64_t map_address(void)
{
    struct rng *r = &fuzz.rng;
    switch (rng_below(r, 8)) {
    case 0:
    case 1:
    case 2:
        return FUZZ_MAP_BASE + 0x10000000ull + rng_below(r, 4096) * 4096;
    case 3:
        return FUZZ_MAP_BASE + 0x10000000ull + 1 + rng_below(r, 4095);
    case 4:
        return 0x400000; /* our code: taken */
    case 5:
        return 0x800000000000ull - 4096 * rng_below(r, 3);
    default:
        return args_number() & ~0xfffull;
    }
}

static uint64_t draw(enum arg kind)
{
    struct rng *r = &fuzz.rng;
    switch (kind) {
    case A_NONE:
        return rng_chance(r, 80) ? 0 : rng_next(r);
    case A_NUM:
        return args_number();
    case A_SPACE:
        return pool_any_space();
    case A_HANDLE:
        return pool_any_handle();
    case A_TIMEOUT:
        return args_timeout();
    case A_FLAGS:
        return rng_chance(r, 70) ? rng_below(r, 16) : args_number();
    case A_COUNT:
        return rng_chance(r, 70) ? rng_below(r, 64) : args_number();
    case A_LEN:
        return rng_chance(r, 80) ? rng_below(r, 24) : args_number();
    case A_PAGES:
        return rng_chance(r, 70) ? 1 + rng_below(r, 8) : args_number();
    case A_RIGHTS:
        return rng_chance(r, 70) ? rng_below(r, 256) : args_number();
    case A_PRIO:
        return rng_chance(r, 70) ? rng_below(r, 34) : args_number();
    case A_ENTRY:
        return entry();
    case A_ADDR:
        return map_address();
    case A_ADDRESS:
        return pool_server_address();
    case A_OUT_INFO:
        return args_pointer(PTR_OUT, sizeof(struct wg_asset_info));
    case A_OUT_LIST:
        return args_pointer(PTR_OUT, 64 * sizeof(struct wg_asset_info));
    case A_OUT_TASKS:
        return args_pointer(PTR_OUT, 64 * sizeof(struct wg_task_info));
    case A_OUT_SYS:
        return args_pointer(PTR_OUT, sizeof(struct wg_system_info));
    case A_OUT_CPU:
        return args_pointer(PTR_OUT, sizeof(struct wg_cpu_info));
    case A_OUT_MSG:
        return args_pointer(PTR_OUT, sizeof(struct wg_message));
    case A_OUT_U64:
        return args_pointer(PTR_OUT, 8);
    case A_OUT_BYTES:
        return args_pointer(PTR_OUT, 64);
    case A_IN_MSG:
        return args_pointer(PTR_IN_MSG, sizeof(struct wg_message));
    case A_IN_BYTES:
        return args_pointer(PTR_IN_BYTES, 64);
    case A_IN_EXEC:
        return args_pointer(PTR_IN_EXEC, sizeof(struct wg_exec_args));
    }
    return 0;
}

/* IPC_REPLY_RECEIVE_SHORT waits for ever: never on a live server (op_short in ops_short.c
 * calls it where a message is sure to be queued). */
static bool waits_for_ever(uint64_t number, const uint64_t args[6])
{
    struct wg_asset_info *info = (struct wg_asset_info *)args_scratch;
    return number == WG_SYS_IPC_REPLY_RECEIVE_SHORT &&
           raw_call6(WG_SYS_ASSET_INFO, WG_SELF, args[0], (uint64_t)info, 0, 0, 0).err ==
               WG_ERR_OK &&
           info->kind == WG_ASSET_IPC_SERVER;
}

/* Makes the call harmless to the worker itself; false to skip it. */
static bool make_safe(uint64_t number, uint64_t args[6])
{
    if (number == WG_SYS_TASK_EXIT || waits_for_ever(number, args))
        return false;
    if (number >= WG_SYSCALL_COUNT)
        return true;
    const uint8_t *kinds = table[number];
    for (int i = 1; i < 6; i++)
        if (kinds[i] == A_HANDLE && protect_has(args[i]))
            args[i] = 0; /* our own code, stack or task: never released, moved or killed */
    /* ASSET_LIST and SYSTEM_TASKS write at most 64 entries into our scratch. */
    if (kinds[2] == A_COUNT && args[2] > 64 && args[2] <= 4096 &&
        args[1] >= (uint64_t)args_scratch && args[1] < (uint64_t)args_scratch + sizeof args_scratch)
        args[2] = 64;
    if (kinds[1] == A_COUNT && args[1] > 64 && args[1] <= 1024 &&
        args[0] >= (uint64_t)args_scratch && args[0] < (uint64_t)args_scratch + sizeof args_scratch)
        args[1] = 64;
    return true;
}

static enum pool_kind kind_made(uint64_t number)
{
    switch (number) {
    case WG_SYS_SPACE_CREATE:
        return POOL_SPACE;
    case WG_SYS_PMEM_CREATE:
        return POOL_PMEM;
    case WG_SYS_VMEM_MAP:
        return POOL_VMEM;
    case WG_SYS_TASK_CREATE:
    case WG_SYS_EXEC:
        return POOL_TASK;
    case WG_SYS_IPC_SERVER_CREATE:
        return POOL_SERVER;
    case WG_SYS_IPC_CONNECT:
        return POOL_CONNECTION;
    case WG_SYS_IPC_ACCEPT:
        return POOL_ACCEPTED;
    default:
        return POOL_OTHER;
    }
}

/* Keeps what the call made when it lives in our own space (else it goes with its space). */
static void keep(uint64_t number, const uint64_t args[6], struct raw_result result)
{
    static const uint8_t makes[WG_SYSCALL_COUNT] = {
        [WG_SYS_SPACE_CREATE] = 1,  [WG_SYS_PMEM_CREATE] = 1, [WG_SYS_VMEM_MAP] = 1,
        [WG_SYS_TASK_CREATE] = 1,   [WG_SYS_EXEC] = 1,        [WG_SYS_IPC_SERVER_CREATE] = 1,
        [WG_SYS_IPC_CONNECT] = 1,   [WG_SYS_IPC_ACCEPT] = 1,  [WG_SYS_TASK_SELF] = 1,
        [WG_SYS_ASSET_COPY] = 1,    [WG_SYS_ASSET_MOVE] = 1,  [WG_SYS_IRQ_CREATE] = 1,
        [WG_SYS_IOPORT_CREATE] = 1, [WG_SYS_MMIO_CREATE] = 1};
    if (result.err != WG_ERR_OK || number >= WG_SYSCALL_COUNT || !makes[number])
        return;
    if (number == WG_SYS_TASK_SELF) {
        protect_add(result.value); /* names the worker's main task */
        return;
    }
    bool in_self =
        number == WG_SYS_EXEC ||
        ((number == WG_SYS_ASSET_COPY || number == WG_SYS_ASSET_MOVE) ? args[2] == WG_SELF
                                                                      : args[0] == WG_SELF);
    if (!in_self)
        return;
    /* Big memory goes at once, so a seed cannot starve the rest of the system. */
    if (number == WG_SYS_PMEM_CREATE && args[1] > 64) {
        raw_call6(WG_SYS_ASSET_RELEASE, WG_SELF, result.value, 0, 0, 0, 0);
        return;
    }
    uint64_t extra = 0;
    if (number == WG_SYS_IPC_SERVER_CREATE && args[2] >= (uint64_t)args_scratch &&
        args[2] - (uint64_t)args_scratch <= sizeof args_scratch - 8)
        memcpy(&extra, (const void *)args[2], 8);
    enum pool_kind kind = kind_made(number);
    if (number == WG_SYS_SPACE_CREATE && (args[1] & WG_SPACE_SHARE_MEMORY))
        kind = POOL_SHARED;
    pool_put(kind, result.value, extra);
}

void calls_random(void)
{
    struct rng *r = &fuzz.rng;
    uint64_t number = rng_chance(r, 95)   ? rng_below(r, WG_SYSCALL_COUNT)
                      : rng_chance(r, 50) ? WG_SYSCALL_COUNT + rng_below(r, 16)
                                          : rng_next(r);
    uint64_t args[6];
    for (int i = 0; i < 6; i++)
        args[i] = draw(number < WG_SYSCALL_COUNT ? (enum arg)table[number][i] : A_NUM);
    if (!make_safe(number, args))
        return;
    struct raw_result result = raw_call(number, args);
    if (number >= WG_SYSCALL_COUNT && result.err != WG_ERR_NOT_SUPPORTED)
        fuzz_fail("syscall %#llx gave %s, not NOT_SUPPORTED", (unsigned long long)number,
                  wg_error_name(result.err));
    keep(number, args, result);
}
