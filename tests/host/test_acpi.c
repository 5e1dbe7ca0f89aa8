/* Host tests for kernel/acpi: RSDP search, RSDT/XSDT walks, MADT, SRAT and SLIT parsing,
 * built from synthetic tables in a fake physical memory. Every map() hands out a fresh heap
 * copy of exactly the bytes asked for, so ASan catches any read past what was mapped; a
 * seeded loop of random corruptions checks the parser always returns something usable. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/fadt.h"
#include "kernel/acpi/mcfg.h"

/* ---- Fake physical memory ---------------------------------------------------------------- */

#define LOW_SIZE  0x110000u /* the first MiB and a little beyond */
#define TAB_SIZE  0x10000u
#define T32_BASE  0x07FE0000ull  /* tables an RSDT can reach */
#define T64_BASE  0x100000000ull /* tables only an XSDT can reach */
#define RSDT_PHYS (T32_BASE + 0x0000)
#define MADT_PHYS (T32_BASE + 0x1000)
#define SRAT_PHYS (T32_BASE + 0x2000)
#define SLIT_PHYS (T32_BASE + 0x3000)
#define ALT_PHYS  (T32_BASE + 0x4000)
#define XSDT_PHYS (T64_BASE + 0x0000)
#define RSDP_PHYS 0xF5A40ull
#define EBDA_SEG  0x9FC0u
#define EBDA_PHYS ((uint64_t)EBDA_SEG << 4)

static uint8_t low_mem[LOW_SIZE], t32_mem[TAB_SIZE], t64_mem[TAB_SIZE];

struct region {
    uint64_t base;
    size_t size;
    uint8_t *bytes;
};

static const struct region regions[] = {
    {0, LOW_SIZE, low_mem},
    {T32_BASE, TAB_SIZE, t32_mem},
    {T64_BASE, TAB_SIZE, t64_mem},
};

/* Host pointer to [phys, phys+length) if one region holds it all, else NULL. */
static uint8_t *phys_ptr(uint64_t phys, size_t length)
{
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        const struct region *r = &regions[i];
        if (phys >= r->base && phys - r->base <= r->size && length <= r->size - (phys - r->base))
            return r->bytes + (phys - r->base);
    }
    return NULL;
}

static void phys_write(uint64_t phys, const void *src, size_t length)
{
    uint8_t *dst = phys_ptr(phys, length);
    if (!dst) {
        fprintf(stderr, "test bug: write outside fake memory at %#llx\n", (unsigned long long)phys);
        abort();
    }
    memcpy(dst, src, length);
}

#define MAX_MAPS 2048
static void *maps[MAX_MAPS];
static size_t map_count;
static bool map_overflow;

static void maps_release(void)
{
    for (size_t i = 0; i < map_count; i++)
        free(maps[i]);
    map_count = 0;
}

static const void *fake_map(void *ctx, uint64_t phys, size_t length)
{
    (void)ctx;
    const uint8_t *src = phys_ptr(phys, length);
    if (!src)
        return NULL;
    if (map_count == MAX_MAPS) {
        map_overflow = true;
        return NULL;
    }
    void *copy = malloc(length ? length : 1);
    memcpy(copy, src, length);
    maps[map_count++] = copy;
    return copy;
}

static char warn_log[16384];
static size_t warn_count;

static void fake_warn(void *ctx, const char *message)
{
    (void)ctx;
    size_t used = strlen(warn_log);
    warn_count++;
    if (getenv("ACPI_TEST_VERBOSE"))
        printf("    warn: %s\n", message);
    snprintf(warn_log + used, sizeof warn_log - used, "%s\n", message);
}

static bool warned(const char *fragment)
{
    return strstr(warn_log, fragment) != NULL;
}

static const struct acpi_access access = {.map = fake_map, .warn = fake_warn, .ctx = NULL};

static void reset_log(void)
{
    maps_release();
    warn_log[0] = '\0';
    warn_count = 0;
}

static void reset_memory(void)
{
    memset(low_mem, 0, sizeof low_mem);
    memset(t32_mem, 0, sizeof t32_mem);
    memset(t64_mem, 0, sizeof t64_mem);
    reset_log();
}

static enum wg_error parse(uint64_t rsdp, struct acpi_topology *topo)
{
    reset_log();
    memset(topo, 0xA5, sizeof *topo); /* acpi_parse must overwrite everything */
    return acpi_parse(&access, rsdp, topo);
}

static uint64_t find_rsdp(void)
{
    reset_log();
    return acpi_find_rsdp(&access);
}

/* ---- Table builder ----------------------------------------------------------------------- */

struct tb {
    uint8_t b[4096];
    size_t n;
};

static void tb_put(struct tb *t, const void *src, size_t n)
{
    if (t->n + n > sizeof t->b) {
        fprintf(stderr, "test bug: table builder overflow\n");
        abort();
    }
    if (n)
        memcpy(t->b + t->n, src, n);
    t->n += n;
}

static void tb_u8(struct tb *t, uint8_t v)
{
    tb_put(t, &v, 1);
}

static void tb_u16(struct tb *t, uint16_t v)
{
    tb_put(t, &v, 2);
}

static void tb_u32(struct tb *t, uint32_t v)
{
    tb_put(t, &v, 4);
}

