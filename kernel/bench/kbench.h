/* In-kernel benchmarks, run when the command line says "bench" (`make bench`). Each records
 * per-iteration time-stamp-counter deltas after a warm-up; kbench_report prints one line
 * "bench: NAME median=N min=N max=N unit=tsc iters=N" (tools/bench.sh names the unit: guest
 * instructions under QEMU's -icount, cycles under KVM; docs/benchmarks.md). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/sched/task.h"

#define KBENCH_WARMUP 1000
#define KBENCH_ITERS  10000

struct kbench {
    const char *name;
    void (*fn)(void);
};

#define KBENCH(name_)                                                                            \
    static void kbench_fn_##name_(void);                                                         \
    __attribute__((used, section(".kbenches"),                                                   \
                   aligned(8))) static const struct kbench kbench_##name_ = {#name_,             \
                                                                             kbench_fn_##name_}; \
    static void kbench_fn_##name_(void)

/* Sorts `samples` in place and prints the line. */
void kbench_report(const char *name, uint64_t *samples, size_t count);
/* Creates and starts a kernel task for a benchmark on the CPUs of `affinity`; at boot a
 * failure means a broken kernel, so it panics rather than skew the figures. */
struct task *kbench_spawn(const char *name, void (*entry)(void *), void *arg, cpu_mask_t affinity);
/* Waits for a benchmark's task to exit and drops the reference. */
void kbench_join(struct task *task);
/* Runs every kernel benchmark. */
void kbench_run(void);
/* Says so and leaves QEMU. */
__attribute__((noreturn)) void kbench_finish(void);
