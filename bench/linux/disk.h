/* The Linux reference's disk figures (disk.c), run instead of figures.c when the kernel
 * command line has the word "disks". */
#pragma once

/* Loads the virtio modules from /modules, waits for /dev/vda and /dev/nvme0n1 and times
 * each like user/apps/blkbench; prints "bench: linux_blk_OP_DRIVER ..." or why not. */
void disk_figures_run(void);