static void tb_u64(struct tb *t, uint64_t v)
{
    tb_put(t, &v, 8);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

/* Starts a table with a 36-byte header; length and checksum are set by tb_install. */
static void tb_sdt(struct tb *t, const char *signature)
{
    memset(t, 0, sizeof *t);
    tb_put(t, signature, 4);
    tb_u32(t, 0);
    tb_u8(t, 1);
    tb_u8(t, 0);
    tb_put(t, "WINGOS", 6);
    tb_put(t, "TESTTABL", 8);
    tb_u32(t, 1);
    tb_u32(t, 0x54534554);
    tb_u32(t, 1);
}

static uint64_t tb_install(struct tb *t, uint64_t phys)
{
    uint32_t length = (uint32_t)t->n;
    memcpy(t->b + 4, &length, 4);
    t->b[9] = 0;
    t->b[9] = (uint8_t)-sum(t->b, t->n);
    phys_write(phys, t->b, t->n);
    return phys;
}

/* Recomputes the checksum of the table at `phys` over its (possibly corrupted) length. */
static void fix_checksum(uint64_t phys)
{
    uint8_t *p = phys_ptr(phys, 36);
    uint32_t length;
    memcpy(&length, p + 4, 4);
    if (length < 10 || !phys_ptr(phys, length))
        return;
    p[9] = 0;
    p[9] = (uint8_t)-sum(p, length);
}

static void set_u32(uint64_t phys, uint32_t v)
{
    phys_write(phys, &v, 4);
}

static void madt_begin(struct tb *t, uint32_t lapic)
{
    tb_sdt(t, "APIC");
    tb_u32(t, lapic);
    tb_u32(t, 1); /* PCAT_COMPAT */
}

static void madt_lapic(struct tb *t, uint8_t uid, uint8_t apic_id, uint32_t flags)
{
    tb_u8(t, 0);
    tb_u8(t, 8);
    tb_u8(t, uid);
    tb_u8(t, apic_id);
    tb_u32(t, flags);
}

static void madt_ioapic(struct tb *t, uint8_t id, uint32_t address, uint32_t gsi_base)
{
    tb_u8(t, 1);
    tb_u8(t, 12);
    tb_u8(t, id);
    tb_u8(t, 0);
    tb_u32(t, address);
    tb_u32(t, gsi_base);
}

static void madt_override(struct tb *t, uint8_t bus, uint8_t source, uint32_t gsi, uint16_t flags)
{
    tb_u8(t, 2);
    tb_u8(t, 10);
    tb_u8(t, bus);
    tb_u8(t, source);
    tb_u32(t, gsi);
    tb_u16(t, flags);
}

static void madt_lapic_address(struct tb *t, uint64_t address)
{
    tb_u8(t, 5);
    tb_u8(t, 12);
    tb_u16(t, 0);
    tb_u64(t, address);
}

static void madt_x2apic(struct tb *t, uint32_t x2apic_id, uint32_t flags, uint32_t uid)
{
    tb_u8(t, 9);
    tb_u8(t, 16);
    tb_u16(t, 0);
    tb_u32(t, x2apic_id);
    tb_u32(t, flags);
    tb_u32(t, uid);
}

static void srat_begin(struct tb *t)
{
    tb_sdt(t, "SRAT");
    tb_u32(t, 1);
    tb_u64(t, 0);
}

static void srat_cpu(struct tb *t, uint8_t apic_id, uint32_t domain, uint32_t flags)
{
    tb_u8(t, 0);
    tb_u8(t, 16);
    tb_u8(t, (uint8_t)domain);
    tb_u8(t, apic_id);
    tb_u32(t, flags);
    tb_u8(t, 0);
    tb_u8(t, (uint8_t)(domain >> 8));
    tb_u8(t, (uint8_t)(domain >> 16));
    tb_u8(t, (uint8_t)(domain >> 24));
    tb_u32(t, 0);
}

static void srat_memory(struct tb *t, uint32_t domain, uint64_t base, uint64_t length,
                        uint32_t flags)
{
    tb_u8(t, 1);
    tb_u8(t, 40);
    tb_u32(t, domain);
    tb_u16(t, 0);
    tb_u64(t, base);
    tb_u64(t, length);
    tb_u32(t, 0);
    tb_u32(t, flags);
    tb_u64(t, 0);
}

static void srat_x2apic(struct tb *t, uint32_t x2apic_id, uint32_t domain, uint32_t flags)
{
    tb_u8(t, 2);
    tb_u8(t, 24);
    tb_u16(t, 0);
    tb_u32(t, domain);
    tb_u32(t, x2apic_id);
    tb_u32(t, flags);
    tb_u32(t, 0);
    tb_u32(t, 0);
}

static void slit_build(struct tb *t, uint64_t count, const uint8_t *matrix, size_t bytes)
{
    tb_sdt(t, "SLIT");
    tb_u64(t, count);
    tb_put(t, matrix, bytes);
}

/* Writes an RSDP; revision 2 gets a 36-byte structure with both checksums. */
static void install_rsdp(uint64_t phys, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    uint8_t r[36] = {0};
    uint32_t length = 36;
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "WINGOS", 6);
    r[15] = revision;
    memcpy(r + 16, &rsdt, 4);
    if (revision >= 2) {
        memcpy(r + 20, &length, 4);
        memcpy(r + 24, &xsdt, 8);
    }
    r[8] = (uint8_t)-sum(r, 20);
    if (revision >= 2)
        r[32] = (uint8_t)-sum(r, 36);
    phys_write(phys, r, revision >= 2 ? 36 : 20);
}

static void install_rsdt(uint64_t phys, const uint64_t *tables, size_t count)
{
    struct tb t;
    tb_sdt(&t, "RSDT");
    for (size_t i = 0; i < count; i++)
        tb_u32(&t, (uint32_t)tables[i]);
    tb_install(&t, phys);
}

static void install_xsdt(uint64_t phys, const uint64_t *tables, size_t count)
{
    struct tb t;
    tb_sdt(&t, "XSDT");
    for (size_t i = 0; i < count; i++)
        tb_u64(&t, tables[i]);
    tb_install(&t, phys);
}

/* ---- The QEMU-like machine: 2 nodes, 4 CPUs, 2 memory ranges, SLIT 10/20 ----------------- */

static void default_madt(struct tb *t)
{
    madt_begin(t, 0xFEE00000);
    for (uint8_t i = 0; i < 4; i++)
        madt_lapic(t, i, i, 1);
    madt_ioapic(t, 0, 0xFEC00000, 0);
    madt_override(t, 0, 0, 2, 0);
    madt_override(t, 0, 9, 9, 0xD);
}

static void default_srat(struct tb *t)
{
    srat_begin(t);
    srat_cpu(t, 0, 0, 1);
    srat_cpu(t, 1, 0, 1);
    srat_cpu(t, 2, 1, 1);
    srat_cpu(t, 3, 1, 1);
    srat_memory(t, 0, 0, 0x80000000, 1);
    srat_memory(t, 1, 0x80000000, 0x80000000, 1);
}

static const uint8_t slit_10_20[4] = {10, 20, 20, 10};

static void default_slit(struct tb *t)
{
    slit_build(t, 2, slit_10_20, sizeof slit_10_20);
}

static const uint64_t std_tables[3] = {MADT_PHYS, SRAT_PHYS, SLIT_PHYS};

/* Installs the QEMU-like table set (RSDP revision 2 with RSDT and XSDT); returns the RSDP. */
static uint64_t machine(void)
{
    struct tb t;
    reset_memory();
    default_madt(&t);
    tb_install(&t, MADT_PHYS);
    default_srat(&t);
    tb_install(&t, SRAT_PHYS);
    default_slit(&t);
    tb_install(&t, SLIT_PHYS);
    install_rsdt(RSDT_PHYS, std_tables, 3);
    install_xsdt(XSDT_PHYS, std_tables, 3);
    install_rsdp(RSDP_PHYS, 2, (uint32_t)RSDT_PHYS, XSDT_PHYS);
    return RSDP_PHYS;
}

/* ---- Expected fallbacks ------------------------------------------------------------------ */

static bool default_distances(const struct acpi_topology *t)
{
    for (size_t i = 0; i < ACPI_MAX_NODES; i++)
        for (size_t j = 0; j < ACPI_MAX_NODES; j++)
            if (t->distance[i][j] != (i == j ? 10 : 20))
                return false;
    return true;
}

static bool madt_fallback(const struct acpi_topology *t)
{
    return !t->madt_valid && t->cpu_count == 0 && t->ioapic_count == 0 && t->override_count == 0 &&
           t->lapic_address == 0xFEE00000;
}

static bool srat_fallback(const struct acpi_topology *t)
{
    for (size_t i = 0; i < t->cpu_count; i++)
        if (t->cpus[i].node != 0)
            return false;
    return !t->srat_valid && t->node_count == 1 && t->node_domain[0] == 0 && t->memory_count == 0 &&
           !t->slit_valid && default_distances(t);
}

static bool all_fallback(const struct acpi_topology *t)
{
    return madt_fallback(t) && srat_fallback(t);
}

/* ---- Whole machine ----------------------------------------------------------------------- */

