/* SYSTEM_POWER (power off, reboot) and KLOG_READ (the kernel log, for the console service):
 * each only for spaces granted it (WG_SPACE_POWER, WG_SPACE_KLOG). */
#include "kernel/driver/klog.h"
#include "kernel/log.h"
#include "kernel/platform.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_result sys_SYSTEM_POWER(const struct sys_system_power_args *args)
{
    if (!syscall_space()->power)
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    const struct acpi_power *power = platform_power();
    if (args->action == WG_POWER_OFF && !power->s5_valid)
        return SYSCALL_ERR(WG_ERR_NOT_SUPPORTED);
    log_info("power: %s", args->action == WG_POWER_OFF ? "off" : "rebooting");
    if (args->action == WG_POWER_OFF)
        arch_power_off(power);
    else
        arch_reboot(power);
    return SYSCALL_ERR(WG_ERR_IO_ERROR); /* the machine did not go */
}

struct syscall_result sys_KLOG_READ(const struct sys_klog_read_args *args)
{
    char text[KLOG_READ_MAX];
    size_t max = args->size < KLOG_READ_MAX ? args->size : KLOG_READ_MAX;
    if (!syscall_space()->klog)
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    if (max == 0)
        return SYSCALL_ERR(WG_ERR_INVALID_ARGUMENT);
    enum wg_error err = klog_claim(syscall_task());
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err);
    uint64_t position;
    size_t count = klog_peek(text, max, &position);
    err = copy_to_user(args->out, text, count);
    if (err != WG_ERR_OK)
        return SYSCALL_ERR(err); /* the lines stay for the next read */
    klog_consume(position, count);
    return SYSCALL_OK(count);
}
