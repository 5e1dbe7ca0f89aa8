/* MADT parsing: the local APIC address, the usable processors (local APIC and x2APIC
 * entries), the I/O APICs and the ISA interrupt source overrides. A malformed entry list makes
 * the whole table refused; lists longer than the ACPI_MAX_* limits are cut with a warning. */
#include "kernel/acpi/tables.h"
#include "lib/string.h"

struct madt_state {
    const struct acpi_access *access;
    struct acpi_topology *out;
    size_t dropped_cpus, dropped_ioapics, dropped_overrides;
};

/* Adds a processor that is enabled or can be brought online; skips one listed twice. */
static void madt_add_cpu(struct madt_state *state, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
    struct acpi_topology *out = state->out;

    if (!(flags & (ACPI_CPU_ENABLED | ACPI_CPU_ONLINE_CAPABLE)))
        return;
    for (size_t i = 0; i < out->cpu_count; i++) {
        if (out->cpus[i].apic_id == apic_id) {
            acpi_warn(state->access, "acpi: MADT lists APIC id %u twice, ignoring the second",
                      (unsigned)apic_id);
            return;
        }
    }
    if (out->cpu_count == ACPI_MAX_CPUS) {
        state->dropped_cpus++;
        return;
    }
    out->cpus[out->cpu_count++] = (struct acpi_cpu){.apic_id = apic_id, .uid = uid, .node = 0};
}

static bool madt_ioapic(struct madt_state *state, const uint8_t *entry, uint8_t length)
{
    struct acpi_madt_ioapic ioapic;
    struct acpi_topology *out = state->out;

    if (!acpi_entry_copy(&ioapic, sizeof ioapic, entry, length))
        return false;
    if (out->ioapic_count == ACPI_MAX_IOAPICS) {
        state->dropped_ioapics++;
        return true;
    }
    out->ioapics[out->ioapic_count++] = (struct acpi_ioapic){
        .id = ioapic.id, .address = ioapic.address, .gsi_base = ioapic.gsi_base};
    return true;
}

static bool madt_override(struct madt_state *state, const uint8_t *entry, uint8_t length)
{
    struct acpi_madt_override override;
    struct acpi_topology *out = state->out;

    if (!acpi_entry_copy(&override, sizeof override, entry, length))
        return false;
    if (override.bus != 0) {
        acpi_warn(state->access, "acpi: MADT override for bus %u (not ISA) ignored",
                  (unsigned) override.bus);
        return true;
    }
    if (out->override_count == ACPI_MAX_OVERRIDES) {
        state->dropped_overrides++;
        return true;
    }
    out->overrides[out->override_count++] = (struct acpi_override){
        .source_irq = override.source, .gsi = override.gsi, .flags = override.flags};
    return true;
}

/* Handles one entry; false when it is too short for its type. Unknown types are skipped. */
static bool madt_entry(struct madt_state *state, const uint8_t *entry, uint8_t length)
{
    struct acpi_madt_lapic lapic;
    struct acpi_madt_x2apic x2apic;
    struct acpi_madt_lapic_address address;

    switch (entry[0]) {
    case ACPI_MADT_LAPIC:
        if (!acpi_entry_copy(&lapic, sizeof lapic, entry, length))
            return false;
        madt_add_cpu(state, lapic.apic_id, lapic.uid, lapic.flags);
        return true;
    case ACPI_MADT_X2APIC:
        if (!acpi_entry_copy(&x2apic, sizeof x2apic, entry, length))
            return false;
        madt_add_cpu(state, x2apic.x2apic_id, x2apic.uid, x2apic.flags);
        return true;
    case ACPI_MADT_IOAPIC:
        return madt_ioapic(state, entry, length);
    case ACPI_MADT_OVERRIDE:
        return madt_override(state, entry, length);
    case ACPI_MADT_LAPIC_ADDRESS:
        if (!acpi_entry_copy(&address, sizeof address, entry, length))
            return false;
        state->out->lapic_address = address.address;
        return true;
    default:
        return true;
    }
}

static void madt_report_drops(const struct madt_state *state)
{
    if (state->dropped_cpus)
        acpi_warn(state->access, "acpi: MADT: %zu CPUs beyond the first %d ignored",
                  state->dropped_cpus, ACPI_MAX_CPUS);
    if (state->dropped_ioapics)
        acpi_warn(state->access, "acpi: MADT: %zu I/O APICs beyond the first %d ignored",
                  state->dropped_ioapics, ACPI_MAX_IOAPICS);
    if (state->dropped_overrides)
        acpi_warn(state->access, "acpi: MADT: %zu overrides beyond the first %d ignored",
                  state->dropped_overrides, ACPI_MAX_OVERRIDES);
}

bool acpi_madt_parse(const struct acpi_access *access, const struct acpi_table *madt,
                     struct acpi_topology *out)
{
    struct madt_state state = {.access = access, .out = out};
    struct acpi_madt fixed;
    struct acpi_entries entries = {madt->bytes, sizeof fixed, madt->length};
    const uint8_t *entry;
    uint8_t length;
    enum acpi_entry_status status;

    if (madt->length < sizeof fixed) {
        acpi_warn(access, "acpi: MADT too short");
        return false;
    }
    memcpy(&fixed, madt->bytes, sizeof fixed);
    out->lapic_address = fixed.lapic_address;
    while ((status = acpi_entry_next(&entries, &entry, &length)) == ACPI_ENTRY_OK) {
        if (!madt_entry(&state, entry, length)) {
            acpi_warn(access, "acpi: MADT entry of type %u at offset %zu too short",
                      (unsigned)entry[0], (size_t)(entry - madt->bytes));
            return false;
        }
    }
    if (status == ACPI_ENTRY_BAD) {
        acpi_warn(access, "acpi: MADT entry at offset %zu has a bad length", entries.offset);
        return false;
    }
    madt_report_drops(&state);
    return true;
}

void acpi_madt_fallback(struct acpi_topology *out)
{
    out->lapic_address = ACPI_DEFAULT_LAPIC;
    memset(out->cpus, 0, sizeof out->cpus);
    memset(out->ioapics, 0, sizeof out->ioapics);
    memset(out->overrides, 0, sizeof out->overrides);
    out->cpu_count = out->ioapic_count = out->override_count = 0;
}
