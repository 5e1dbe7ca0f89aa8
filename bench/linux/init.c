/* The Linux reference for `make bench` (docs/benchmarks.md): the only file of an initramfs,
 * run as /init by Debian's cloud kernel under the QEMU settings WingOS's benchmarks use. It
 * makes a console, times the closest Linux equivalents of WingOS's figures (figures.c, or
 * disk.c when the command line says "disks", files.c when it says "files"),
 * prints them in WingOS's format ("bench: linux_NAME median=N ... unit=tsc iters=N"), then
 * powers the machine off. A host program: built with the host's gcc -static and its libc. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bench/linux/disk.h"
#include "bench/linux/figures.h"
#include "bench/linux/files.h"

/* The initramfs holds nothing but /init, so /dev/console is made here: 5,1 is its number. */
static void open_console(void)
{
    mkdir("/dev", 0755);
    mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0)
        return; /* nowhere to print: the runner will say the figures are missing */
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
    setvbuf(stdout, NULL, _IOLBF, 0);
}

/* The kernel passes unknown command-line words to init: "disks" selects the disk figures
 * (tools/bench.sh's second Linux boot, with the disks attached), "files" the file figures
 * (the third, with an ext2 image). */
int main(int argc, char **argv)
{
    bool disks = argc > 1 && strcmp(argv[argc - 1], "disks") == 0;
    bool files = argc > 1 && strcmp(argv[argc - 1], "files") == 0;
    open_console();
    printf("bench: linux reference starting\n");
    if (disks)
        disk_figures_run();
    else if (files)
        files_figures_run();
    else
        figures_run();
    printf("bench: done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0; /* not reached: init exiting would panic the kernel */
}
