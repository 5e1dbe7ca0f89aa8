/* Scheduler benchmarks: a same-CPU context switch, and the latency of waking a task blocked
 * on another CPU. */
#include "kernel/arch.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/sched/sched.h"
#include "kernel/bench/kbench.h"

#define TOTAL (KBENCH_WARMUP + KBENCH_ITERS)

static uint64_t *samples;

struct switch_pair {
    volatile bool stop;
};

static void yield_partner(void *arg)
{
    struct switch_pair *pair = arg;
    while (!pair->stop)
        sched_yield();
}

/* One sample: a yield to the partner and its yield back, i.e. two switches; half of it. */
KBENCH(context_switch)
{
    struct switch_pair pair = {false};
    struct task *self = task_current();
    cpu_mask_t saved = self->affinity;
    unsigned cpu = this_cpu()->index;
    task_set_affinity(self, 1ULL << cpu);
    samples = kcalloc(TOTAL, sizeof(uint64_t));
    struct task *partner = kbench_spawn("partner", yield_partner, &pair, 1ULL << cpu);
    for (unsigned i = 0; i < TOTAL; i++) {
        uint64_t start = arch_cycles();
        sched_yield();
        samples[i] = (arch_cycles() - start) / 2;
    }
    pair.stop = true;
    kbench_join(partner);
    kbench_report("context_switch", samples + KBENCH_WARMUP, KBENCH_ITERS);
    kfree(samples);
    task_set_affinity(self, saved);
}

struct wake_pair {
    struct wait_queue queue;
    volatile uint64_t round;   /* bumped by the waker */
    volatile uint64_t seen;    /* last round the sleeper saw */
    volatile uint64_t woke_at; /* cycle counter when the sleeper ran again */
};

static bool round_changed(void *ctx)
{
    struct wake_pair *w = ctx;
    return w->round != w->seen;
}

static void sleeper(void *arg)
{
    struct wake_pair *w = arg;
    while (w->seen < TOTAL) {
        wait_event(&w->queue, round_changed, w, WAIT_FOREVER);
        w->woke_at = arch_cycles();
        w->seen = w->round;
    }
}

KBENCH(cross_cpu_wakeup)
{
    if (cpu_count < 2)
        return;
    struct wake_pair w = {.round = 0, .seen = 0};
    wait_queue_init(&w.queue);
    struct task *self = task_current();
    cpu_mask_t saved = self->affinity;
    task_set_affinity(self, 1ULL);
    samples = kcalloc(TOTAL, sizeof(uint64_t));
    struct task *other = kbench_spawn("sleeper", sleeper, &w, 2ULL);
    for (unsigned i = 0; i < TOTAL; i++) {
        while (w.seen != w.round) /* let it go back to sleep */
            arch_cpu_relax();
        for (volatile int spin = 0; spin < 2000; spin++) /* and really block */
            ;
        uint64_t start = arch_cycles();
        w.round++;
        wait_queue_wake_all(&w.queue);
        while (w.seen != w.round)
            arch_cpu_relax();
        samples[i] = w.woke_at - start;
    }
    kbench_join(other);
    kbench_report("cross_cpu_wakeup", samples + KBENCH_WARMUP, KBENCH_ITERS);
    kfree(samples);
    task_set_affinity(self, saved);
}
