/* File system benchmarks (`make bench`, docs/benchmarks.md), run by init in "bench files"
 * mode once the VFS has mounted / from the scratch ext2 image tools/bench.sh made. Through
 * the VFS client (vfs.h) and the ext2 server: 1 MiB and 4 KiB files written (open with
 * CREATE|TRUNCATE, write, fsync, close), then read back with a cold cache (open, read,
 * close, after / was unmounted and mounted again: a fresh ext2 server), and empty files
 * created (CREATE|EXCLUSIVE, close; no fsync). Each figure is one line
 * "bench: fs_OP median=N min=N max=N unit=tsc iters=N mb_per_s=R" (or ops_per_s=R): a
 * sample is the time-stamp-counter delta of one operation, the rate is over the whole
 * timed run by the CLOCK syscall. bench/linux/files.c does the same on Linux. */
#include <wingos.h>

#include <lib/fsbench_jobs.h>
#include <lib/samples.h>

#include "vfs.h"

static uint8_t *data;
static uint64_t samples[FSBENCH_MAX_FILES];

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static enum wg_error write_file(const char *path, uint32_t size)
{
    struct vfs_open_result f =
        vfs_open(path, FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_TRUNCATE, 0644);
    if (f.err != WG_ERR_OK)
        return f.err;
    struct wg_result w = vfs_write(f.file, data, size);
    enum wg_error err = !wg_ok(w) ? w.err : w.value != size ? WG_ERR_NO_SPACE : WG_ERR_OK;
    if (err == WG_ERR_OK)
        err = vfs_fsync(f.file);
    enum wg_error closed = vfs_close(f.file);
    return err != WG_ERR_OK ? err : closed;
}

static enum wg_error read_file(const char *path, uint32_t size)
{
    struct vfs_open_result f = vfs_open(path, FS_OPEN_FLAGS_READ, 0);
    if (f.err != WG_ERR_OK)
        return f.err;
    struct wg_result r = vfs_read(f.file, data, size);
    enum wg_error err = !wg_ok(r) ? r.err : r.value != size ? WG_ERR_BAD_FORMAT : WG_ERR_OK;
    enum wg_error closed = vfs_close(f.file);
    return err != WG_ERR_OK ? err : closed;
}

static enum wg_error create_file(const char *path)
{
    struct vfs_open_result f =
        vfs_open(path, FS_OPEN_FLAGS_WRITE | FS_OPEN_FLAGS_CREATE | FS_OPEN_FLAGS_EXCLUSIVE, 0644);
    return f.err != WG_ERR_OK ? f.err : vfs_close(f.file);
}

/* Operation i of the job, timed into *ticks; a read's content is checked after the clock. */
static enum wg_error step(const struct fsbench_job *job, unsigned i, uint64_t *ticks)
{
    char path[64];
    snprintf(path, sizeof path, "/%s/f%u", job->dir, i);
    if (job->op == FSBENCH_WRITE)
        memset(data, fsbench_fill(i), job->size);
    uint64_t start = tsc();
    enum wg_error err = job->op == FSBENCH_WRITE  ? write_file(path, job->size)
                        : job->op == FSBENCH_READ ? read_file(path, job->size)
                                                  : create_file(path);
    *ticks = tsc() - start;
    for (uint32_t k = 0; err == WG_ERR_OK && job->op == FSBENCH_READ && k < job->size; k++)
        if (data[k] != fsbench_fill(i))
            err = WG_ERR_BAD_FORMAT;
    return err;
}

static enum wg_error run_job(const struct fsbench_job *job)
{
    uint64_t started = 0, ticks;
    for (unsigned i = 0; i < job->warmup + job->count; i++) {
        if (i == job->warmup)
            started = wg_clock().value;
        enum wg_error err = step(job, i, &ticks);
        if (err != WG_ERR_OK)
            return err;
        if (i >= job->warmup)
            samples[i - job->warmup] = ticks;
    }
    uint64_t ns = wg_clock().value - started, bytes = (uint64_t)job->count * job->size;
    struct samples_summary sum = samples_summarize(samples, job->count);
    bool mb = job->op != FSBENCH_CREATE;
    uint64_t rate = mb ? bytes * 1000 / (ns ? ns : 1) : job->count * 1000000000ull / (ns ? ns : 1);
    printf("bench: fs_%s median=%llu min=%llu max=%llu unit=tsc iters=%u %s=%llu\n", job->name,
           (unsigned long long)sum.median, (unsigned long long)sum.min, (unsigned long long)sum.max,
           job->count, mb ? "mb_per_s" : "ops_per_s", (unsigned long long)rate);
    return WG_ERR_OK;
}

/* Unmounts / and mounts its device again: the new ext2 server starts with an empty cache,
 * as Linux's reads start after drop_caches. */
static enum wg_error remount_root(void)
{
    static struct vfs_mount_at_response m; /* 4 KiB: not on the stack */
    enum wg_error err = vfs_sync();
    for (uint32_t i = 0; err == WG_ERR_OK; i++) {
        err = vfs_mount_at(i, &m);
        if (err == WG_ERR_OK && strcmp(m.path, "/") == 0)
            break;
    }
    if (err == WG_ERR_OK)
        err = vfs_unmount("/");
    return err == WG_ERR_OK ? vfs_mount(m.device, "/") : err;
}

static enum wg_error setup(void)
{
    char path[64];
    enum wg_error err = vfs_connect();
    for (size_t i = 0; err == WG_ERR_OK && i < fsbench_dir_count; i++) {
        snprintf(path, sizeof path, "/%s", fsbench_dirs[i]);
        err = vfs_mkdir(path, 0755);
    }
    data = malloc(FSBENCH_MAX_SIZE);
    return err == WG_ERR_OK && !data ? WG_ERR_NO_MEMORY : err;
}

int main(int argc, char **argv)
{
    (void)argc; /* init passes its own words: none matter here */
    (void)argv;
    enum wg_error err = setup();
    for (size_t j = 0; err == WG_ERR_OK && j < fsbench_job_count; j++) {
        if (fsbench_jobs[j].op == FSBENCH_READ && fsbench_jobs[j - 1].op != FSBENCH_READ)
            err = remount_root();
        if (err == WG_ERR_OK)
            err = run_job(&fsbench_jobs[j]);
        if (err != WG_ERR_OK)
            printf("bench: fs_%s failed: %s\n", fsbench_jobs[j].name, wg_error_name(err));
    }
    if (err == WG_ERR_OK)
        err = vfs_sync();
    return err == WG_ERR_OK ? 0 : 1;
}
