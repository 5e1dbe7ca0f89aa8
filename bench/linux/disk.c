/* The Linux reference's disk figures: the operations of user/apps/blkbench with O_DIRECT on
 * the raw devices, over their first 32 MiB, with the same request sizes, the same random
 * offsets (the same xorshift), one request in flight (pread/pwrite) or 32 (Linux native AIO:
 * io_submit, then one io_getevents per completion, each followed by the next request). The
 * virtio-blk driver is a module in Debian's cloud kernel: mkinitramfs.sh packs it and its
 * dependencies under /modules, loaded here in order with finit_module. NVMe is built in. */
#define _GNU_SOURCE
#include "bench/linux/disk.h"

#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench/linux/clock.h"
#include "lib/samples.h"

#define REGION_SECTORS (32u * 2048u)
#define DEPTH_MAX      32
#define WARMUP         64
#define MAX_BYTES      (32u * 1024u)

struct job {
    const char *name;
    bool write;
    uint32_t sectors;
    bool random, rate_mb;
    unsigned depth, count;
};

static const struct job jobs[] = {
    {"seq_read", false, 64, false, true, 1, 512},
    {"seq_write", true, 64, false, true, 1, 512},
    {"rand_read_qd1", false, 8, true, false, 1, 1000},
    {"rand_read_qd32", false, 8, true, false, 32, 2000},
};

static const char *const modules[] = {
    "virtio_ring",           "virtio",     "virtio_pci_modern_dev",
    "virtio_pci_legacy_dev", "virtio_pci", "virtio_blk"};

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint8_t *buffer;
static uint64_t samples[2000];

static uint64_t offset_of(const struct job *job, unsigned i)
{
    uint64_t places = REGION_SECTORS / job->sectors;
    if (!job->random)
        return (uint64_t)(i % places) * job->sectors * 512;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (rng % places) * job->sectors * 512;
}

/* One request in flight: pread/pwrite. */
static bool run_sync(int fd, const struct job *job, uint64_t *ns)
{
    uint64_t last = 0, started = 0;
    size_t bytes = job->sectors * 512u;
    for (unsigned i = 0; i < WARMUP + job->count; i++) {
        off_t at = (off_t)offset_of(job, i);
        ssize_t done = job->write ? pwrite(fd, buffer, bytes, at) : pread(fd, buffer, bytes, at);
        if (done != (ssize_t)bytes)
            return false;
        uint64_t now = clock_tsc();
        if (i == WARMUP - 1)
            started = clock_ns();
        if (i >= WARMUP)
            samples[i - WARMUP] = now - last;
        last = now;
    }
    *ns = clock_ns() - started;
    return true;
}

static bool submit(aio_context_t ctx, int fd, const struct job *job, struct iocb *cb, unsigned k,
                   unsigned i)
{
    *cb = (struct iocb){.aio_data = k,
                        .aio_lio_opcode = IOCB_CMD_PREAD,
                        .aio_fildes = (uint32_t)fd,
                        .aio_buf = (uint64_t)(uintptr_t)(buffer + k * MAX_BYTES),
                        .aio_nbytes = job->sectors * 512u,
                        .aio_offset = (int64_t)offset_of(job, i)};
    struct iocb *list[1] = {cb};
    return syscall(SYS_io_submit, ctx, 1, list) == 1;
}

/* job->depth requests in flight through Linux AIO. */
static bool run_async(int fd, const struct job *job, uint64_t *ns)
{
    aio_context_t ctx = 0;
    struct iocb cbs[DEPTH_MAX];
    unsigned total = WARMUP + job->count, sent = 0;
    uint64_t last = 0, started = 0;
    bool ok = syscall(SYS_io_setup, DEPTH_MAX, &ctx) == 0;
    for (; ok && sent < job->depth; sent++)
        ok = submit(ctx, fd, job, &cbs[sent], sent, sent);
    for (unsigned done = 0; ok && done < total; done++) {
        struct io_event event;
        ok = syscall(SYS_io_getevents, ctx, 1, 1, &event, NULL) == 1 &&
             event.res == (int64_t)(job->sectors * 512u);
        uint64_t now = clock_tsc();
        if (done == WARMUP - 1)
            started = clock_ns();
        if (done >= WARMUP)
            samples[done - WARMUP] = now - last;
        last = now;
        if (ok && sent < total)
            ok = submit(ctx, fd, job, &cbs[event.data], (unsigned)event.data, sent++);
    }
    *ns = clock_ns() - started;
    if (ctx)
        syscall(SYS_io_destroy, ctx);
    return ok;
}

static void report(const struct job *job, const char *driver, uint64_t ns)
{
    struct samples_summary sum = samples_summarize(samples, job->count);
    uint64_t bytes = (uint64_t)job->count * job->sectors * 512;
    uint64_t rate =
        job->rate_mb ? bytes * 1000 / (ns ? ns : 1) : job->count * 1000000000ull / (ns ? ns : 1);
    printf("bench: linux_blk_%s_%s median=%llu min=%llu max=%llu unit=tsc iters=%u %s=%llu\n",
           job->name, driver, (unsigned long long)sum.median, (unsigned long long)sum.min,
           (unsigned long long)sum.max, job->count, job->rate_mb ? "mb_per_s" : "iops",
           (unsigned long long)rate);
}

bool disk_wait(const char *path)
{
    for (int i = 0; i < 500 && access(path, F_OK) != 0; i++)
        usleep(10000);
    return access(path, F_OK) == 0;
}

static int open_device(const char *path)
{
    return disk_wait(path) ? open(path, O_RDWR | O_DIRECT) : -1;
}

static void bench_device(const char *path, const char *driver)
{
    int fd = open_device(path);
    if (fd < 0) {
        printf("bench: linux_blk_%s skipped: cannot open %s\n", driver, path);
        return;
    }
    for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
        uint64_t ns = 0;
        bool ok = jobs[j].depth == 1 ? run_sync(fd, &jobs[j], &ns) : run_async(fd, &jobs[j], &ns);
        if (ok)
            report(&jobs[j], driver, ns);
        else
            printf("bench: linux_blk_%s_%s failed\n", jobs[j].name, driver);
    }
    close(fd);
}

void disk_modules_load(void)
{
    char path[64];
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
        printf("bench: linux disks: cannot mount devtmpfs\n");
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        snprintf(path, sizeof path, "/modules/%s.ko", modules[i]);
        int fd = open(path, O_RDONLY);
        if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0)
            printf("bench: linux disks: cannot load %s\n", path);
        if (fd >= 0)
            close(fd);
    }
}

void disk_figures_run(void)
{
    disk_modules_load();
    if (posix_memalign((void **)&buffer, 4096, DEPTH_MAX * MAX_BYTES) != 0)
        return;
    memset(buffer, 0x5a, DEPTH_MAX * MAX_BYTES);
    bench_device("/dev/vda", "virtio");
    bench_device("/dev/nvme0n1", "nvme");
}
