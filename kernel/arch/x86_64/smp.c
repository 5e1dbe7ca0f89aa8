/* Starting the application processors: INIT, then STARTUP twice (as the SDM's MP protocol
 * describes), one CPU at a time. The generic kernel decides which CPUs to start and gives
 * each its idle task's stack (kernel/sched/cpu.c); here is only the x86 protocol. Each AP
 * enters through the trampoline on that stack, sets up its own tables, APIC and tick, and
 * settles into its idle loop. */
#include "msr.h"
#include "percpu.h"
#include "lapic.h"
#include "time.h"
#include "kernel/arch.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "lib/string.h"

#define TRAMPOLINE_PHYS  0x8000
#define AP_START_WAIT_US 200000

struct trampoline_params {
    uint64_t cr3, efer, stack, cpu, entry;
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
void ap_entry(struct arch_cpu *arch);

static uint64_t start_tree; /* between arch_cpu_start_prepare and arch_cpu_start_finish */

void ap_entry(struct arch_cpu *arch)
{
    percpu_init(cpu_block(arch->index), arch->index, arch); /* GS first: the rest needs it */
    arch_paging_activate(arch_paging_kernel_root());
    lapic_init_cpu();
    lapic_timer_start();
    __atomic_store_n(&arch->online, true, __ATOMIC_RELEASE);
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

enum wg_error arch_cpu_start_prepare(void)
{
    start_tree = boot_tree();
    if (!start_tree)
        return WG_ERR_NO_MEMORY;
    memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start,
           (size_t)(trampoline_end - trampoline_start));
    return WG_ERR_OK;
}

static bool start_one(struct arch_cpu *arch, uintptr_t stack_top)
{
    struct trampoline_params *params =
        phys_to_virt(TRAMPOLINE_PHYS + (uint64_t)(trampoline_params - trampoline_start));
    *params = (struct trampoline_params){
        .cr3 = start_tree,
        .efer = rdmsr(MSR_EFER) & ((1ULL << 8) | EFER_NXE),
        .stack = stack_top,
        .cpu = (uint64_t)arch,
        .entry = (uint64_t)ap_entry,
    };
    lapic_send_init(arch->apic_id);
    delay_us(10000);
    for (int attempt = 0; attempt < 2 && !arch->online; attempt++) {
        lapic_send_startup(arch->apic_id, TRAMPOLINE_PHYS >> 12);
        for (uint64_t waited = 0; waited < AP_START_WAIT_US && !arch->online; waited += 100)
            delay_us(100);
    }
    return arch->online;
}

bool arch_cpu_start(unsigned index, uint32_t apic_id, uintptr_t stack_top)
{
    struct arch_cpu *arch = index < ARCH_MAX_CPUS ? kcalloc(1, sizeof(*arch)) : NULL;
    if (arch) {
        arch->apic_id = apic_id;
        percpu_register(index, arch);
        if (start_one(arch, stack_top))
            return true;
    }
    /* INIT again: a CPU that answers late must not run on the parameter block (and page
     * tables) meant for the next one. */
    lapic_send_init(apic_id);
    return false;
}

void arch_cpu_start_finish(void)
{
    arch_paging_unmap(start_tree, TRAMPOLINE_PHYS);
    arch_paging_destroy_root(start_tree);
    start_tree = 0;
}
