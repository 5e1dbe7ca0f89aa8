/* Host tests for the block protocol's request checks (user/lib/block_check.c). */
#include "test.h"

#include "user/lib/block.h"

static const struct block_limits limits = {
    .info = {.sectors = 1000, .sector_size = 512, .flags = 0, .max_transfer = 32768},
    .buffer_size = 65536,
};

static enum wg_error check(uint32_t op, uint64_t lba, uint32_t sectors, uint64_t offset)
{
    struct block_request r = {op, 0, lba, sectors, 0, offset};
    return block_check(&r, &limits);
}

TEST(valid_requests_pass)
{
    CHECK_EQ(check(BLOCK_READ, 0, 1, 0), WG_ERR_OK);
    CHECK_EQ(check(BLOCK_WRITE, 936, 64, 32768), WG_ERR_OK); /* last sectors, end of buffer */
    CHECK_EQ(check(BLOCK_FLUSH, 123456, 0, 3), WG_ERR_OK);   /* fields ignored */
}

TEST(each_bad_field_has_its_error)
{
    CHECK_EQ(check(BLOCK_READ, 1000, 1, 0), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(check(BLOCK_READ, 999, 2, 0), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(check(BLOCK_READ, UINT64_MAX, 1, 0), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(check(BLOCK_READ, 0, 0, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(check(BLOCK_READ, 0, 65, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(check(BLOCK_READ, 0, UINT32_MAX, 0), WG_ERR_INVALID_ARGUMENT);
    CHECK_EQ(check(BLOCK_READ, 0, 1, 100), WG_ERR_MISALIGNED);
    CHECK_EQ(check(BLOCK_READ, 0, 2, 65024), WG_ERR_BAD_ADDRESS);
    CHECK_EQ(check(BLOCK_READ, 0, 1, UINT64_MAX - 511), WG_ERR_BAD_ADDRESS);
    CHECK_EQ(check(0, 0, 1, 0), WG_ERR_NOT_SUPPORTED);
    CHECK_EQ(check(77, 0, 1, 0), WG_ERR_NOT_SUPPORTED);
}

TEST(read_only_refuses_writes_and_flushes)
{
    struct block_limits ro = limits;
    ro.info.flags = BLOCK_INFO_READ_ONLY;
    struct block_request w = {BLOCK_WRITE, 0, 0, 1, 0, 0}, f = {BLOCK_FLUSH, 0, 0, 0, 0, 0},
                         r = {BLOCK_READ, 0, 0, 1, 0, 0};
    CHECK_EQ(block_check(&w, &ro), WG_ERR_READ_ONLY);
    CHECK_EQ(block_check(&f, &ro), WG_ERR_READ_ONLY);
    CHECK_EQ(block_check(&r, &ro), WG_ERR_OK);
}

TEST(batch_placement)
{
    CHECK_EQ(block_check_batch(0, 1, 4096), WG_ERR_OK);
    CHECK_EQ(block_check_batch(4096 - 64 * 32, 64, 4096), WG_ERR_OK);
    CHECK_EQ(block_check_batch(0, 0, 4096), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(block_check_batch(0, 65, 1 << 20), WG_ERR_OUT_OF_RANGE);
    CHECK_EQ(block_check_batch(4, 1, 4096), WG_ERR_MISALIGNED);
    CHECK_EQ(block_check_batch(4096 - 16, 1, 4096), WG_ERR_BAD_ADDRESS);
    CHECK_EQ(block_check_batch(UINT64_MAX - 7, 1, 4096), WG_ERR_BAD_ADDRESS);
}
