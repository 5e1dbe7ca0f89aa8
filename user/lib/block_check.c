/* Checking block requests before anything runs (block.h): pure logic, unit-tested on the
 * host (tests/host/test_block.c). */
#include "block.h"

enum wg_error block_check_batch(uint64_t offset, uint64_t count, uint64_t buffer_size)
{
    if (count == 0 || count > BLOCK_BATCH_MAX)
        return WG_ERR_OUT_OF_RANGE;
    if (offset % 8 != 0)
        return WG_ERR_MISALIGNED;
    uint64_t bytes = count * sizeof(struct block_request);
    if (offset > buffer_size || bytes > buffer_size - offset)
        return WG_ERR_BAD_ADDRESS;
    return WG_ERR_OK;
}

enum wg_error block_check(const struct block_request *request, const struct block_limits *limits)
{
    const struct block_info *info = &limits->info;
    bool writes = request->op == BLOCK_WRITE || request->op == BLOCK_FLUSH;
    if (request->op != BLOCK_READ && !writes)
        return WG_ERR_NOT_SUPPORTED;
    if (writes && (info->flags & BLOCK_INFO_READ_ONLY))
        return WG_ERR_READ_ONLY;
    if (request->op == BLOCK_FLUSH)
        return WG_ERR_OK;
    uint64_t bytes = (uint64_t)request->sectors * info->sector_size;
    if (request->sectors == 0 || bytes > info->max_transfer)
        return WG_ERR_INVALID_ARGUMENT;
    if (request->lba > info->sectors || request->sectors > info->sectors - request->lba)
        return WG_ERR_OUT_OF_RANGE;
    if (request->offset % info->sector_size != 0)
        return WG_ERR_MISALIGNED;
    if (request->offset > limits->buffer_size || bytes > limits->buffer_size - request->offset)
        return WG_ERR_BAD_ADDRESS;
    return WG_ERR_OK;
}
