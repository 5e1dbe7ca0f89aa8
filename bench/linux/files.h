/* The Linux reference's file figures (files.c), run instead of figures.c when the kernel
 * command line has the word "files". */
#pragma once

/* Mounts the ext2 image on /dev/vda at /mnt and times each operation like
 * user/apps/fsbench; prints "bench: linux_fs_OP ..." or why not. */
void files_figures_run(void);