static void check_qemu_machine(const struct acpi_topology *t)
{
    CHECK(t->madt_valid && t->srat_valid && t->slit_valid);
    CHECK_EQ(t->lapic_address, 0xFEE00000u);
    REQUIRE(t->cpu_count == 4);
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_EQ(t->cpus[i].apic_id, i);
        CHECK_EQ(t->cpus[i].uid, i);
        CHECK_EQ(t->cpus[i].node, i / 2);
    }
    REQUIRE(t->ioapic_count == 1);
    CHECK_EQ(t->ioapics[0].id, 0u);
    CHECK_EQ(t->ioapics[0].address, 0xFEC00000u);
    CHECK_EQ(t->ioapics[0].gsi_base, 0u);
    REQUIRE(t->override_count == 2);
    CHECK(t->overrides[0].source_irq == 0 && t->overrides[0].gsi == 2 &&
          t->overrides[0].flags == 0);
    CHECK(t->overrides[1].source_irq == 9 && t->overrides[1].gsi == 9 &&
          t->overrides[1].flags == 0xD);
    REQUIRE(t->node_count == 2);
    CHECK(t->node_domain[0] == 0 && t->node_domain[1] == 1);
    REQUIRE(t->memory_count == 2);
    CHECK(t->memory[0].base == 0 && t->memory[0].length == 0x80000000 && t->memory[0].node == 0);
    CHECK(t->memory[1].base == 0x80000000 && t->memory[1].length == 0x80000000 &&
          t->memory[1].node == 1);
    CHECK(t->distance[0][0] == 10 && t->distance[0][1] == 20);
    CHECK(t->distance[1][0] == 20 && t->distance[1][1] == 10);
    CHECK(t->distance[2][2] == 10 && t->distance[2][3] == 20); /* unused nodes: defaults */
}

TEST(qemu_like_machine_parsed_exactly)
{
    struct acpi_topology t;
    uint64_t rsdp = machine();
    CHECK_EQ(find_rsdp(), rsdp);
    CHECK_EQ(parse(rsdp, &t), WG_ERR_OK);
    check_qemu_machine(&t);
    CHECK_EQ(warn_count, 0u);
}

TEST(rsdt_only_revision0)
{
    struct acpi_topology t;
    machine();
    memset(t64_mem, 0, sizeof t64_mem); /* no XSDT at all */
    install_rsdp(RSDP_PHYS, 0, (uint32_t)RSDT_PHYS, 0);
    /* Revision 0 ends at byte 20: whatever follows must not be read as an XSDT address. */
    uint64_t junk = XSDT_PHYS + 0x100;
    phys_write(RSDP_PHYS + 24, &junk, 8);
    CHECK_EQ(find_rsdp(), RSDP_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    check_qemu_machine(&t);
}

TEST(xsdt_preferred_over_rsdt)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    madt_lapic(&b, 0, 0, 1);
    tb_install(&b, ALT_PHYS);
    const uint64_t rsdt_tables[3] = {ALT_PHYS, SRAT_PHYS, SLIT_PHYS};
    install_rsdt(RSDT_PHYS, rsdt_tables, 3);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK_EQ(t.cpu_count, 4u);
    /* Tables only an XSDT can reach (above 4 GiB). */
    default_madt(&b);
    madt_lapic(&b, 4, 4, 1);
    tb_install(&b, T64_BASE + 0x1000);
    const uint64_t xsdt_tables[3] = {T64_BASE + 0x1000, SRAT_PHYS, SLIT_PHYS};
    install_xsdt(XSDT_PHYS, xsdt_tables, 3);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK_EQ(t.cpu_count, 5u);
    CHECK_EQ(t.cpus[4].node, 0);
    CHECK(warned("1 CPUs without affinity"));
}

TEST(bad_xsdt_falls_back_to_rsdt)
{
    struct acpi_topology t;
    machine();
    t64_mem[20] ^= 0x55; /* XSDT checksum broken */
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    check_qemu_machine(&t);
    CHECK(warned("XSDT"));
    CHECK(warned("falling back to the RSDT"));
}

TEST(bad_xsdt_without_rsdt_is_bad_format)
{
    struct acpi_topology t;
    machine();
    install_rsdp(RSDP_PHYS, 2, 0, XSDT_PHYS);
    t64_mem[20] ^= 0x55;
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_BAD_FORMAT);
    CHECK(all_fallback(&t));
    CHECK(warn_count > 0);
}

TEST(root_table_bad_checksum_is_bad_format)
{
    struct acpi_topology t;
    machine();
    install_rsdp(RSDP_PHYS, 0, (uint32_t)RSDT_PHYS, 0);
    t32_mem[40] ^= 1;
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_BAD_FORMAT);
    CHECK(all_fallback(&t));
    CHECK(warned("RSDT"));
    CHECK_EQ(acpi_find_table(&access, RSDP_PHYS, "APIC"), 0u);
}

TEST(root_table_with_wrong_signature_is_bad_format)
{
    struct acpi_topology t;
    machine();
    install_rsdp(RSDP_PHYS, 0, (uint32_t)MADT_PHYS, 0); /* points at the MADT */
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_BAD_FORMAT);
    CHECK(all_fallback(&t));
    CHECK(warned("wrong signature"));
}

TEST(root_listing_garbage_addresses_survives)
{
    struct acpi_topology t;
    machine();
    const uint64_t tables[7] = {
        0xDEAD0000, 0,        0xFFFFFFFFFFFFFFFEull, T64_BASE + TAB_SIZE - 2, MADT_PHYS,
        SRAT_PHYS,  SLIT_PHYS};
    install_xsdt(XSDT_PHYS, tables, 7);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    check_qemu_machine(&t);
    const uint64_t rsdt_tables[4] = {0xFFFFFFF0, 0x12345678, MADT_PHYS, SRAT_PHYS};
    install_rsdt(RSDT_PHYS, rsdt_tables, 4);
    install_rsdp(RSDP_PHYS, 0, (uint32_t)RSDT_PHYS, 0);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid && t.srat_valid && !t.slit_valid);
}

TEST(root_trailing_partial_entry_ignored)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    tb_sdt(&b, "RSDT");
    tb_u32(&b, (uint32_t)MADT_PHYS);
    tb_u32(&b, (uint32_t)SRAT_PHYS);
    tb_u16(&b, (uint16_t)SLIT_PHYS); /* half an entry */
    tb_install(&b, RSDT_PHYS);
    install_rsdp(RSDP_PHYS, 0, (uint32_t)RSDT_PHYS, 0);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid && t.srat_valid && !t.slit_valid);
    CHECK_EQ(acpi_find_table(&access, RSDP_PHYS, "SLIT"), 0u);
}

TEST(root_with_many_entries_is_capped)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    tb_sdt(&b, "XSDT");
    for (int i = 0; i < 300; i++)
        tb_u64(&b, 0xDEAD000000ull + (uint64_t)i * 0x1000);
    tb_u64(&b, MADT_PHYS); /* entry 300: beyond the cap */
    tb_install(&b, XSDT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(warned("reading the first 256"));
    CHECK(madt_fallback(&t));
    CHECK(!map_overflow);
}

