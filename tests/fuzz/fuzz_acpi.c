/* libFuzzer target for kernel/acpi (RSDP, RSDT/XSDT, MADT, SRAT, SLIT): the input is
 * physical memory from ACPI_FUZZ_BASE on, with the RSDP at its start. Every map() returns a
 * fresh heap copy of exactly the bytes asked for, so ASan catches a read past them. The
 * topology must then be consistent (counts within their arrays, nodes within node_count);
 * abort() otherwise. */
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/acpi.h"

#define ACPI_FUZZ_BASE 0x1000u
#define MAX_MAPS       4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *memory;
static size_t memory_size;
static void *maps[MAX_MAPS];
static size_t map_count;

static void require(int condition)
{
    if (!condition)
        abort();
}

static const void *fuzz_map(void *ctx, uint64_t phys, size_t length)
{
    (void)ctx;
    if (phys < ACPI_FUZZ_BASE || phys - ACPI_FUZZ_BASE > memory_size ||
        length > memory_size - (phys - ACPI_FUZZ_BASE) || map_count == MAX_MAPS)
        return NULL;
    void *copy = malloc(length ? length : 1);
    memcpy(copy, memory + (phys - ACPI_FUZZ_BASE), length);
    maps[map_count++] = copy;
    return copy;
}

static void check(const struct acpi_topology *t)
{
    require(t->cpu_count <= ACPI_MAX_CPUS && t->ioapic_count <= ACPI_MAX_IOAPICS);
    require(t->override_count <= ACPI_MAX_OVERRIDES && t->memory_count <= ACPI_MAX_MEMORY);
    require(t->node_count >= 1 && t->node_count <= ACPI_MAX_NODES);
    for (size_t i = 0; i < t->cpu_count; i++)
        require(t->cpus[i].node < t->node_count);
    for (size_t i = 0; i < t->memory_count; i++)
        require(t->memory[i].node < t->node_count);
    for (size_t i = 0; i < t->node_count; i++)
        require(t->distance[i][i] == 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct acpi_access access = {.map = fuzz_map, .warn = NULL, .ctx = NULL};
    struct acpi_topology topology;
    memory = data;
    memory_size = size;
    enum wg_error err = acpi_parse(&access, ACPI_FUZZ_BASE, &topology);
    require(err == WG_ERR_OK || err == WG_ERR_BAD_FORMAT);
    check(&topology);
    acpi_find_table(&access, ACPI_FUZZ_BASE, "SRAT");
    while (map_count > 0)
        free(maps[--map_count]);
    return 0;
}
