/* The Linux reference's disk figures (disk.c), run instead of figures.c when the kernel
 * command line has the word "disks". */
#pragma once

#include <stdbool.h>

/* Mounts devtmpfs at /dev and loads the virtio modules from /modules, in order. */
void disk_modules_load(void);
/* Waits up to 5 s for the device node `path` (drivers probe asynchronously). */
bool disk_wait(const char *path);

/* Loads the virtio modules from /modules, waits for /dev/vda and /dev/nvme0n1 and times
 * each like user/apps/blkbench; prints "bench: linux_blk_OP_DRIVER ..." or why not. */
void disk_figures_run(void);
