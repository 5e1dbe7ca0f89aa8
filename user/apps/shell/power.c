/* shutdown and reboot (see power.h). */
#include <wingos.h>
#include "args.h"
#include "power.h"
#include "term.h"

static void power(int argc, char **argv, uint64_t action, const char *doing)
{
    if (!args_none(argc, argv))
        return;
    term_printf("%s\n", doing);
    term_flush();
    struct wg_result result = wg_system_power(action);
    term_printf("error: %s: %s\n", argv[0], wg_error_name(result.err)); /* still here */
}

void power_shutdown(int argc, char **argv)
{
    power(argc, argv, WG_POWER_OFF, "powering off");
}

void power_reboot(int argc, char **argv)
{
    power(argc, argv, WG_POWER_REBOOT, "rebooting");
}
