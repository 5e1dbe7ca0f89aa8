/* Host tests for NVMe PRP entries and lists (user/services/nvme/prp.c). */
#include "test.h"

#include <string.h>

#include "user/services/nvme/prp.h"

static uint64_t list[512];

static struct nvme_prp_list room(uint64_t phys, uint32_t entries)
{
    memset(list, 0xee, sizeof list);
    return (struct nvme_prp_list){list, phys, entries};
}

TEST(prp_one_page_needs_no_prp2)
{
    struct nvme_prp_list r = room(0x9000, 8);
    struct nvme_prp p;
    REQUIRE(nvme_prp_build(0x100000, 4096, &r, &p) == WG_ERR_OK);
    CHECK_EQ(p.prp1, 0x100000u);
    CHECK_EQ(p.prp2, 0u);
    REQUIRE(nvme_prp_build(0x100200, 512, &r, &p) == WG_ERR_OK);
    CHECK_EQ(p.prp1, 0x100200u);
    CHECK_EQ(p.prp2, 0u);
    CHECK_EQ(list[0], 0xeeeeeeeeeeeeeeeeull); /* no list written */
}

TEST(prp_two_pages_put_the_second_in_prp2)
{
    struct nvme_prp_list r = room(0x9000, 8);
    struct nvme_prp p;
    REQUIRE(nvme_prp_build(0x100000, 8192, &r, &p) == WG_ERR_OK);
    CHECK_EQ(p.prp2, 0x101000u);
    /* 512 bytes straddling a page boundary: two pages too */
    REQUIRE(nvme_prp_build(0x100e00, 1024, &r, &p) == WG_ERR_OK);
    CHECK_EQ(p.prp1, 0x100e00u);
    CHECK_EQ(p.prp2, 0x101000u);
}

TEST(prp_longer_transfers_use_a_list)
{
    struct nvme_prp_list r = room(0x9040, 7);
    struct nvme_prp p;
    REQUIRE(nvme_prp_build(0x200000, 32768, &r, &p) == WG_ERR_OK);
    CHECK_EQ(p.prp1, 0x200000u);
    CHECK_EQ(p.prp2, 0x9040u);
    for (int i = 0; i < 7; i++)
        CHECK_EQ(list[i], 0x201000u + (uint64_t)i * 4096);
    CHECK_EQ(list[7], 0xeeeeeeeeeeeeeeeeull);
    /* three pages from an offset: list of two */
    REQUIRE(nvme_prp_build(0x200800, 8192, &r, &p) == WG_ERR_OK);
    CHECK_EQ(list[0], 0x201000u);
    CHECK_EQ(list[1], 0x202000u);
}

TEST(prp_refuses_what_it_cannot_describe)
{
    struct nvme_prp_list r = room(0x9040, 7);
    struct nvme_prp p = {1, 2};
    CHECK_EQ(nvme_prp_build(0x200000, 0, &r, &p), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(nvme_prp_build(0x200002, 512, &r, &p), WG_ERR_MISALIGNED);
    CHECK_EQ(nvme_prp_build(0x200000, 32769, &r, &p), WG_ERR_OUT_OF_RANGE); /* 9 pages */
    r = room(0x9ff0, 7); /* 3 entries would cross into the next page */
    CHECK_EQ(nvme_prp_build(0x200000, 16384, &r, &p), WG_ERR_OUT_OF_RANGE);
    r = room(0x9044, 7);
    CHECK_EQ(nvme_prp_build(0x200000, 16384, &r, &p), WG_ERR_MISALIGNED);
    CHECK_EQ(p.prp1, 1u); /* untouched */
    CHECK_EQ(list[0], 0xeeeeeeeeeeeeeeeeull);
    r = room(0x9ff0, 7); /* 2 entries fit exactly before the page ends */
    CHECK_EQ(nvme_prp_build(0x200000, 12288, &r, &p), WG_ERR_OK);
}

TEST(prp_large_list_of_a_whole_page)
{
    struct nvme_prp_list r = room(0x9000, 512);
    struct nvme_prp p;
    REQUIRE(nvme_prp_build(0x400000, 512 * 4096, &r, &p) == WG_ERR_OK);
    CHECK_EQ(list[510], 0x400000u + 511ull * 4096);
    CHECK_EQ(nvme_prp_build(0x400000, 513 * 4096 + 4, &r, &p), WG_ERR_OUT_OF_RANGE);
}
