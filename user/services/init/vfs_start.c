/* Starting the VFS at boot (vfs_start.h): it mounts "/" from the first disk that holds an
 * ext2/ext4 file system and the boot archive at /boot; init waits until it serves, so the
 * shell finds the files. */
#include <wingos.h>
#include "vfs_start.h"

#define MS_NS       1000000ull
#define VFS_WAIT_NS (20000ull * MS_NS)

bool vfs_start(int disks, struct wg_process *process)
{
    char count[12];
    snprintf(count, sizeof count, "%d", disks);
    const char *args[] = {"vfs", count};
    enum wg_error err = wg_spawn("vfs", 2, args, process);
    uint64_t deadline = wg_clock().value + VFS_WAIT_NS;
    uint64_t address;
    while (err == WG_ERR_OK && wg_name_lookup("vfs", &address) != WG_ERR_OK) {
        if (wg_clock().value > deadline)
            err = WG_ERR_TIMED_OUT;
        else if (wg_ok(wg_process_wait(process, 0)))
            err = WG_ERR_PEER_CLOSED; /* it ended */
        wg_sleep(5 * MS_NS);
    }
    if (err != WG_ERR_OK)
        printf("init: the VFS did not start: %s\n", wg_error_name(err));
    return err == WG_ERR_OK;
}