TEST(find_table_ignores_checksum)
{
    machine();
    CHECK_EQ(acpi_find_table(&access, RSDP_PHYS, "APIC"), MADT_PHYS);
    CHECK_EQ(acpi_find_table(&access, RSDP_PHYS, "SLIT"), SLIT_PHYS);
    CHECK_EQ(acpi_find_table(&access, RSDP_PHYS, "HPET"), 0u);
    CHECK_EQ(acpi_find_table(&access, 0, "APIC"), 0u);
    t32_mem[0x1000 + 50] ^= 0xFF;
    CHECK_EQ(acpi_find_table(&access, RSDP_PHYS, "APIC"), MADT_PHYS);
    reset_log();
}

TEST(parse_without_rsdp_is_not_found)
{
    struct acpi_topology t;
    machine();
    CHECK_EQ(parse(0, &t), WG_ERR_NOT_FOUND);
    CHECK(all_fallback(&t));
}

TEST(parse_with_unreadable_rsdp_is_bad_format)
{
    struct acpi_topology t;
    machine();
    CHECK_EQ(parse(0x50000000, &t), WG_ERR_BAD_FORMAT);
    CHECK(all_fallback(&t));
    CHECK(warned("no valid RSDP"));
}

/* ---- RSDP search ------------------------------------------------------------------------- */

static void set_ebda(uint16_t segment)
{
    phys_write(0x40E, &segment, 2);
}

TEST(rsdp_found_in_ebda)
{
    machine();
    memset(low_mem + RSDP_PHYS, 0, 36);
    set_ebda(EBDA_SEG);
    install_rsdp(EBDA_PHYS + 0x30, 2, (uint32_t)RSDT_PHYS, XSDT_PHYS);
    CHECK_EQ(find_rsdp(), EBDA_PHYS + 0x30);
    /* The EBDA copy wins over one in the BIOS area. */
    install_rsdp(0xE0000, 0, (uint32_t)RSDT_PHYS, 0);
    CHECK_EQ(find_rsdp(), EBDA_PHYS + 0x30);
}

TEST(rsdp_beyond_first_ebda_kib_not_searched)
{
    machine();
    memset(low_mem + RSDP_PHYS, 0, 36);
    set_ebda(EBDA_SEG);
    install_rsdp(EBDA_PHYS + 0x400, 0, (uint32_t)RSDT_PHYS, 0);
    CHECK_EQ(find_rsdp(), 0u);
}

TEST(rsdp_found_in_bios_area)
{
    machine();
    CHECK_EQ(find_rsdp(), RSDP_PHYS);
    memset(low_mem + RSDP_PHYS, 0, 36);
    install_rsdp(0xE0000, 0, (uint32_t)RSDT_PHYS, 0);
    CHECK_EQ(find_rsdp(), 0xE0000u);
    memset(low_mem + 0xE0000, 0, 36);
    install_rsdp(0xFFFF0, 2, (uint32_t)RSDT_PHYS, XSDT_PHYS); /* last paragraph */
    CHECK_EQ(find_rsdp(), 0xFFFF0u);
}

TEST(rsdp_not_found)
{
    reset_memory();
    CHECK_EQ(find_rsdp(), 0u);
    install_rsdp(0xF0008, 0, (uint32_t)RSDT_PHYS, 0); /* not on a 16-byte boundary */
    CHECK_EQ(find_rsdp(), 0u);
    install_rsdp(0xDFFF0, 0, (uint32_t)RSDT_PHYS, 0); /* below the BIOS area */
    CHECK_EQ(find_rsdp(), 0u);
    set_ebda(0xFFFF); /* EBDA pointing past readable memory */
    CHECK_EQ(find_rsdp(), 0u);
}

TEST(rsdp_bad_checksum)
{
    struct acpi_topology t;
    machine();
    low_mem[RSDP_PHYS + 10] ^= 1;
    CHECK_EQ(find_rsdp(), 0u);
    CHECK(warned("bad checksum"));
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_BAD_FORMAT);
    CHECK(all_fallback(&t));
}

TEST(rsdp_bad_checksum_skipped_for_next_candidate)
{
    machine();
    set_ebda(EBDA_SEG);
    install_rsdp(EBDA_PHYS, 0, (uint32_t)RSDT_PHYS, 0);
    low_mem[EBDA_PHYS + 16] ^= 1;
    CHECK_EQ(find_rsdp(), RSDP_PHYS);
}

TEST(rsdp_bad_extended_checksum)
{
    struct acpi_topology t;
    machine();
    low_mem[RSDP_PHYS + 33] ^= 1; /* reserved byte: only the extended checksum covers it */
    CHECK_EQ(find_rsdp(), 0u);
    CHECK(warned("extended checksum"));
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_BAD_FORMAT);
    CHECK(all_fallback(&t));
}

static void rsdp_with_length(uint32_t length)
{
    uint8_t *r = low_mem + RSDP_PHYS;
    memcpy(r + 20, &length, 4);
    r[8] = 0;
    r[8] = (uint8_t)-sum(r, 20);
    r[32] = 0;
    r[32] = (uint8_t)-sum(r, 36);
}

TEST(rsdp_bad_length)
{
    struct acpi_topology t;
    machine();
    rsdp_with_length(20);
    CHECK_EQ(find_rsdp(), 0u);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_BAD_FORMAT);
    CHECK(warned("bad length"));
    rsdp_with_length(0x100000);
    CHECK_EQ(find_rsdp(), 0u);
    rsdp_with_length(36);
    CHECK_EQ(find_rsdp(), RSDP_PHYS);
}

/* ---- MADT -------------------------------------------------------------------------------- */

TEST(madt_bad_checksum)
{
    struct acpi_topology t;
    machine();
    t32_mem[0x1000 + 50] ^= 1;
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("APIC at 0x7fe1000: bad checksum"));
    /* The SRAT still gives the memory ranges; no CPUs to place. */
    CHECK(t.srat_valid && t.node_count == 2 && t.memory_count == 2 && t.slit_valid);
}

TEST(madt_missing)
{
    struct acpi_topology t;
    machine();
    const uint64_t tables[2] = {SRAT_PHYS, SLIT_PHYS};
    install_xsdt(XSDT_PHYS, tables, 2);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("no usable MADT"));
}

TEST(madt_length_past_mapped_memory)
{
    struct acpi_topology t;
    machine();
    set_u32(MADT_PHYS + 4, 0x20000);
    fix_checksum(MADT_PHYS); /* cannot: the length is unreadable */
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("length past readable memory"));
}

TEST(madt_too_short)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    tb_sdt(&b, "APIC");
    tb_u32(&b, 0xFEE00000);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("MADT too short"));
    set_u32(MADT_PHYS + 4, 20); /* shorter than a header */
    fix_checksum(MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("length too small"));
}

TEST(madt_zero_length_entry)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_madt(&b);
    tb_u8(&b, 0);
    tb_u8(&b, 0);
    madt_lapic(&b, 9, 9, 1);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("bad length"));
    CHECK(warned("APIC refused"));
}

TEST(madt_entry_running_past_end)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_madt(&b);
    tb_u8(&b, 0);
    tb_u8(&b, 8); /* claims 8 bytes, 4 remain */
    tb_u16(&b, 0x0505);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("bad length"));
    /* A single trailing byte cannot hold an entry header either. */
    default_madt(&b);
    tb_u8(&b, 0);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
}

