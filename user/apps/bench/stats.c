/* The timing loop and the report line of the user-side benchmarks. */
#include "bench.h"

#include <lib/samples.h>

void bench_report(const char *name, uint64_t *samples, size_t count, const char *extra)
{
    struct samples_summary sum = samples_summarize(samples, count);
    printf("bench: %s median=%llu min=%llu max=%llu unit=tsc iters=%zu%s%s\n", name,
           (unsigned long long)sum.median, (unsigned long long)sum.min, (unsigned long long)sum.max,
           count, extra ? " " : "", extra ? extra : "");
}

void bench_run(const char *name, bench_step step, size_t iters)
{
    uint64_t *samples = malloc(iters * sizeof(uint64_t));
    if (!samples) {
        printf("bench: %s failed: no memory\n", name);
        return;
    }
    for (size_t i = 0; i < BENCH_WARMUP + iters; i++) {
        uint64_t start = bench_tsc();
        if (!step()) {
            printf("bench: %s failed\n", name);
            free(samples);
            return;
        }
        if (i >= BENCH_WARMUP)
            samples[i - BENCH_WARMUP] = bench_tsc() - start;
    }
    bench_report(name, samples, iters, NULL);
    free(samples);
}

bool bench_pin(unsigned cpu)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    if (cpu != BENCH_ANY_CPU && cpu >= info.cpus)
        return false;
    struct wg_result self = wg_task_self();
    uint64_t mask = cpu == BENCH_ANY_CPU ? UINT64_MAX : 1ull << cpu;
    bool ok = wg_ok(self) && wg_ok(wg_task_set_affinity(WG_SELF, self.value, mask));
    if (wg_ok(self))
        wg_asset_release(WG_SELF, self.value);
    return ok;
}
