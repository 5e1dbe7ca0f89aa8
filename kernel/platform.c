/* ACPI discovery and the CPU tree. */
#include "kernel/platform.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm/memory.h"
#include "lib/string.h"

static struct acpi_topology topology;
static struct acpi_ecam ecam; /* base 0: none */
static struct acpi_power power;
static uint32_t apic_ids[CPU_TREE_MAX_CPUS];

struct cpu_tree machine_tree = {.cpu_count = 1, .node_count = 1, .distance = {{10}}};

static const void *acpi_map(void *ctx, uint64_t phys, size_t length)
{
    (void)ctx;
    if (phys == 0 || phys + length < phys || phys + length > BOOT_HHDM_LIMIT)
        return NULL;
    return phys_to_virt(phys);
}

static void acpi_warn(void *ctx, const char *message)
{
    (void)ctx;
    log_warn("%s", message); /* the parser's messages name their table already */
}

static const struct acpi_access access = {acpi_map, acpi_warn, NULL};

/* The test hook: flips a byte of the named table so its checksum no longer adds up. */
static void corrupt_table(uint64_t rsdp, const char *signature)
{
    uint64_t phys = acpi_find_table(&access, rsdp, signature);
    if (!phys) {
        log_warn("acpi: test hook: no %s table to corrupt", signature);
        return;
    }
    uint8_t *checksum = phys_to_virt(phys + 9);
    *checksum ^= 0x5a;
    log_warn("acpi: test hook: corrupted the %s checksum", signature);
}

void platform_discover(const char *cmdline)
{
    uint64_t rsdp = acpi_find_rsdp(&access);
    char victim[8];
    if (rsdp && cmdline_get(cmdline, "acpi_corrupt", victim, sizeof(victim)) && strlen(victim) == 4)
        corrupt_table(rsdp, victim);
    enum wg_error err = acpi_parse(&access, rsdp, &topology);
    if (err != WG_ERR_OK)
        log_warn("acpi: no usable tables (%s): one CPU, one node", wg_error_name(err));
    log_info("acpi: MADT %s, SRAT %s, SLIT %s: %zu CPUs, %zu nodes, %zu I/O APICs",
             topology.madt_valid ? "used" : "unusable", topology.srat_valid ? "used" : "unusable",
             topology.slit_valid ? "used" : "unusable", topology.cpu_count, topology.node_count,
             topology.ioapic_count);
    if (acpi_mcfg_parse(&access, rsdp, &ecam) == WG_ERR_OK)
        log_info("acpi: MCFG: PCI ECAM at %#lx, buses %u-%u", ecam.base, ecam.first_bus,
                 ecam.last_bus);
    else
        ecam = (struct acpi_ecam){0};
    if (acpi_power_parse(&access, rsdp, &power) != WG_ERR_OK)
        power = (struct acpi_power){0};
    log_info("acpi: power-off %s, reset register %s", power.s5_valid ? "by S5" : "unavailable",
             power.reset_valid ? "in the FADT" : "absent");
}

const struct acpi_power *platform_power(void)
{
    return &power;
}

const struct acpi_ecam *platform_ecam(void)
{
    return ecam.base ? &ecam : NULL;
}

const struct acpi_topology *platform_topology(void)
{
    return &topology;
}

static void add_cpu(unsigned *count, uint32_t apic_id, unsigned node)
{
    apic_ids[*count] = apic_id;
    machine_tree.cpu_node[*count] = (uint8_t)node;
    (*count)++;
}

void platform_assign_cpus(uint32_t boot_apic_id)
{
    unsigned boot_node = 0;
    for (size_t i = 0; i < topology.cpu_count; i++)
        if (topology.cpus[i].apic_id == boot_apic_id)
            boot_node = topology.cpus[i].node;
    unsigned count = 0;
    add_cpu(&count, boot_apic_id, boot_node);
    for (size_t i = 0; i < topology.cpu_count && count < CPU_TREE_MAX_CPUS; i++)
        if (topology.cpus[i].apic_id != boot_apic_id)
            add_cpu(&count, topology.cpus[i].apic_id, topology.cpus[i].node);
    machine_tree.cpu_count = count;
    machine_tree.node_count = topology.node_count ? (unsigned)topology.node_count : 1;
    memcpy(machine_tree.distance, topology.distance, sizeof(machine_tree.distance));
    if (!cpu_tree_validate(&machine_tree))
        log_warn("platform: CPU tree out of range, using one CPU");
}

uint32_t platform_cpu_apic_id(unsigned index)
{
    return index < CPU_TREE_MAX_CPUS ? apic_ids[index] : 0;
}
