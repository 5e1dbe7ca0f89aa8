/* SRAT and SLIT parsing: proximity domains renumbered into dense nodes, the node of each MADT
 * processor and of each memory range, then the distances between nodes. Any malformed entry,
 * or more domains than ACPI_MAX_NODES, makes the table refused. */
#include "kernel/acpi/tables.h"
#include "lib/string.h"

#define SLIT_MAX_LOCALITIES 0xFFFFu /* count * count must fit a 32-bit table length */

struct srat_state {
    const struct acpi_access *access;
    struct acpi_topology *out;
    bool placed[ACPI_MAX_CPUS]; /* cpus[i] got its node from an SRAT entry */
    size_t dropped_ranges;
};

/* Dense node of proximity `domain`, added if new; -1 (after a warning) when all are taken. */
static int srat_node(struct srat_state *state, uint32_t domain)
{
    struct acpi_topology *out = state->out;

    for (size_t node = 0; node < out->node_count; node++)
        if (out->node_domain[node] == domain)
            return (int)node;
    if (out->node_count == ACPI_MAX_NODES) {
        acpi_warn(state->access, "acpi: SRAT lists more than %d proximity domains", ACPI_MAX_NODES);
        return -1;
    }
    out->node_domain[out->node_count] = domain;
    return (int)out->node_count++;
}

/* Gives the MADT processor with `apic_id`, if any, the node of `domain` (first entry wins). */
static bool srat_place_cpu(struct srat_state *state, uint32_t apic_id, uint32_t domain)
{
    struct acpi_topology *out = state->out;
    int node = srat_node(state, domain);

    if (node < 0)
        return false;
    for (size_t i = 0; i < out->cpu_count; i++) {
        if (out->cpus[i].apic_id == apic_id && !state->placed[i]) {
            out->cpus[i].node = (uint8_t)node;
            state->placed[i] = true;
        }
    }
    return true;
}

static bool srat_memory(struct srat_state *state, const uint8_t *entry, uint8_t length)
{
    struct acpi_srat_memory memory;
    struct acpi_topology *out = state->out;

    if (!acpi_entry_copy(&memory, sizeof memory, entry, length))
        return false;
    if (!(memory.flags & ACPI_SRAT_ENABLED) || memory.range_length == 0)
        return true;
    if (memory.base > UINT64_MAX - memory.range_length)
        return false;
    int node = srat_node(state, memory.domain);
    if (node < 0)
        return false;
    if (out->memory_count == ACPI_MAX_MEMORY) {
        state->dropped_ranges++;
        return true;
    }
    out->memory[out->memory_count++] = (struct acpi_memory){
        .base = memory.base, .length = memory.range_length, .node = (uint8_t)node};
    return true;
}

/* Handles one entry; false when it is malformed or overflows the nodes. Unknown types (GICC,
 * generic initiators...) are skipped. */
static bool srat_entry(struct srat_state *state, const uint8_t *entry, uint8_t length)
{
    struct acpi_srat_cpu cpu;
    struct acpi_srat_x2apic x2apic;

    switch (entry[0]) {
    case ACPI_SRAT_CPU:
        if (!acpi_entry_copy(&cpu, sizeof cpu, entry, length))
            return false;
        if (!(cpu.flags & ACPI_SRAT_ENABLED))
            return true;
        return srat_place_cpu(state, cpu.apic_id,
                              cpu.domain_low | (uint32_t)cpu.domain_high[0] << 8 |
                                  (uint32_t)cpu.domain_high[1] << 16 |
                                  (uint32_t)cpu.domain_high[2] << 24);
    case ACPI_SRAT_X2APIC:
        if (!acpi_entry_copy(&x2apic, sizeof x2apic, entry, length))
            return false;
        if (!(x2apic.flags & ACPI_SRAT_ENABLED))
            return true;
        return srat_place_cpu(state, x2apic.x2apic_id, x2apic.domain);
    case ACPI_SRAT_MEMORY:
        return srat_memory(state, entry, length);
    default:
        return true;
    }
}

