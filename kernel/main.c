/* kernel_main: the generic kernel's boot sequence. */
#include "kernel/kernel.h"
#include "kernel/arch.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory.h"
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

static __attribute__((noreturn)) void idle_forever(void)
{
    log_info("WingOS: kernel ready; no userspace yet. Ctrl-A X leaves QEMU.");
    for (;;)
        arch_wait_for_interrupt();
}

void kernel_main(struct boot_info *info)
{
    log_info("WingOS: kernel main reached (cmdline \"%s\")", info->cmdline);
    apply_log_level(info->cmdline);
    log_memory_map(info);
    memory_init(info);
    arch_paging_init(info);
    kmalloc_init();
    log_info("memory: %lu KiB free of %lu KiB managed", memory_free_page_count() * 4,
             memory_total_page_count() * 4);

    char only[64];
    if (cmdline_get(info->cmdline, "test", only, sizeof(only)))
        ktest_run(only);
    idle_forever();
}
