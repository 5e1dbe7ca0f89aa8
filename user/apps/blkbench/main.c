/* Disk benchmarks (`make bench`, docs/benchmarks.md), run by init in "bench disks" mode
 * with the disks' names (blkbench blk0 blk1). For each disk, over its first 32 MiB (the
 * bench disks are scratch images): sequential 32 KiB reads and writes with one request in
 * flight, 4 KiB random reads with 1 and with 32 in flight (a sliding window: each reply is
 * followed by the next request). One request per SUBMIT message. Each figure is one line
 * "bench: blk_OP_DRIVER median=N min=N max=N unit=tsc iters=N mb_per_s=R" (or iops=R): the
 * samples are time-stamp-counter deltas between successive completions, the rate is over the
 * whole timed run by the CLOCK syscall (guest nanoseconds). The Linux reference does the
 * same with O_DIRECT on the raw device (bench/linux/disk.c). */
#include <wingos.h>

#include <lib/samples.h>

#include "block.h"

#define REGION_SECTORS (32u * 2048u) /* 32 MiB */
#define DEPTH_MAX      32
#define WARMUP         64
#define DATA           (64u * 1024u) /* slot k's data at DATA + k * 32 KiB */
#define MAP            0x450000000000ull
#define BUFFER_PAGES   ((DATA + DEPTH_MAX * BLOCK_MAX_TRANSFER) / 4096u)

struct job {
    const char *name;
    uint32_t op, sectors;
    bool random, rate_mb;
    unsigned depth, count;
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static uint64_t lba_of(const struct job *job, unsigned i)
{
    uint64_t places = REGION_SECTORS / job->sectors;
    if (!job->random)
        return (uint64_t)(i % places) * job->sectors;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (rng % places) * job->sectors;
}

/* Request `i` of the job in slot `k`: its message id. */
static struct wg_result issue(struct block_client *c, const struct job *job, unsigned k, unsigned i)
{
    struct block_request *r = (struct block_request *)c->buffer + k;
    *r = (struct block_request){job->op,      0, lba_of(job, i),
                                job->sectors, 0, DATA + (uint64_t)k * BLOCK_MAX_TRANSFER};
    return block_submit(c, k * sizeof *r, 1);
}

static void report(const char *name, const char *driver, const struct job *job, uint64_t *samples,
                   uint64_t ns)
{
    struct samples_summary sum = samples_summarize(samples, job->count);
    uint64_t bytes = (uint64_t)job->count * job->sectors * 512, rate;
    rate = job->rate_mb ? bytes * 1000 / (ns ? ns : 1) : job->count * 1000000000ull / (ns ? ns : 1);
    printf("bench: blk_%s_%s median=%llu min=%llu max=%llu unit=tsc iters=%u %s=%llu\n", name,
           driver, (unsigned long long)sum.median, (unsigned long long)sum.min,
           (unsigned long long)sum.max, job->count, job->rate_mb ? "mb_per_s" : "iops",
           (unsigned long long)rate);
}

/* Keeps job->depth requests in flight until WARMUP + count have completed; times the last
 * count completions. */
static bool run_job(struct block_client *c, const struct job *job, uint64_t *samples, uint64_t *ns)
{
    uint64_t ids[DEPTH_MAX], last = 0, started = 0;
    unsigned total = WARMUP + job->count, sent = 0;
    for (; sent < job->depth; sent++) {
        struct wg_result r = issue(c, job, sent, sent);
        if (!wg_ok(r))
            return false;
        ids[sent] = r.value;
    }
    for (unsigned done = 0; done < total; done++) {
        unsigned k = done % job->depth;
        uint32_t count;
        if (block_wait(c, ids[k], &count) != WG_ERR_OK)
            return false;
        uint64_t now = tsc();
        if (done == WARMUP - 1)
            started = wg_clock().value;
        if (done >= WARMUP)
            samples[done - WARMUP] = now - last;
        last = now;
        if (sent < total) {
            struct wg_result r = issue(c, job, k, sent++);
            if (!wg_ok(r))
                return false;
            ids[k] = r.value;
        }
    }
    *ns = wg_clock().value - started;
    return true;
}

static const struct job jobs[] = {
    {"seq_read", BLOCK_READ, 64, false, true, 1, 512},
    {"seq_write", BLOCK_WRITE, 64, false, true, 1, 512},
    {"rand_read_qd1", BLOCK_READ, 8, true, false, 1, 1000},
    {"rand_read_qd32", BLOCK_READ, 8, true, false, 32, 2000},
};

static void bench_disk(const char *name)
{
    struct block_client c;
    enum wg_error err = block_open(name, &c);
    if (err == WG_ERR_OK && c.info.sectors < REGION_SECTORS)
        err = WG_ERR_OUT_OF_RANGE;
    if (err == WG_ERR_OK)
        err = block_attach(&c, BUFFER_PAGES, MAP);
    if (err != WG_ERR_OK) {
        printf("bench: blk_%s skipped: %s\n", name, wg_error_name(err));
        return;
    }
    uint64_t *samples = malloc(2000 * sizeof(uint64_t));
    for (unsigned j = 0; samples && j < sizeof jobs / sizeof jobs[0]; j++) {
        uint64_t ns;
        if (run_job(&c, &jobs[j], samples, &ns))
            report(jobs[j].name, c.info.driver, &jobs[j], samples, ns);
        else
            printf("bench: blk_%s_%s failed\n", jobs[j].name, c.info.driver);
    }
    free(samples);
    block_close(&c);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        bench_disk(argv[i]);
    return 0;
}
