/* Syscalls without assets: logging, time, yielding, system information. */
#include "kernel/log.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/space/asset.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

#define LOG_MAX WG_LOG_MAX

struct syscall_result sys_NULL_CALL(const struct sys_null_call_args *args)
{
    (void)args;
    return SYSCALL_OK(0);
}

struct syscall_result sys_LOG(const struct sys_log_args *args)
{
    char text[LOG_MAX];
    size_t length = args->length;
    if (length > LOG_MAX)
        return SYSCALL_ERR(WG_ERR_OUT_OF_RANGE);
    enum wg_error err = copy_from_user(text, args->text, length);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    while (length > 0 && text[length - 1] == '\n')
        length--;
    /* Every line gets the prefix, and no control character reaches the console: a program
     * must not be able to forge kernel lines (tests read them) or terminal sequences. */
    struct task *self = syscall_task();
    uint64_t space = self->space ? self->space->id : 0;
    size_t start = 0;
    for (size_t i = 0; i <= length; i++) {
        if (i < length && text[i] != '\n') {
            if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
                text[i] = '?';
            continue;
        }
        log_raw("[space %lu task %lu] %.*s\n", space, self->id, (int)(i - start), text + start);
        start = i + 1;
    }
    return SYSCALL_OK(0);
}

struct syscall_result sys_YIELD(const struct sys_yield_args *args)
{
    (void)args;
    sched_yield();
    return SYSCALL_OK(0);
}

struct syscall_result sys_SLEEP(const struct sys_sleep_args *args)
{
    sleep_ns(args->nanoseconds);
    return SYSCALL_ERR(syscall_task()->killed ? WG_ERR_KILLED : WG_ERR_OK);
}

struct syscall_result sys_CLOCK(const struct sys_clock_args *args)
{
    (void)args;
    return SYSCALL_OK(arch_clock_ns());
}

struct syscall_result sys_SYSTEM_INFO(const struct sys_system_info_args *args)
{
    struct wg_system_info info = {
        .free_pages = memory_free_page_count(),
        .total_pages = memory_total_page_count(),
        .assets = asset_count(),
        .tasks = task_count(),
        .cpus = cpu_count,
        .nodes = machine_tree.node_count,
        .uptime_ns = arch_clock_ns(),
    };
    task_reap(); /* so the counts do not include tasks merely waiting to be freed */
    info.free_pages = memory_free_page_count();
    info.tasks = task_count();
    return SYSCALL_ERR(copy_to_user(args->out, &info, sizeof(info)));
}
