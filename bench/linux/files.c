/* The Linux reference's file figures: the operations of user/apps/fsbench on the same kind of
 * ext2 image (tools/bench.sh makes it afresh), mounted at /mnt by the kernel's ext4 driver
 * (built into Debian's cloud kernel, CONFIG_EXT4_USE_FOR_EXT2) from /dev/vda: 1 MiB and 4 KiB
 * files written (open O_CREAT|O_TRUNC, write, fsync, close), read back after sync and
 * drop_caches (open, read, close), empty files created (O_CREAT|O_EXCL, close; no fsync). */
#define _GNU_SOURCE
#include "bench/linux/files.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/linux/clock.h"
#include "bench/linux/disk.h"
#include "lib/fsbench_jobs.h"
#include "lib/samples.h"

static uint8_t data[FSBENCH_MAX_SIZE];
static uint64_t samples[FSBENCH_MAX_FILES];

/* One operation on `path`; false if any call failed or moved fewer bytes. */
static bool operate(const struct fsbench_job *job, const char *path)
{
    int flags = job->op == FSBENCH_READ    ? O_RDONLY
                : job->op == FSBENCH_WRITE ? O_WRONLY | O_CREAT | O_TRUNC
                                           : O_WRONLY | O_CREAT | O_EXCL;
    int fd = open(path, flags, 0644);
    if (fd < 0)
        return false;
    bool ok = true;
    if (job->op == FSBENCH_WRITE)
        ok = write(fd, data, job->size) == (ssize_t)job->size && fsync(fd) == 0;
    else if (job->op == FSBENCH_READ)
        ok = read(fd, data, job->size) == (ssize_t)job->size;
    return close(fd) == 0 && ok;
}

static bool step(const struct fsbench_job *job, unsigned i, uint64_t *ticks)
{
    char path[64];
    snprintf(path, sizeof path, "/mnt/%s/f%u", job->dir, i);
    if (job->op == FSBENCH_WRITE)
        memset(data, fsbench_fill(i), job->size);
    uint64_t start = clock_tsc();
    bool ok = operate(job, path);
    *ticks = clock_tsc() - start;
    for (uint32_t k = 0; ok && job->op == FSBENCH_READ && k < job->size; k++)
        ok = data[k] == fsbench_fill(i);
    return ok;
}

static bool run_job(const struct fsbench_job *job)
{
    uint64_t started = 0, ticks;
    for (unsigned i = 0; i < job->warmup + job->count; i++) {
        if (i == job->warmup)
            started = clock_ns();
        if (!step(job, i, &ticks))
            return false;
        if (i >= job->warmup)
            samples[i - job->warmup] = ticks;
    }
    uint64_t ns = clock_ns() - started, bytes = (uint64_t)job->count * job->size;
    struct samples_summary sum = samples_summarize(samples, job->count);
    bool mb = job->op != FSBENCH_CREATE;
    uint64_t rate = mb ? bytes * 1000 / (ns ? ns : 1) : job->count * 1000000000ull / (ns ? ns : 1);
    printf("bench: linux_fs_%s median=%llu min=%llu max=%llu unit=tsc iters=%u %s=%llu\n",
           job->name, (unsigned long long)sum.median, (unsigned long long)sum.min,
           (unsigned long long)sum.max, job->count, mb ? "mb_per_s" : "ops_per_s",
           (unsigned long long)rate);
    return true;
}

/* Everything written, then the page, dentry and inode caches emptied: reads go to the disk. */
static bool drop_caches(void)
{
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    bool ok = fd >= 0 && write(fd, "3", 1) == 1;
    if (fd >= 0)
        close(fd);
    return ok;
}

static bool setup(void)
{
    mkdir("/proc", 0755);
    mkdir("/mnt", 0755);
    if (mount("proc", "/proc", "proc", 0, NULL) != 0 || !disk_wait("/dev/vda") ||
        mount("/dev/vda", "/mnt", "ext2", 0, NULL) != 0)
        return false;
    char path[64];
    for (size_t i = 0; i < fsbench_dir_count; i++) {
        snprintf(path, sizeof path, "/mnt/%s", fsbench_dirs[i]);
        if (mkdir(path, 0755) != 0)
            return false;
    }
    return true;
}

void files_figures_run(void)
{
    disk_modules_load();
    if (!setup()) {
        printf("bench: linux_fs skipped: cannot mount /dev/vda (ext2) at /mnt\n");
        return;
    }
    for (size_t j = 0; j < fsbench_job_count; j++) {
        bool ok = fsbench_jobs[j].op != FSBENCH_READ || fsbench_jobs[j - 1].op == FSBENCH_READ ||
                  drop_caches();
        if (!ok || !run_job(&fsbench_jobs[j]))
            printf("bench: linux_fs_%s failed\n", fsbench_jobs[j].name);
    }
    umount("/mnt");
}
