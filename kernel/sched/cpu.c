/* The scheduler's CPUs: their per-CPU blocks, made from the platform's CPU tree, and the
 * start of the other CPUs, which decides what to start and leaves the protocol to the arch
 * (arch_cpu_start). Also the per-CPU up-calls the arch makes (kernel/arch.h). */
#include "kernel/sched/cpu.h"
#include "kernel/log.h"
#include "kernel/sched/sched.h"

void cpu_init_all(void)
{
    cpu_count = machine_tree.cpu_count;
    for (unsigned i = 0; i < cpu_count; i++) {
        cpus[i].index = i;
        cpus[i].apic_id = platform_cpu_apic_id(i);
        cpus[i].node = machine_tree.cpu_node[i];
    }
}

struct cpu *cpu_block(unsigned index)
{
    return index < MAX_CPUS ? &cpus[index] : NULL;
}

void cpu_request_resched(void)
{
    this_cpu()->need_resched = true;
}

void cpu_start_others(void)
{
    if (cpu_count < 2)
        return;
    if (arch_cpu_start_prepare() != WG_ERR_OK) {
        log_warn("smp: no memory for the start-up page tables; running on one CPU");
        cpu_count = 1;
        return;
    }
    unsigned started = 1;
    for (unsigned i = 1; i < cpu_count; i++) {
        struct cpu *cpu = &cpus[i];
        sched_prepare_cpu(cpu);
        if (!arch_cpu_start(i, cpu->apic_id, cpu->idle->stack.top)) {
            log_warn("smp: CPU %u (APIC %u) did not start", i, cpu->apic_id);
            continue;
        }
        __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
        started++;
    }
    arch_cpu_start_finish();
    log_info("smp: %u of %u CPUs online", started, cpu_count);
}
