/* User-side benchmarks (`make bench`): system-call round trip, space creation, spawning a
 * program, mapping a page. One line per figure, in the format the kernel's benchmarks use:
 * "bench: NAME median=N min=N max=N unit=cycles iters=N". */
#include <wingos.h>

#define WARMUP 200

static inline uint64_t cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Insertion sort would be too slow for 10^4 samples: a small heap sort. */
static void sort(uint64_t *v, size_t n)
{
    for (size_t start = n / 2; start-- > 0;)
        for (size_t root = start; 2 * root + 1 < n;) {
            size_t child = 2 * root + 1;
            if (child + 1 < n && compare(&v[child], &v[child + 1]) < 0)
                child++;
            if (compare(&v[root], &v[child]) >= 0)
                break;
            uint64_t t = v[root];
            v[root] = v[child];
            v[child] = t;
            root = child;
        }
    for (size_t end = n; end-- > 1;) {
        uint64_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        for (size_t root = 0; 2 * root + 1 < end;) {
            size_t child = 2 * root + 1;
            if (child + 1 < end && compare(&v[child], &v[child + 1]) < 0)
                child++;
            if (compare(&v[root], &v[child]) >= 0)
                break;
            t = v[root];
            v[root] = v[child];
            v[child] = t;
            root = child;
        }
    }
}

static void report(const char *name, uint64_t *samples, size_t count)
{
    sort(samples, count);
    printf("bench: %s median=%llu min=%llu max=%llu unit=cycles iters=%zu\n", name,
           (unsigned long long)samples[count / 2], (unsigned long long)samples[0],
           (unsigned long long)samples[count - 1], count);
}

typedef bool (*bench_step)(void);

/* Runs `step` WARMUP + iters times and reports the timed part. */
static void run(const char *name, bench_step step, size_t iters)
{
    uint64_t *samples = malloc(iters * sizeof(uint64_t));
    if (!samples)
        return;
    for (size_t i = 0; i < WARMUP + iters; i++) {
        uint64_t start = cycles();
        if (!step()) {
            printf("bench: %s failed\n", name);
            free(samples);
            return;
        }
        if (i >= WARMUP)
            samples[i - WARMUP] = cycles() - start;
    }
    report(name, samples, iters);
    free(samples);
}

static bool null_call(void)
{
    return wg_ok(wg_null_call());
}

static bool space_create_destroy(void)
{
    struct wg_result child = wg_space_create(WG_SELF, 0);
    return wg_ok(child) && wg_ok(wg_space_destroy(WG_SELF, child.value));
}

static wg_handle page;

static bool map_unmap_page(void)
{
    struct wg_result map = wg_vmem_map(WG_SELF, page, 0x500000000000ull, WG_MAP_READ);
    return wg_ok(map) && wg_ok(wg_asset_release(WG_SELF, map.value));
}

static bool spawn_hello(void)
{
    struct wg_process process;
    const char *argv[] = {"hello"};
    if (wg_spawn("hello", 1, argv, &process) != WG_ERR_OK)
        return false;
    struct wg_result status = wg_process_wait(&process, WG_WAIT_FOREVER);
    wg_process_destroy(&process);
    return wg_ok(status);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    run("syscall_null", null_call, 10000);
    run("space_create_destroy", space_create_destroy, 2000);
    struct wg_result pmem = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    if (wg_ok(pmem)) {
        page = pmem.value;
        run("map_unmap_page", map_unmap_page, 5000);
    }
    run("spawn", spawn_hello, 100);
    return 0;
}
