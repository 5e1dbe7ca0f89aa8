/* The kernel log reader task (see klog.h). It polls: the kernel does not wake a reader from
 * inside its log calls, which may run with scheduler locks held. */
#include <console.h>
#include "klog.h"

#define KLOG_STACK_SIZE 16384
#define KLOG_POLL_NS    (20ull * 1000000ull)
#define KLOG_REFUSED_NS (1000ull * 1000000ull)
#define KLOG_CHUNK      1024

static _Alignas(16) uint8_t klog_stack[KLOG_STACK_SIZE];
static char chunk[KLOG_CHUNK];

__attribute__((noreturn)) static void reader(uint64_t address)
{
    struct wg_result connection = wg_ipc_connect(WG_SELF, address);
    if (!wg_ok(connection) ||
        !wg_ok(wg_ipc_wait_accept(WG_SELF, connection.value, WG_WAIT_FOREVER)))
        wg_task_exit(1); /* the log stays on the serial port */
    for (;;) {
        struct wg_result got = wg_klog_read(chunk, sizeof chunk);
        if (wg_ok(got) && got.value > 0)
            console_write(connection.value, chunk, got.value);
        else
            wg_sleep(wg_ok(got) ? KLOG_POLL_NS : KLOG_REFUSED_NS);
    }
}

enum wg_error klog_start(uint64_t address)
{
    uintptr_t top = (uintptr_t)(klog_stack + KLOG_STACK_SIZE) & ~(uintptr_t)15;
    struct wg_result task = wg_task_create(WG_SELF, (uintptr_t)reader, top - 8, address);
    if (!wg_ok(task))
        return task.err;
    return wg_task_start(WG_SELF, task.value).err;
}