TEST(madt_entry_too_short_for_its_type)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_madt(&b);
    tb_u8(&b, 1); /* I/O APIC with length 8 instead of 12 */
    tb_u8(&b, 8);
    tb_u16(&b, 0);
    tb_u32(&b, 0xFEC01000);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(madt_fallback(&t));
    CHECK(warned("type 1 at offset"));
}

TEST(madt_unknown_and_longer_entries_skipped)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_madt(&b);
    tb_u8(&b, 4); /* local APIC NMI: not used */
    tb_u8(&b, 6);
    tb_u32(&b, 0x01FF00);
    tb_u8(&b, 0x7F); /* reserved type */
    tb_u8(&b, 3);
    tb_u8(&b, 0);
    tb_u8(&b, 0); /* a local APIC entry grown by 4 bytes in some future revision */
    tb_u8(&b, 12);
    tb_u8(&b, 4);
    tb_u8(&b, 4);
    tb_u32(&b, 1);
    tb_u32(&b, 0xFFFFFFFF);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    CHECK_EQ(t.cpu_count, 5u);
    CHECK_EQ(t.cpus[4].apic_id, 4u);
}

TEST(madt_disabled_cpus_skipped_online_capable_kept)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    madt_lapic(&b, 0, 0, 1);
    madt_lapic(&b, 1, 1, 0); /* disabled, not online-capable: absent */
    madt_lapic(&b, 2, 2, 2); /* online-capable */
    madt_lapic(&b, 3, 3, 3);
    madt_lapic(&b, 4, 4, 0xFC); /* only reserved bits */
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    REQUIRE(t.cpu_count == 3);
    CHECK_EQ(t.cpus[0].apic_id, 0u);
    CHECK_EQ(t.cpus[1].apic_id, 2u);
    CHECK_EQ(t.cpus[2].apic_id, 3u);
    CHECK(t.cpus[0].node == 0 && t.cpus[1].node == 1 && t.cpus[2].node == 1);
}

TEST(madt_x2apic_entries)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    madt_lapic(&b, 0, 0, 1);
    madt_x2apic(&b, 0x100, 1, 300);
    madt_x2apic(&b, 0x101, 0, 301); /* disabled */
    madt_x2apic(&b, 0x102, 2, 302);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    REQUIRE(t.cpu_count == 3);
    CHECK(t.cpus[1].apic_id == 0x100 && t.cpus[1].uid == 300);
    CHECK(t.cpus[2].apic_id == 0x102 && t.cpus[2].uid == 302);
    /* No SRAT entry for the x2APIC CPUs: node 0 with a warning. */
    CHECK(t.srat_valid && t.cpus[1].node == 0 && t.cpus[2].node == 0);
    CHECK(warned("2 CPUs without affinity"));
}

TEST(madt_duplicate_apic_id_ignored)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_madt(&b);
    madt_x2apic(&b, 2, 1, 77);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    CHECK_EQ(t.cpu_count, 4u);
    CHECK_EQ(t.cpus[2].uid, 2u);
    CHECK(warned("twice"));
}

TEST(madt_overrides_and_lapic_address_override)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    madt_lapic(&b, 0, 0, 1);
    madt_ioapic(&b, 2, 0xFEC00000, 0);
    madt_ioapic(&b, 3, 0xFEC01000, 24);
    madt_override(&b, 0, 0, 2, 0);
    madt_override(&b, 0, 9, 20, 0xF);
    madt_override(&b, 1, 5, 5, 0); /* not ISA: ignored */
    madt_lapic_address(&b, 0x1FEE00000ull);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    CHECK_EQ(t.lapic_address, 0x1FEE00000ull);
    REQUIRE(t.ioapic_count == 2);
    CHECK(t.ioapics[1].id == 3 && t.ioapics[1].address == 0xFEC01000 &&
          t.ioapics[1].gsi_base == 24);
    REQUIRE(t.override_count == 2);
    CHECK(t.overrides[1].source_irq == 9 && t.overrides[1].gsi == 20 &&
          t.overrides[1].flags == 0xF);
    CHECK(warned("bus 1"));
}

TEST(madt_too_many_cpus_capped)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    for (int i = 0; i < ACPI_MAX_CPUS + 6; i++)
        madt_lapic(&b, (uint8_t)i, (uint8_t)i, 1);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    CHECK_EQ(t.cpu_count, (size_t)ACPI_MAX_CPUS);
    CHECK_EQ(t.cpus[ACPI_MAX_CPUS - 1].apic_id, (uint32_t)ACPI_MAX_CPUS - 1);
    CHECK(warned("6 CPUs beyond the first 64"));
    CHECK(t.srat_valid);
}

TEST(madt_too_many_ioapics_and_overrides_capped)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    madt_lapic(&b, 0, 0, 1);
    for (int i = 0; i < ACPI_MAX_IOAPICS + 1; i++)
        madt_ioapic(&b, (uint8_t)i, 0xFEC00000 + (uint32_t)i * 0x1000, (uint32_t)i * 24);
    for (int i = 0; i < ACPI_MAX_OVERRIDES + 2; i++)
        madt_override(&b, 0, (uint8_t)i, (uint32_t)i, 0);
    tb_install(&b, MADT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    CHECK_EQ(t.ioapic_count, (size_t)ACPI_MAX_IOAPICS);
    CHECK_EQ(t.override_count, (size_t)ACPI_MAX_OVERRIDES);
    CHECK(warned("1 I/O APICs beyond"));
    CHECK(warned("2 overrides beyond"));
}

/* ---- SRAT -------------------------------------------------------------------------------- */

static void check_srat_refused(void)
{
    struct acpi_topology t;
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid);
    CHECK_EQ(t.cpu_count, 4u);
    CHECK(srat_fallback(&t));
    CHECK(warn_count > 0);
    CHECK(warned("SLIT ignored without a valid SRAT"));
}

TEST(srat_bad_checksum)
{
    machine();
    t32_mem[0x2000 + 60] ^= 1;
    check_srat_refused();
    CHECK(warned("SRAT at 0x7fe2000: bad checksum"));
}

TEST(srat_length_past_mapped_memory)
{
    machine();
    set_u32(SRAT_PHYS + 4, 0xFFFFFFF0);
    check_srat_refused();
    CHECK(warned("length past readable memory"));
}

TEST(srat_too_short)
{
    struct tb b;
    machine();
    tb_sdt(&b, "SRAT");
    tb_u32(&b, 1);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
    CHECK(warned("SRAT too short"));
}

TEST(srat_zero_length_entry)
{
    struct tb b;
    machine();
    default_srat(&b);
    tb_u8(&b, 1);
    tb_u8(&b, 0);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
    CHECK(warned("SRAT entry at offset 192 has a bad length"));
}

TEST(srat_entry_running_past_end)
{
    struct tb b;
    machine();
    default_srat(&b);
    tb_u8(&b, 1);
    tb_u8(&b, 40);
    tb_u64(&b, 0);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
    CHECK(warned("bad length"));
}

