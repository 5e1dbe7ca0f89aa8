/* Boot-time setup of the physical page allocator: usable RAM from the boot map, minus the
 * first MiB, the kernel image, the boot modules and the loader's own structures. */
#include "kernel/mm/memory.h"
#include "kernel/boot_info.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/sync/spinlock.h"

#define LOW_MEMORY_END 0x100000ULL

static struct pmm kernel_pmm;
static struct spinlock pmm_lock = SPINLOCK_INIT;
static uint64_t alloc_limit = BOOT_HHDM_LIMIT;
static uint64_t highest_phys;

/* The SRAT range holding `addr`, or the nearest one above it (NULL if none). */
static const struct acpi_memory *srat_range_at_or_after(uint64_t addr)
{
    const struct acpi_topology *topo = platform_topology();
    const struct acpi_memory *next = NULL;
    for (size_t i = 0; i < topo->memory_count; i++) {
        const struct acpi_memory *m = &topo->memory[i];
        if (addr >= m->base && addr - m->base < m->length)
            return m;
        if (m->base > addr && (!next || m->base < next->base))
            next = m;
    }
    return next;
}

/* Splits [base, end) by NUMA node (SRAT); memory the SRAT does not cover is node 0. */
static size_t split_by_node(uint64_t base, uint64_t end, struct pmm_range *out, size_t room)
{
    size_t count = 0;
    while (base < end && count < room) {
        const struct acpi_memory *m = srat_range_at_or_after(base);
        uint64_t piece_end = end;
        int node = 0;
        if (m && base >= m->base) {
            node = m->node;
            if (m->base + m->length < piece_end)
                piece_end = m->base + m->length;
        } else if (m && m->base < piece_end) {
            piece_end = m->base;
        }
        out[count++] = (struct pmm_range){base, piece_end - base, node};
        base = piece_end;
    }
    return count;
}

static size_t collect_usable(const struct boot_info *info, struct pmm_range *usable)
{
    size_t count = 0;
    for (size_t i = 0; i < info->memory_count && count < PMM_MAX_RANGES; i++) {
        const struct boot_memory_range *r = &info->memory[i];
        uint64_t end = r->base + r->length;
        if (end < r->base)
            end = UINT64_MAX;
        if (end > HHDM_MAX_PHYS)
            end = HHDM_MAX_PHYS;
        if (r->type != BOOT_MEMORY_RESERVED && r->type != BOOT_MEMORY_BAD && end > highest_phys)
            highest_phys = end;
        if (r->type != BOOT_MEMORY_USABLE || r->base >= end)
            continue;
        count += split_by_node(r->base, end, &usable[count], PMM_MAX_RANGES - count);
    }
    return count;
}

/* Fallback orders for every node, nearest first, from the CPU tree's distances. */
static void set_node_orders(void)
{
    for (unsigned node = 0; node < machine_tree.node_count; node++) {
        uint8_t order[CPU_TREE_MAX_NODES];
        unsigned count = cpu_tree_node_order(&machine_tree, node, order);
        pmm_set_node_order(&kernel_pmm, (int)node, order, count);
    }
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
    set_node_orders();
    for (unsigned node = 0; node < machine_tree.node_count; node++)
        log_info("memory: node %u: %lu KiB free", node,
                 pmm_node_free_pages(&kernel_pmm, (int)node) * 4);
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
    uint64_t flags = spin_lock_irqsave(&pmm_lock);
    struct pmm_result result = pmm_alloc(&kernel_pmm, &limited);
    spin_unlock_irqrestore(&pmm_lock, flags);
    return result;
}

/* Pages on this CPU's node when possible, else the nearest node with some. */
struct pmm_result memory_alloc_pages(uint64_t count)
{
    struct pmm_request request = {.count = count,
                                  .node = (int)machine_tree.cpu_node[arch_cpu_index()]};
    return memory_alloc(&request);
}

enum wg_error memory_free_pages(uint64_t phys, uint64_t count)
{
    uint64_t flags = spin_lock_irqsave(&pmm_lock);
    enum wg_error err = pmm_free(&kernel_pmm, phys, count);
    spin_unlock_irqrestore(&pmm_lock, flags);
    return err;
}

bool memory_page_allocated(uint64_t phys)
{
    uint64_t flags = spin_lock_irqsave(&pmm_lock);
    bool allocated = pmm_is_allocated(&kernel_pmm, phys);
    spin_unlock_irqrestore(&pmm_lock, flags);
    return allocated;
}

int memory_node_of(uint64_t phys)
{
    for (size_t i = 0; i < kernel_pmm.zone_count; i++) {
        const struct pmm_zone *z = &kernel_pmm.zones[i];
        if (phys >> 12 >= z->base_pfn && (phys >> 12) - z->base_pfn < z->page_count)
            return z->node;
    }
    return -1;
}

static void (*reclaimer)(void);

void memory_set_reclaimer(void (*reclaim)(void))
{
    reclaimer = reclaim;
}

static void reclaim_caches(void)
{
    if (reclaimer)
        reclaimer();
}

uint64_t memory_node_free_page_count(int node)
{
    reclaim_caches();
    return pmm_node_free_pages(&kernel_pmm, node);
}

uint64_t memory_free_page_count(void)
{
    reclaim_caches();
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
