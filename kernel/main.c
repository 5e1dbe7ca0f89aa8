/* kernel_main: the generic kernel's boot sequence. */
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/platform.h"
#include "kernel/sched/sched.h"
#include "kernel/test/kbench.h"
#include "kernel/test/ktest.h"

static void apply_log_level(const char *cmdline)
{
    char level[16];
    if (!cmdline_get(cmdline, "loglevel", level, sizeof(level)))
        return;
    if (level[0] == 'd')
        log_set_level(LOG_DEBUG);
    else if (level[0] == 'w')
        log_set_level(LOG_WARN);
    else if (level[0] == 'e')
        log_set_level(LOG_ERROR);
}

static void log_memory_map(const struct boot_info *info)
{
    static const char *const types[] = {"usable", "reserved", "ACPI reclaimable", "ACPI NVS",
                                        "bad"};
    for (size_t i = 0; i < info->memory_count; i++)
        log_debug("  %016lx-%016lx %s", info->memory[i].base,
                  info->memory[i].base + info->memory[i].length, types[info->memory[i].type]);
}

static void log_topology(void)
{
    for (unsigned i = 0; i < cpu_count; i++)
        log_info("cpu %u: APIC %u, node %u%s", i, cpus[i].apic_id, cpus[i].node,
                 cpus[i].online ? "" : " (offline)");
    for (unsigned a = 0; a < machine_tree.node_count; a++)
        for (unsigned b = 0; b < machine_tree.node_count; b++)
            log_debug("distance %u -> %u: %u", a, b, machine_tree.distance[a][b]);
}

void kernel_main(struct boot_info *info)
{
    log_info("WingOS: kernel main reached (cmdline \"%s\")", info->cmdline);
    apply_log_level(info->cmdline);
    log_memory_map(info);
    platform_discover(info->cmdline);
    platform_assign_cpus(arch_boot_cpu_id());
    memory_init(info);
    arch_paging_init(info);
    kmalloc_init();
    arch_interrupts_init();
    kstack_init();
    sched_init_boot_cpu();
    arch_timer_start();
    arch_irq_enable();
    arch_start_cpus();
    log_topology();
    log_info("memory: %lu KiB free of %lu KiB managed", memory_free_page_count() * 4,
             memory_total_page_count() * 4);

    if (cmdline_get(info->cmdline, "bench", NULL, 0))
        kbench_run();
    char only[64];
    if (cmdline_get(info->cmdline, "test", only, sizeof(only)))
        ktest_run(only, info->cmdline);
    log_info("WingOS: kernel ready; no userspace yet. Ctrl-A X leaves QEMU.");
    task_exit(0);
}