TEST(srat_entry_too_short_for_its_type)
{
    struct tb b;
    machine();
    default_srat(&b);
    tb_u8(&b, 1); /* memory affinity with length 24 instead of 40 */
    tb_u8(&b, 24);
    for (int i = 0; i < 22; i++)
        tb_u8(&b, 0);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
    CHECK(warned("type 1 at offset"));
}

TEST(srat_memory_range_wrapping_refused)
{
    struct tb b;
    machine();
    default_srat(&b);
    srat_memory(&b, 0, 0xFFFFFFFFFFFF0000ull, 0x20000, 1);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
}

TEST(srat_too_many_nodes)
{
    struct tb b;
    machine();
    default_srat(&b);
    for (uint32_t d = 2; d <= ACPI_MAX_NODES; d++) /* domains 0..8: nine */
        srat_memory(&b, d, 0x100000000ull * d, 0x1000, 1);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
    CHECK(warned("more than 8 proximity domains"));
}

TEST(srat_exactly_max_nodes)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_srat(&b);
    for (uint32_t d = 2; d < ACPI_MAX_NODES; d++)
        srat_memory(&b, d, 0x100000000ull * d, 0x1000, 1);
    srat_memory(&b, 99, 0, 0x1000, 0); /* disabled: does not count */
    tb_install(&b, SRAT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.srat_valid);
    CHECK_EQ(t.node_count, (size_t)ACPI_MAX_NODES);
    CHECK_EQ(t.memory_count, (size_t)ACPI_MAX_NODES);
    /* The SLIT only knows domains 0 and 1. */
    CHECK(!t.slit_valid && default_distances(&t));
    CHECK(warned("no row for proximity domain 2"));
}

TEST(srat_cpu_missing_goes_to_node0)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    srat_begin(&b);
    srat_memory(&b, 4, 0, 0x1000000, 1);
    srat_cpu(&b, 1, 5, 1);
    srat_cpu(&b, 2, 5, 0); /* disabled: as if absent */
    srat_cpu(&b, 9, 6, 1); /* not in the MADT */
    tb_install(&b, SRAT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.srat_valid);
    REQUIRE(t.node_count == 3);
    CHECK(t.node_domain[0] == 4 && t.node_domain[1] == 5 && t.node_domain[2] == 6);
    CHECK(t.cpus[0].node == 0 && t.cpus[1].node == 1 && t.cpus[2].node == 0 && t.cpus[3].node == 0);
    CHECK(warned("3 CPUs without affinity, put on node 0"));
    CHECK(!t.slit_valid); /* domains 4-6 are beyond its 2 localities */
}

TEST(srat_domains_renumbered_in_order_of_appearance)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    srat_begin(&b);
    srat_cpu(&b, 0, 0x01000007, 1); /* domain bits 8-31 in the high bytes */
    srat_cpu(&b, 1, 3, 1);
    srat_memory(&b, 3, 0x1000, 0x1000, 1);
    srat_memory(&b, 0x01000007, 0x2000, 0x1000, 1);
    srat_memory(&b, 3, 0x3000, 0, 1); /* empty: skipped */
    srat_x2apic(&b, 2, 3, 1);
    srat_x2apic(&b, 3, 0x01000007, 1);
    tb_install(&b, SRAT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.srat_valid);
    REQUIRE(t.node_count == 2);
    CHECK(t.node_domain[0] == 0x01000007 && t.node_domain[1] == 3);
    CHECK(t.cpus[0].node == 0 && t.cpus[1].node == 1 && t.cpus[2].node == 1 && t.cpus[3].node == 0);
    REQUIRE(t.memory_count == 2);
    CHECK(t.memory[0].node == 1 && t.memory[1].node == 0);
    CHECK_EQ(warn_count, 2u); /* SLIT refused (domain 0x01000007) and its fallback notice */
}

TEST(srat_x2apic_affinity)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    madt_begin(&b, 0xFEE00000);
    madt_x2apic(&b, 0x200, 1, 0);
    madt_x2apic(&b, 0x201, 1, 1);
    tb_install(&b, MADT_PHYS);
    srat_begin(&b);
    srat_x2apic(&b, 0x201, 1, 1);
    srat_x2apic(&b, 0x200, 0, 1);
    srat_x2apic(&b, 0x200, 1, 1); /* second mention: first wins */
    srat_memory(&b, 0, 0, 0x1000, 1);
    tb_install(&b, SRAT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.srat_valid && t.slit_valid);
    CHECK(t.node_domain[0] == 1 && t.node_domain[1] == 0);
    CHECK(t.cpus[0].node == 1 && t.cpus[1].node == 0);
    CHECK(t.distance[0][1] == 20 && t.distance[1][1] == 10);
}

TEST(srat_without_enabled_entries_refused)
{
    struct tb b;
    machine();
    srat_begin(&b);
    srat_cpu(&b, 0, 0, 0);
    srat_memory(&b, 1, 0, 0x1000, 0);
    tb_install(&b, SRAT_PHYS);
    check_srat_refused();
    CHECK(warned("no enabled proximity domain"));
}

TEST(srat_too_many_memory_ranges_capped)
{
    struct acpi_topology t;
    struct tb b;
    machine();
    default_srat(&b);
    for (int i = 0; i < ACPI_MAX_MEMORY + 1; i++)
        srat_memory(&b, (uint32_t)i % 2, 0x100000000ull + (uint64_t)i * 0x1000, 0x1000, 1);
    tb_install(&b, SRAT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.srat_valid);
    CHECK_EQ(t.memory_count, (size_t)ACPI_MAX_MEMORY);
    CHECK(warned("3 memory ranges beyond the first 32"));
}

/* ---- SLIT -------------------------------------------------------------------------------- */

static void check_slit_refused(void)
{
    struct acpi_topology t;
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid && t.srat_valid && t.node_count == 2);
    CHECK(!t.slit_valid);
    CHECK(default_distances(&t));
    CHECK(warn_count > 0);
}

TEST(slit_bad_checksum)
{
    machine();
    t32_mem[0x3000 + 44] ^= 1;
    check_slit_refused();
    CHECK(warned("bad checksum"));
}

TEST(slit_length_past_mapped_memory)
{
    machine();
    set_u32(SLIT_PHYS + 4, TAB_SIZE);
    check_slit_refused();
}

TEST(slit_count_not_covered_by_length)
{
    struct tb b;
    machine();
    slit_build(&b, 3, slit_10_20, 4);
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
    CHECK(warned("3 localities do not fit"));
    slit_build(&b, 0, NULL, 0);
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
    slit_build(&b, 0x100000001ull, slit_10_20, 4); /* its square wraps 64 bits */
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
    tb_sdt(&b, "SLIT");
    tb_u32(&b, 2); /* no room for the count */
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
    CHECK(warned("SLIT too short"));
}

TEST(slit_wrong_diagonal)
{
    struct tb b;
    static const uint8_t matrix[4] = {10, 20, 20, 11};
    machine();
    slit_build(&b, 2, matrix, 4);
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
    CHECK(warned("distance out of range"));
}

TEST(slit_reserved_distance)
{
    struct tb b;
    static const uint8_t matrix[4] = {10, 9, 20, 10};
    machine();
    slit_build(&b, 2, matrix, 4);
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
}

