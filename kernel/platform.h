/* The machine as firmware describes it (ACPI), and the CPU tree built from it. */
#pragma once

#include <stdint.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/fadt.h"
#include "kernel/acpi/mcfg.h"
#include "kernel/cpu_tree.h"

/* Parses the ACPI tables (before paging: the boot map covers the first 4 GiB). Command
 * line test hook: "acpi_corrupt=SRAT" (or APIC for the MADT, SLIT) breaks that table's checksum
 * first, to prove the fallback. Never fails: a broken platform gives one node and one CPU. */
void platform_discover(const char *cmdline);

const struct acpi_topology *platform_topology(void);

/* The PCI ECAM window of segment 0 from the MCFG, or NULL when there is none. */
const struct acpi_ecam *platform_ecam(void);

/* How to power off and reset the machine (FADT, \_S5); flags say what was found. */
const struct acpi_power *platform_power(void);

/* The machine's CPUs and NUMA nodes as the scheduler and the page allocator use them. */
extern struct cpu_tree machine_tree;

/* Fills machine_tree from the ACPI topology, the boot CPU (whose APIC ID is given) becoming
 * index 0; the scheduler makes its per-CPU blocks from it (cpu_init_all). */
void platform_assign_cpus(uint32_t boot_apic_id);
/* The APIC ID of CPU `index` (< machine_tree.cpu_count). */
uint32_t platform_cpu_apic_id(unsigned index);
