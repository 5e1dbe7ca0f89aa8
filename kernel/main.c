/* kernel_main: the generic kernel's boot sequence. */
#include "kernel/arch.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
#include "kernel/driver/klog.h"
#include "kernel/exec/exec.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/space/space.h"
#include "lib/string.h"
#include "kernel/sched/sched.h"
#include "kernel/bench/kbench.h"
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

/* The boot archive is the first boot module (an initrd in ustar format). */
static void find_boot_archive(const struct boot_info *info)
{
    if (info->module_count == 0)
        return;
    const struct boot_module *m = &info->modules[0];
    exec_set_archive(phys_to_virt(m->phys_start), m->phys_end - m->phys_start);
    log_info("boot: archive of %lu KiB", (m->phys_end - m->phys_start) / 1024);
}

/* init gets "init" and the command line's words after the first (the kernel's path). */
static size_t init_arguments(const char *cmdline, char *out, size_t room, uint64_t *argc)
{
    size_t used = strlcpy(out, "init", room) + 1;
    *argc = 1;
    const char *p = cmdline;
    while (*p && *p != ' ')
        p++;
    while (*p && *argc < WG_EXEC_MAX_ARGS) {
        while (*p == ' ')
            p++;
        size_t length = 0;
        while (p[length] && p[length] != ' ')
            length++;
        if (length == 0 || used + length + 1 > room)
            break;
        memcpy(out + used, p, length);
        out[used + length] = '\0';
        used += length + 1;
        (*argc)++;
        p += length;
    }
    return used;
}

/* Starts init in the root space and waits for it. */
static int64_t run_init(const char *cmdline)
{
    char strings[WG_EXEC_ARG_MAX_SIZE];
    uint64_t argc;
    size_t size = init_arguments(cmdline, strings, sizeof(strings), &argc);
    struct space_result root = space_create_root();
    if (root.err != WG_ERR_OK)
        panic("init: cannot create the root space: %s", wg_error_name(root.err));
    struct task_result init = exec_load(root.space, "init", strings, size, argc);
    if (init.err != WG_ERR_OK) {
        log_error("init: cannot load: %s", wg_error_name(init.err));
        return -1;
    }
    init.task->started = true;
    task_start(init.task);
    int64_t status = -1;
    task_join(init.task, WAIT_FOREVER, &status);
    task_put(init.task);
    space_destroy(root.space);
    space_put(root.space);
    return status;
}

void kernel_main(struct boot_info *info)
{
    log_set_output(klog_write); /* the console service may take the log over later */
    log_info("WingOS: kernel main reached (cmdline \"%s\")", info->cmdline);
    apply_log_level(info->cmdline);
    log_memory_map(info);
    platform_discover(info->cmdline);
    platform_assign_cpus(arch_boot_cpu_id());
    cpu_init_all();
    memory_init(info);
    arch_paging_init(info);
    kmalloc_init();
    arch_interrupts_init();
    kstack_init();
    sched_init_boot_cpu();
    arch_timer_start();
    arch_irq_enable();
    cpu_start_others();
    log_topology();
    log_info("memory: %lu KiB free of %lu KiB managed", memory_free_page_count() * 4,
             memory_total_page_count() * 4);

    find_boot_archive(info);
    if (cmdline_get(info->cmdline, "bench", NULL, 0)) {
        kbench_run();
        if (exec_have_archive())
            run_init(info->cmdline); /* init runs the user-side benchmarks */
        kbench_finish();
    }
    char only[64];
    if (cmdline_get(info->cmdline, "test", only, sizeof(only)))
        ktest_main(only, info->cmdline, run_init);
    if (!exec_have_archive()) {
        log_warn("WingOS: no boot archive, so no userspace. Ctrl-A X leaves QEMU.");
        task_exit(0);
    }
    int64_t status = run_init(info->cmdline);
    log_warn("WingOS: init exited with %ld", status);
    task_exit(0);
}
