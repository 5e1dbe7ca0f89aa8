/* The benchmark runner and its report. */
#include "kernel/bench/kbench.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/test/ktest.h"
#include "lib/samples.h"

extern const struct kbench __kbenches_start[], __kbenches_end[];

void kbench_report(const char *name, uint64_t *samples, size_t count)
{
    if (count == 0) {
        log_raw("bench: %s no samples\n", name);
        return;
    }
    struct samples_summary sum = samples_summarize(samples, count);
    log_raw("bench: %s median=%lu min=%lu max=%lu unit=tsc iters=%zu\n", name, sum.median, sum.min,
            sum.max, count);
}

struct task *kbench_spawn(const char *name, void (*entry)(void *), void *arg, cpu_mask_t affinity)
{
    struct task_params params = {name, entry, arg, 0, affinity};
    struct task_result result = task_create(&params);
    if (result.err != WG_ERR_OK)
        panic("kbench: cannot create task %s: %s", name, wg_error_name(result.err));
    task_start(result.task);
    return result.task;
}

void kbench_join(struct task *task)
{
    task_join(task, WAIT_FOREVER, NULL);
    task_put(task);
}

void kbench_run(void)
{
    for (const struct kbench *b = __kbenches_start; b < __kbenches_end; b++)
        b->fn();
}

void kbench_finish(void)
{
    log_raw("bench: done\n");
    arch_test_exit(KTEST_EXIT_PASS);
    arch_halt_all();
}
