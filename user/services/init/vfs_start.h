/* The VFS service at boot (user/services/vfs). */
#pragma once

#include <wingos.h>

/* Starts the VFS over `disks` block devices and waits until it serves; false (logged) if it
 * does not. */
bool vfs_start(int disks, struct wg_process *process);