TEST(slit_unused_locality_still_checked)
{
    struct tb b;
    static const uint8_t matrix[9] = {10, 20, 30, 20, 10, 30, 30, 30, 0};
    machine();
    slit_build(&b, 3, matrix, 9);
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
}

TEST(slit_domain_beyond_count)
{
    struct tb b;
    static const uint8_t one[1] = {10};
    machine();
    slit_build(&b, 1, one, 1);
    tb_install(&b, SLIT_PHYS);
    check_slit_refused();
    CHECK(warned("no row for proximity domain 1"));
}

TEST(slit_mapped_through_domains_with_unreachable)
{
    struct acpi_topology t;
    struct tb b;
    /* Localities 0..2; the SRAT uses domains 2 then 0. Rows are "from". */
    static const uint8_t matrix[9] = {10, 40, 21, 40, 10, 255, 31, 255, 10};
    machine();
    srat_begin(&b);
    srat_cpu(&b, 0, 2, 1);
    srat_cpu(&b, 1, 2, 1);
    srat_cpu(&b, 2, 0, 1);
    srat_cpu(&b, 3, 0, 1);
    tb_install(&b, SRAT_PHYS);
    slit_build(&b, 3, matrix, 9);
    tb_u8(&b, 0xEE); /* trailing bytes are allowed */
    tb_install(&b, SLIT_PHYS);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.srat_valid && t.slit_valid);
    CHECK(t.node_domain[0] == 2 && t.node_domain[1] == 0);
    CHECK(t.distance[0][0] == 10 && t.distance[0][1] == 31);
    CHECK(t.distance[1][0] == 21 && t.distance[1][1] == 10);
    CHECK(t.cpus[0].node == 0 && t.cpus[3].node == 1);
    CHECK_EQ(warn_count, 0u);
}

