/* Starting the application processors: INIT, then STARTUP twice (as the SDM's MP protocol
 * describes), one CPU at a time. Each AP enters through the trampoline on the stack of its
 * idle task, sets up its own tables, APIC and tick, and settles into its idle loop. */
#include "smp.h"
#include "msr.h"
#include "percpu.h"
#include "lapic.h"
#include "time.h"
#include "kernel/arch.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/cpu.h"
#include "kernel/sched/task.h"
#include "lib/string.h"

#define TRAMPOLINE_PHYS  0x8000
#define AP_START_WAIT_US 200000

struct trampoline_params {
    uint64_t cr3, efer, stack, cpu, entry;
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
void ap_entry(struct cpu *cpu);

void ap_entry(struct cpu *cpu)
{
    percpu_init(cpu, cpu->index, arch_cpu_of(cpu->index)); /* GS first: the rest needs it */
    arch_paging_activate(arch_paging_kernel_root());
    lapic_init_cpu();
    lapic_timer_start();
    __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
    sched_run_idle();
}

/* A throw-away tree: the kernel half plus the trampoline page identity-mapped, since the AP
 * turns paging on while still running from that low page. */
static uint64_t boot_tree(void)
{
    struct arch_root_result tree = arch_paging_create_root();
    if (tree.err != WG_ERR_OK ||
        arch_paging_map(tree.root, TRAMPOLINE_PHYS, TRAMPOLINE_PHYS,
                        ARCH_MAP_READ | ARCH_MAP_WRITE | ARCH_MAP_EXEC) != WG_ERR_OK)
        return 0;
    return tree.root;
}

static bool start_one(struct cpu *cpu, uint64_t tree)
{
    struct arch_cpu *arch = kcalloc(1, sizeof(*arch));
    if (!arch)
        return false;
    percpu_register(cpu->index, arch);
    sched_prepare_cpu(cpu);
    struct trampoline_params *params =
        phys_to_virt(TRAMPOLINE_PHYS + (uint64_t)(trampoline_params - trampoline_start));
    *params = (struct trampoline_params){
        .cr3 = tree,
        .efer = rdmsr(MSR_EFER) & ((1ULL << 8) | EFER_NXE),
        .stack = cpu->idle->stack.top,
        .cpu = (uint64_t)cpu,
        .entry = (uint64_t)ap_entry,
    };
    lapic_send_init(cpu->apic_id);
    delay_us(10000);
    for (int attempt = 0; attempt < 2 && !cpu->online; attempt++) {
        lapic_send_startup(cpu->apic_id, TRAMPOLINE_PHYS >> 12);
        for (uint64_t waited = 0; waited < AP_START_WAIT_US && !cpu->online; waited += 100)
            delay_us(100);
    }
    return cpu->online;
}

void smp_start_aps(void)
{
    if (cpu_count < 2)
        return;
    uint64_t tree = boot_tree();
    if (!tree) {
        log_warn("smp: no memory for the start-up page tables; running on one CPU");
        cpu_count = 1;
        return;
    }
    memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start,
           (size_t)(trampoline_end - trampoline_start));
    unsigned started = 1;
    for (unsigned i = 1; i < cpu_count; i++) {
        if (start_one(&cpus[i], tree)) {
            started++;
            continue;
        }
        /* INIT again: a CPU that answers late must not run on the parameter block (and
         * page tables) meant for the next one. */
        lapic_send_init(cpus[i].apic_id);
        log_warn("smp: CPU %u (APIC %u) did not start", i, cpus[i].apic_id);
    }
    arch_paging_unmap(tree, TRAMPOLINE_PHYS);
    arch_paging_destroy_root(tree);
    log_info("smp: %u of %u CPUs online", started, cpu_count);
}
