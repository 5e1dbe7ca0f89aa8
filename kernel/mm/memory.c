/* Boot-time setup of the physical page allocator: usable RAM from the boot map, minus the
 * first MiB, the kernel image, the boot modules and the loader's own structures. */
#include "kernel/mm/memory.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/panic.h"

#define LOW_MEMORY_END 0x100000ULL

static struct pmm kernel_pmm;
static uint64_t alloc_limit = BOOT_HHDM_LIMIT;
static uint64_t highest_phys;

static size_t collect_usable(const struct boot_info *info, struct pmm_range *usable)
{
    size_t count = 0;
    for (size_t i = 0; i < info->memory_count && count < PMM_MAX_RANGES; i++) {
        const struct boot_memory_range *r = &info->memory[i];
        uint64_t end = r->base + r->length;
        if (r->type != BOOT_MEMORY_RESERVED && r->type != BOOT_MEMORY_BAD && end > highest_phys)
            highest_phys = end < HHDM_MAX_PHYS ? end : HHDM_MAX_PHYS;
        if (r->type != BOOT_MEMORY_USABLE || r->base >= HHDM_MAX_PHYS)
            continue;
        uint64_t length = end > HHDM_MAX_PHYS ? HHDM_MAX_PHYS - r->base : r->length;
        usable[count++] = (struct pmm_range){r->base, length, 0};
    }
    return count;
}

static size_t collect_reserved(const struct boot_info *info, struct pmm_range *reserved)
{
    size_t count = 0;
    reserved[count++] = (struct pmm_range){0, LOW_MEMORY_END, 0};
    reserved[count++] = (struct pmm_range){info->image_phys_start,
                                           info->image_phys_end - info->image_phys_start, 0};
    for (size_t i = 0; i < info->module_count; i++) {
        const struct boot_module *m = &info->modules[i];
        reserved[count++] = (struct pmm_range){m->phys_start, m->phys_end - m->phys_start, 0};
    }
    for (size_t i = 0; i < info->loader_data_count; i++)
        reserved[count++] =
            (struct pmm_range){info->loader_data[i].base, info->loader_data[i].length, 0};
    return count;
}

void memory_init(const struct boot_info *info)
{
    static struct pmm_range usable[PMM_MAX_RANGES];
    static struct pmm_range reserved[2 + BOOT_MAX_MODULES + 8];
    struct pmm_config config = {
        .usable = usable,
        .usable_count = collect_usable(info, usable),
        .reserved = reserved,
        .reserved_count = collect_reserved(info, reserved),
        .meta_limit = BOOT_HHDM_LIMIT,
        .virt_offset = HHDM_BASE,
    };
    enum wg_error err = pmm_init(&kernel_pmm, &config);
    if (err != WG_ERR_OK)
        panic("memory: cannot set up the page allocator: %s", wg_error_name(err));
    log_info("memory: %lu KiB usable in %zu zones, %lu KiB free", kernel_pmm.total_pages * 4,
             kernel_pmm.zone_count, pmm_free_pages(&kernel_pmm) * 4);
}

void memory_paging_ready(void)
{
    alloc_limit = 0;
}

uint64_t memory_highest_phys(void)
{
    return highest_phys;
}

struct pmm_result memory_alloc(const struct pmm_request *request)
{
    struct pmm_request limited = *request;
    if (alloc_limit && (!limited.max_phys || limited.max_phys > alloc_limit))
        limited.max_phys = alloc_limit;
    return pmm_alloc(&kernel_pmm, &limited);
}

struct pmm_result memory_alloc_pages(uint64_t count)
{
    struct pmm_request request = {.count = count, .node = PMM_ANY_NODE};
    return memory_alloc(&request);
}

enum wg_error memory_free_pages(uint64_t phys, uint64_t count)
{
    return pmm_free(&kernel_pmm, phys, count);
}

uint64_t memory_free_page_count(void)
{
    return pmm_free_pages(&kernel_pmm);
}

uint64_t memory_total_page_count(void)
{
    return kernel_pmm.total_pages;
}

const struct pmm *memory_pmm(void)
{
    return &kernel_pmm;
}
