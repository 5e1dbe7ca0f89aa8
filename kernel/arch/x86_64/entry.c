/* First C code on the boot CPU: CPU tables, then the multiboot information translated into a
 * generic struct boot_info for kernel_main(). The loader's structures are read through the
 * boot page tables' higher-half map of the first 4 GiB, and every field is bounds-checked:
 * a loader can hand us garbage too. */
#include "percpu.h"
#include "interrupt.h"
#include "serial.h"
#include "multiboot.h"
#include "kernel/arch.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "lib/string.h"

#define MULTIBOOT_BOOT_MAGIC 0x2BADB002

extern char __image_phys_start[], __image_phys_end[];
void arch_entry(uint32_t magic, uint32_t info_phys);

static struct boot_info boot_info;

static const void *boot_phys(uint64_t phys, uint64_t size)
{
    if (phys == 0 || phys + size > BOOT_HHDM_LIMIT || phys + size < phys)
        return NULL;
    return (const void *)(phys + HHDM_BASE);
}

static void boot_copy_string(char *dest, size_t size, uint32_t phys)
{
    const char *src = boot_phys(phys, 1);
    size_t i = 0;
    for (; src && i + 1 < size && phys + i < BOOT_HHDM_LIMIT && src[i]; i++)
        dest[i] = src[i];
    dest[i] = '\0';
}

static void boot_note_loader_data(uint64_t base, uint64_t length)
{
    if (boot_info.loader_data_count < 8)
        boot_info.loader_data[boot_info.loader_data_count++] =
            (struct boot_memory_range){base, length, BOOT_MEMORY_RESERVED};
}

static enum boot_memory_type boot_memory_type(uint32_t type)
{
    switch (type) {
    case 1:
        return BOOT_MEMORY_USABLE;
    case 3:
        return BOOT_MEMORY_ACPI_RECLAIMABLE;
    case 4:
        return BOOT_MEMORY_ACPI_NVS;
    case 5:
        return BOOT_MEMORY_BAD;
    default:
        return BOOT_MEMORY_RESERVED;
    }
}

static void boot_parse_memory_map(const struct multiboot_info *mbi)
{
    const uint8_t *map = boot_phys(mbi->mmap_addr, mbi->mmap_length);
    if (!map) {
        log_warn("boot: multiboot memory map missing or unreadable");
        return;
    }
    boot_note_loader_data(mbi->mmap_addr, mbi->mmap_length);
    for (uint32_t offset = 0; offset + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length;) {
        const struct multiboot_mmap_entry *e = (const void *)(map + offset);
        if (boot_info.memory_count == BOOT_MAX_MEMORY_RANGES) {
            log_warn("boot: memory map truncated at %d entries", BOOT_MAX_MEMORY_RANGES);
            break;
        }
        boot_info.memory[boot_info.memory_count++] =
            (struct boot_memory_range){e->base, e->length, boot_memory_type(e->type)};
        offset += e->size + sizeof(e->size);
    }
}

static void boot_parse_modules(const struct multiboot_info *mbi)
{
    uint64_t size = (uint64_t)mbi->mods_count * sizeof(struct multiboot_module);
    const struct multiboot_module *mods = boot_phys(mbi->mods_addr, size);
    if (!mods)
        return;
    boot_note_loader_data(mbi->mods_addr, size);
    if (mbi->mods_count > BOOT_MAX_MODULES)
        log_warn("boot: only the first %d of %u modules are used", BOOT_MAX_MODULES,
                 mbi->mods_count);
    for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES; i++) {
        struct boot_module *m = &boot_info.modules[boot_info.module_count++];
        m->phys_start = mods[i].start;
        m->phys_end = mods[i].end < mods[i].start ? mods[i].start : mods[i].end;
        boot_copy_string(m->name, sizeof(m->name), mods[i].string);
    }
}

static void boot_parse(uint32_t info_phys)
{
    const struct multiboot_info *mbi = boot_phys(info_phys, sizeof(*mbi));
    boot_info.image_phys_start = (uint64_t)__image_phys_start;
    boot_info.image_phys_end = (uint64_t)__image_phys_end;
    if (!mbi)
        return;
    boot_note_loader_data(info_phys, sizeof(*mbi));
    if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
        boot_copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), mbi->cmdline);
    if (mbi->flags & MULTIBOOT_INFO_MMAP)
        boot_parse_memory_map(mbi);
    if (mbi->flags & MULTIBOOT_INFO_MODS)
        boot_parse_modules(mbi);
}

void arch_entry(uint32_t magic, uint32_t info_phys)
{
    serial_init();
    idt_init();
    percpu_init_boot_cpu(); /* GDT, TSS, GS, FPU: from here this_cpu() works */
    if (magic != MULTIBOOT_BOOT_MAGIC)
        log_warn("boot: unexpected boot magic %#x", magic);
    boot_parse(info_phys);
    kernel_main(&boot_info);
}