TEST(slit_without_srat_ignored)
{
    struct acpi_topology t;
    machine();
    const uint64_t tables[2] = {MADT_PHYS, SLIT_PHYS};
    install_xsdt(XSDT_PHYS, tables, 2);
    CHECK_EQ(parse(RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid && t.cpu_count == 4);
    CHECK(srat_fallback(&t));
    CHECK(warned("SLIT ignored without a valid SRAT"));
}

TEST(no_warn_callback_is_fine)
{
    struct acpi_topology t;
    struct acpi_access quiet = {.map = fake_map, .warn = NULL, .ctx = NULL};
    machine();
    t32_mem[0x3000 + 44] ^= 1;
    CHECK_EQ(acpi_parse(&quiet, RSDP_PHYS, &t), WG_ERR_OK);
    CHECK(t.madt_valid && t.srat_valid && !t.slit_valid);
    reset_log();
}

/* ---- Random corruption ------------------------------------------------------------------- */

struct saved_table {
    uint64_t phys;
    size_t length;
    uint8_t bytes[512];
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void save(struct saved_table *s, uint64_t phys, size_t length)
{
    s->phys = phys;
    s->length = length;
    memcpy(s->bytes, phys_ptr(phys, length), length);
}

static void check_bounds(const struct acpi_topology *t)
{
    CHECK(t->cpu_count <= ACPI_MAX_CPUS && t->ioapic_count <= ACPI_MAX_IOAPICS);
    CHECK(t->override_count <= ACPI_MAX_OVERRIDES && t->memory_count <= ACPI_MAX_MEMORY);
    CHECK(t->node_count >= 1 && t->node_count <= ACPI_MAX_NODES);
    for (size_t i = 0; i < t->cpu_count && i < ACPI_MAX_CPUS; i++)
        CHECK(t->cpus[i].node < t->node_count);
    for (size_t i = 0; i < t->memory_count && i < ACPI_MAX_MEMORY; i++)
        CHECK(t->memory[i].node < t->node_count);
    CHECK(t->madt_valid || t->cpu_count == 0);
    CHECK(t->srat_valid || (t->node_count == 1 && t->memory_count == 0));
    CHECK(t->slit_valid || default_distances(t));
    CHECK(!t->slit_valid || t->srat_valid);
}

TEST(random_corruption_never_crashes)
{
    struct saved_table saved[6];
    struct acpi_topology t;
    struct tb b;
    size_t ok = 0, valid_madt = 0;

    machine();
    default_madt(&b);
    madt_x2apic(&b, 0x300, 1, 9);
    madt_lapic_address(&b, 0xFEE00000);
    tb_install(&b, MADT_PHYS);
    default_srat(&b);
    srat_x2apic(&b, 0x300, 1, 1);
    tb_install(&b, SRAT_PHYS);
    save(&saved[0], RSDP_PHYS, 36);
    save(&saved[1], RSDT_PHYS, 48);
    save(&saved[2], XSDT_PHYS, 60);
    save(&saved[3], MADT_PHYS, 44 + 4 * 8 + 12 + 2 * 10 + 16 + 12);
    save(&saved[4], SRAT_PHYS, 48 + 4 * 16 + 2 * 40 + 24);
    save(&saved[5], SLIT_PHYS, 48);
    for (int iter = 0; iter < 4000; iter++) {
        for (size_t i = 0; i < 6; i++)
            phys_write(saved[i].phys, saved[i].bytes, saved[i].length);
        struct saved_table *victim = &saved[rng() % 6];
        int flips = 1 + (int)(rng() % 4);
        for (int f = 0; f < flips; f++)
            phys_ptr(victim->phys, 1)[rng() % victim->length] = (uint8_t)rng();
        if (rng() % 4 != 0) { /* usually get past the checksums to reach the parsers */
            for (size_t i = 1; i < 6; i++)
                fix_checksum(saved[i].phys);
            rsdp_with_length(36);
        }
        enum wg_error err = parse(RSDP_PHYS, &t);
        CHECK(err == WG_ERR_OK || err == WG_ERR_BAD_FORMAT);
        check_bounds(&t);
        ok += err == WG_ERR_OK;
        valid_madt += t.madt_valid;
        if (iter % 64 == 0)
            find_rsdp();
    }
    reset_log();
    CHECK(!map_overflow);
    /* The loop exercised the parsers, not only the checksum checks. */
    if (getenv("ACPI_TEST_VERBOSE"))
        printf("    %zu parsed, %zu with a valid MADT\n", ok, valid_madt);
    CHECK(ok > 1000 && valid_madt > 500);
}

/* ---- MCFG (kernel/acpi/mcfg.c) ------------------------------------------------------------ */

static void mcfg_entry(struct tb *t, uint64_t base, uint16_t segment, uint8_t first, uint8_t last)
{
    tb_u64(t, base);
    tb_u16(t, segment);
    tb_u8(t, first);
    tb_u8(t, last);
    tb_u32(t, 0);
}

/* The machine's tables plus an MCFG at ALT_PHYS with the given windows. */
static void install_mcfg(const uint64_t *bases, const uint16_t *segments, size_t count)
{
    struct tb t;
    machine();
    tb_sdt(&t, "MCFG");
    tb_u64(&t, 0);
    for (size_t i = 0; i < count; i++)
        mcfg_entry(&t, bases[i], segments[i], 0, 255);
    tb_install(&t, ALT_PHYS);
    const uint64_t tables[4] = {MADT_PHYS, SRAT_PHYS, SLIT_PHYS, ALT_PHYS};
    install_xsdt(XSDT_PHYS, tables, 4);
}

TEST(mcfg_segment0_window_found)
{
    const uint64_t bases[2] = {0xC0000000, 0xB0000000};
    const uint16_t segments[2] = {1, 0};
    install_mcfg(bases, segments, 2);
    struct acpi_ecam ecam;
    CHECK_EQ(acpi_mcfg_parse(&access, RSDP_PHYS, &ecam), WG_ERR_OK);
    CHECK_EQ(ecam.base, 0xB0000000ull);
    CHECK_EQ(ecam.segment, 0);
    CHECK_EQ(ecam.first_bus, 0);
    CHECK_EQ(ecam.last_bus, 255);
}

TEST(mcfg_missing_is_not_found)
{
    struct acpi_ecam ecam;
    CHECK_EQ(acpi_mcfg_parse(&access, machine(), &ecam), WG_ERR_NOT_FOUND);
    CHECK_EQ(acpi_mcfg_parse(&access, 0, &ecam), WG_ERR_NOT_FOUND);
    const uint64_t bases[1] = {0xC0000000};
    const uint16_t segments[1] = {3};
    install_mcfg(bases, segments, 1);
    CHECK_EQ(acpi_mcfg_parse(&access, RSDP_PHYS, &ecam), WG_ERR_NOT_FOUND);
}

TEST(mcfg_bad_window_or_checksum_refused)
{
    const uint64_t bases[1] = {0xB0000800}; /* not on a 1 MiB boundary */
    const uint16_t segments[1] = {0};
    struct acpi_ecam ecam;
    install_mcfg(bases, segments, 1);
    CHECK_EQ(acpi_mcfg_parse(&access, RSDP_PHYS, &ecam), WG_ERR_BAD_FORMAT);
    CHECK(warned("MCFG window"));
    const uint64_t wraps[1] = {0xFFFFFFFFFFF00000ull};
    install_mcfg(wraps, segments, 1);
    CHECK_EQ(acpi_mcfg_parse(&access, RSDP_PHYS, &ecam), WG_ERR_BAD_FORMAT);
    const uint64_t good[1] = {0xB0000000};
    install_mcfg(good, segments, 1);
    phys_ptr(ALT_PHYS, 64)[50] ^= 0x40;
    CHECK_EQ(acpi_mcfg_parse(&access, RSDP_PHYS, &ecam), WG_ERR_BAD_FORMAT);
    CHECK(warned("MCFG at 0x7fe4000: bad checksum"));
}

/* ---- FADT and \_S5 (kernel/acpi/fadt.c) --------------------------------------------------- */

#define DSDT_PHYS (T32_BASE + 0x5000)

/* AML for Name(\_S5, Package(4) {a, b, 0, 0}): NameOp, '\', name, PackageOp, PkgLength. */
static size_t s5_aml(uint8_t *out, uint8_t a, uint8_t b)
{
    const uint8_t aml[] = {0x10, 0x08, '\\', '_', 'S',  '5', '_',  0x12,
                           0x0a, 0x04, 0x0a, a,   0x0a, b,   0x00, 0x00};
    memcpy(out, aml, sizeof aml);
    return sizeof aml;
}

/* The machine's tables plus a FADT at ALT_PHYS (PM1a control 0x604, reset register 0xcf9 in
 * I/O space if `reset`) whose DSDT (at DSDT_PHYS) holds `aml`. */
static void install_fadt(const uint8_t *aml, size_t aml_length, bool reset)
{
    struct tb t;
    machine();
    tb_sdt(&t, "DSDT");
    tb_put(&t, aml, aml_length);
    tb_install(&t, DSDT_PHYS);
    tb_sdt(&t, "FACP");
    tb_u32(&t, 0);                   /* 36: FIRMWARE_CTRL */
    tb_u32(&t, (uint32_t)DSDT_PHYS); /* 40: DSDT */
    while (t.n < 64)
        tb_u8(&t, 0);
    tb_u32(&t, 0x604); /* 64: PM1a_CNT_BLK */
    tb_u32(&t, 0);     /* 68: PM1b_CNT_BLK */
    while (t.n < 112)
        tb_u8(&t, 0);
    tb_u32(&t, reset ? 1u << 10 : 0); /* 112: flags, RESET_REG_SUP */
    tb_u8(&t, 1);                     /* 116: RESET_REG: system I/O */
    tb_u8(&t, 8);
    tb_u8(&t, 0);
    tb_u8(&t, 1);
    tb_u64(&t, 0xcf9);
    tb_u8(&t, 0x06); /* 128: RESET_VALUE */
    while (t.n < 148)
        tb_u8(&t, 0); /* X_DSDT (140) 0: use DSDT */
    tb_install(&t, ALT_PHYS);
    const uint64_t tables[4] = {MADT_PHYS, SRAT_PHYS, SLIT_PHYS, ALT_PHYS};
    install_xsdt(XSDT_PHYS, tables, 4);
}

TEST(fadt_power_off_and_reset_found)
{
    uint8_t aml[64];
    size_t length = s5_aml(aml, 5, 7);
    install_fadt(aml, length, true);
    struct acpi_power power;
    CHECK_EQ(acpi_power_parse(&access, RSDP_PHYS, &power), WG_ERR_OK);
    CHECK(power.s5_valid);
    CHECK_EQ(power.pm1a_cnt, 0x604);
    CHECK_EQ(power.pm1b_cnt, 0);
    CHECK_EQ(power.slp_typa, 5);
    CHECK_EQ(power.slp_typb, 7);
    CHECK(power.reset_valid);
    CHECK_EQ(power.reset_port, 0xcf9);
    CHECK_EQ(power.reset_value, 0x06);
}

TEST(fadt_missing_or_without_s5)
{
    struct acpi_power power;
    CHECK_EQ(acpi_power_parse(&access, machine(), &power), WG_ERR_NOT_FOUND);
    CHECK(!power.s5_valid && !power.reset_valid);
    const uint8_t no_s5[] = {0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00};
    install_fadt(no_s5, sizeof no_s5, false);
    CHECK_EQ(acpi_power_parse(&access, RSDP_PHYS, &power), WG_ERR_OK);
    CHECK(!power.s5_valid);
    CHECK(!power.reset_valid);
    CHECK(warned("no usable \\_S5"));
}

TEST(s5_forms_and_truncations)
{
    uint8_t a, b;
    const uint8_t zero_one[] = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01, 0x00, 0x00};
    CHECK(acpi_find_s5(zero_one, sizeof zero_one, &a, &b));
    CHECK_EQ(a, 0);
    CHECK_EQ(b, 1);
    const uint8_t unnamed[] = {0x00, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01};
    CHECK(!acpi_find_s5(unnamed, sizeof unnamed, &a, &b)); /* not after a NameOp */
    uint8_t aml[64];
    size_t length = s5_aml(aml, 5, 5);
    for (size_t cut = 0; cut < length - 2; cut++) /* every truncation is refused, never read past */
        CHECK(!acpi_find_s5(aml, cut, &a, &b));
    const uint8_t word[] = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0b, 0x01, 0x00};
    CHECK(!acpi_find_s5(word, sizeof word, &a, &b)); /* a WordPrefix is not a sleep type */
}
