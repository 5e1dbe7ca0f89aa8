/* shutdown and reboot: the SYSTEM_POWER syscall (init gives the shell WG_SPACE_POWER). */
#pragma once

void power_shutdown(int argc, char **argv);
void power_reboot(int argc, char **argv);
