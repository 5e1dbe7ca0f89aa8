/* In-kernel tests of SMP, NUMA and the scheduler. The harness boots them in several machine
 * shapes and says what it configured on the command line ("topo=CPUS,NODES,REMOTE_DISTANCE
 * topo_mem=MIB"), so the topology test checks exactly what QEMU was told. */
#include "kernel/arch.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/test/ktest.h"
#include "kernel/test/ktest_util.h"

#define MS 1000000UL

KTEST(topology_matches_configuration)
{
    unsigned expected[3] = {0};
    unsigned total_mib = 0;
    if (!ktest_cmdline_numbers("topo", expected, 3)) {
        KEXPECT(!"the harness gives topo=CPUS,NODES,DISTANCE");
        return;
    }
    ktest_cmdline_numbers("topo_mem", &total_mib, 1);
    KEXPECT(cpu_count == expected[0]);
    for (unsigned i = 0; i < cpu_count; i++)
        KEXPECT(cpus[i].online);
    KEXPECT(machine_tree.node_count == expected[1]);
    for (unsigned a = 0; a < machine_tree.node_count; a++)
        for (unsigned b = 0; b < machine_tree.node_count; b++)
            KEXPECT(machine_tree.distance[a][b] == (a == b ? 10 : expected[2]));
    for (unsigned i = 0; i < cpu_count; i++)
        KEXPECT(cpus[i].node == (expected[1] > 1 ? i * expected[1] / cpu_count : 0));
    if (total_mib == 0 || expected[1] < 2)
        return;
    uint64_t per_node_kib = (uint64_t)total_mib * 1024 / expected[1];
    for (unsigned node = 0; node < expected[1]; node++) {
        uint64_t kib = ktest_node_managed_pages(node) * 4;
        log_raw("ktest:   node %u manages %lu KiB (expected about %lu)\n", node, kib, per_node_kib);
        KEXPECT(kib <= per_node_kib && kib + 4096 >= per_node_kib);
    }
}

/* ---- Tasks that record where they run. ---- */

struct probe {
    volatile unsigned iterations;
    volatile cpu_mask_t seen;
    volatile bool wrong_cpu;
    unsigned expected_cpu; /* UINT32_MAX: any */
};

static void probe_entry(void *arg)
{
    struct probe *probe = arg;
    for (unsigned i = 0; i < probe->iterations; i++) {
        unsigned here = this_cpu()->index;
        probe->seen |= 1ULL << here;
        if (probe->expected_cpu != UINT32_MAX && here != probe->expected_cpu)
            probe->wrong_cpu = true;
        if (i % 4 == 3)
            sleep_ns(MS / 2);
        else
            sched_yield();
    }
}

KTEST(every_cpu_runs_work)
{
    struct probe probes[MAX_CPUS] = {0};
    struct task *tasks[MAX_CPUS] = {0};
    for (unsigned i = 0; i < cpu_count; i++) {
        probes[i] = (struct probe){.iterations = 40, .expected_cpu = i};
        tasks[i] = ktest_spawn("pinned", probe_entry, &probes[i], 0, 1ULL << i);
    }
    cpu_mask_t seen = 0;
    for (unsigned i = 0; i < cpu_count; i++) {
        KEXPECT(ktest_join(tasks[i]) == WG_ERR_OK);
        KEXPECT(probes[i].seen == (1ULL << i));
        KEXPECT(!probes[i].wrong_cpu);
        seen |= probes[i].seen;
    }
    KEXPECT(seen == (cpu_count == 64 ? ~0ULL : (1ULL << cpu_count) - 1));
}

/* Busy tasks started without affinity land one per CPU: the least-loaded CPU wins. The boot
 * task keeps its own CPU busy meanwhile, so no idle CPU steals a task before it starts. */
struct busy {
    volatile int cpu;
    volatile bool *stop;
};

static void busy_entry(void *arg)
{
    struct busy *b = arg;
    b->cpu = (int)this_cpu()->index;
    while (!*b->stop)
        arch_cpu_relax();
}

KTEST(unpinned_tasks_spread_over_cpus)
{
    volatile bool stop = false;
    struct busy busy[MAX_CPUS];
    struct task *tasks[MAX_CPUS];
    unsigned count = cpu_count > 1 ? cpu_count - 1 : 1; /* the boot task fills one CPU */
    for (unsigned i = 0; i < count; i++) {
        busy[i] = (struct busy){-1, &stop};
        tasks[i] = ktest_spawn("busy", busy_entry, &busy[i], 0, 0);
    }
    uint64_t deadline = arch_clock_ns() + 5000 * MS;
    cpu_mask_t seen = 0;
    for (unsigned i = 0; i < count; i++) {
        while (busy[i].cpu < 0 && arch_clock_ns() < deadline)
            sched_yield();
        if (busy[i].cpu >= 0)
            seen |= 1ULL << busy[i].cpu;
    }
    stop = true;
    for (unsigned i = 0; i < count; i++)
        KEXPECT(ktest_join(tasks[i]) == WG_ERR_OK);
    unsigned distinct = 0;
    for (cpu_mask_t rest = seen; rest; rest &= rest - 1)
        distinct++;
    log_raw("ktest:   %u busy tasks ran on %u distinct CPUs\n", count, distinct);
    KEXPECT(distinct == count);
}

KTEST(pinned_task_stays_and_affinity_migrates)
{
    unsigned last = cpu_count - 1;
    struct probe probe = {.iterations = 200, .expected_cpu = last};
    struct task *task = ktest_spawn("pinned", probe_entry, &probe, 0, 1ULL << last);
    KEXPECT(ktest_join(task) == WG_ERR_OK);
    KEXPECT(!probe.wrong_cpu && probe.seen == 1ULL << last);

    /* Moving a running task: it must end up on the new CPU and stay there. */
    struct probe moving = {.iterations = 400, .expected_cpu = UINT32_MAX};
    task = ktest_spawn_held("mover", probe_entry, &moving, 0, 1ULL << last);
    task_start(task);
    sleep_ns(2 * MS);
    KEXPECT(task_set_affinity(task, 1ULL) == WG_ERR_OK);
    sleep_ns(2 * MS);
    cpu_mask_t before = moving.seen;
    moving.seen = 0;
    KEXPECT(task_join(task, 10000 * MS, NULL) == WG_ERR_OK);
    KEXPECT(before & (1ULL << last));
    KEXPECT(moving.seen == 0 || moving.seen == 1ULL);
    KEXPECT(task_set_affinity(task, 0) == WG_ERR_INVALID_ARGUMENT);
    task_put(task);
}