/* Reports what the SRAT left out: processors without an affinity stay on node 0. */
static void srat_report(const struct srat_state *state)
{
    size_t unplaced = 0;

    for (size_t i = 0; i < state->out->cpu_count; i++)
        unplaced += !state->placed[i];
    if (unplaced)
        acpi_warn(state->access, "acpi: SRAT: %zu CPUs without affinity, put on node 0", unplaced);
    if (state->dropped_ranges)
        acpi_warn(state->access, "acpi: SRAT: %zu memory ranges beyond the first %d ignored",
                  state->dropped_ranges, ACPI_MAX_MEMORY);
}

bool acpi_srat_parse(const struct acpi_access *access, const struct acpi_table *srat,
                     struct acpi_topology *out)
{
    struct srat_state state = {.access = access, .out = out};
    struct acpi_entries entries = {srat->bytes, sizeof(struct acpi_srat), srat->length};
    const uint8_t *entry;
    uint8_t length;
    enum acpi_entry_status status;

    if (srat->length < sizeof(struct acpi_srat)) {
        acpi_warn(access, "acpi: SRAT too short");
        return false;
    }
    out->node_count = 0;
    out->memory_count = 0;
    while ((status = acpi_entry_next(&entries, &entry, &length)) == ACPI_ENTRY_OK) {
        if (!srat_entry(&state, entry, length)) {
            acpi_warn(access, "acpi: SRAT entry of type %u at offset %zu refused",
                      (unsigned)entry[0], (size_t)(entry - srat->bytes));
            return false;
        }
    }
    if (status == ACPI_ENTRY_BAD) {
        acpi_warn(access, "acpi: SRAT entry at offset %zu has a bad length", entries.offset);
        return false;
    }
    if (out->node_count == 0) {
        acpi_warn(access, "acpi: SRAT lists no enabled proximity domain");
        return false;
    }
    srat_report(&state);
    return true;
}

/* True when each locality is 10 from itself and at least 10 from the others (255 meaning
 * unreachable); ACPI reserves the values 0-9. */
static bool slit_matrix_valid(const uint8_t *matrix, uint64_t count)
{
    for (uint64_t i = 0; i < count; i++) {
        for (uint64_t j = 0; j < count; j++) {
            uint8_t distance = matrix[i * count + j];
            if (i == j ? distance != ACPI_LOCAL_DISTANCE : distance < ACPI_LOCAL_DISTANCE)
                return false;
        }
    }
    return true;
}

bool acpi_slit_parse(const struct acpi_access *access, const struct acpi_table *slit,
                     struct acpi_topology *out)
{
    struct acpi_slit fixed;
    const uint8_t *matrix = slit->bytes + sizeof fixed;

    if (slit->length < sizeof fixed) {
        acpi_warn(access, "acpi: SLIT too short");
        return false;
    }
    memcpy(&fixed, slit->bytes, sizeof fixed);
    uint64_t count = fixed.locality_count;
    if (count == 0 || count > SLIT_MAX_LOCALITIES || count * count > slit->length - sizeof fixed) {
        acpi_warn(access, "acpi: SLIT: %llu localities do not fit the table",
                  (unsigned long long)count);
        return false;
    }
    if (!slit_matrix_valid(matrix, count)) {
        acpi_warn(access, "acpi: SLIT: distance out of range");
        return false;
    }
    for (size_t i = 0; i < out->node_count; i++) {
        if (out->node_domain[i] >= count) {
            acpi_warn(access, "acpi: SLIT has no row for proximity domain %u",
                      (unsigned)out->node_domain[i]);
            return false;
        }
    }
    for (size_t i = 0; i < out->node_count; i++)
        for (size_t j = 0; j < out->node_count; j++)
            out->distance[i][j] = matrix[out->node_domain[i] * count + out->node_domain[j]];
    return true;
}

void acpi_srat_fallback(struct acpi_topology *out)
{
    out->node_count = 1;
    memset(out->node_domain, 0, sizeof out->node_domain);
    memset(out->memory, 0, sizeof out->memory);
    out->memory_count = 0;
    for (size_t i = 0; i < out->cpu_count; i++)
        out->cpus[i].node = 0;
}

void acpi_slit_fallback(struct acpi_topology *out)
{
    for (size_t i = 0; i < ACPI_MAX_NODES; i++)
        for (size_t j = 0; j < ACPI_MAX_NODES; j++)
            out->distance[i][j] = i == j ? ACPI_LOCAL_DISTANCE : ACPI_REMOTE_DISTANCE;
}
