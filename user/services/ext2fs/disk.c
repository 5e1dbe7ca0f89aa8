/* The block device over the block protocol (disk.h). A transfer is cut into requests of at
 * most the driver's maximum, sent as one batch per 256 KiB. */
#include <wingos.h>
#include "disk.h"

#define DATA_AT   4096u
#define DATA_SIZE ((DISK_BUFFER_PAGES - 1) * 4096u)

/* Runs one batch of `op` over sectors [sector, sector + count), data at DATA_AT. */
static enum wg_error run(struct block_client *c, uint32_t op, uint64_t sector, uint32_t count)
{
    struct block_request *records = (struct block_request *)c->buffer;
    uint32_t per = c->info.max_transfer / c->info.sector_size;
    uint32_t n = 0;
    for (uint32_t done = 0; done < count; done += per, n++) {
        uint32_t sectors = count - done < per ? count - done : per;
        records[n] =
            (struct block_request){.op = op,
                                   .lba = sector + done,
                                   .sectors = sectors,
                                   .offset = DATA_AT + (uint64_t)done * c->info.sector_size};
    }
    return block_run(c, 0, n);
}

/* Calls `run` over the whole range, DATA_SIZE at a time, copying in or out of `buf`. */
static enum wg_error transfer(struct block_client *c, uint32_t op, uint64_t sector, uint32_t count,
                              uint8_t *in, const uint8_t *out)
{
    uint32_t per_request = c->info.max_transfer / c->info.sector_size;
    uint32_t per = DATA_SIZE / c->info.sector_size;
    if (per > BLOCK_BATCH_MAX * per_request)
        per = BLOCK_BATCH_MAX * per_request; /* a batch holds at most 64 records */
    for (uint32_t done = 0; done < count;) {
        uint32_t n = count - done < per ? count - done : per;
        size_t bytes = (size_t)n * c->info.sector_size;
        size_t at = (size_t)done * c->info.sector_size;
        if (out)
            memcpy(c->buffer + DATA_AT, out + at, bytes);
        enum wg_error err = run(c, op, sector + done, n);
        if (err != WG_ERR_OK)
            return err;
        if (in)
            memcpy(in + at, c->buffer + DATA_AT, bytes);
        done += n;
    }
    return WG_ERR_OK;
}

static enum wg_error disk_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
    return transfer(ctx, BLOCK_READ, block, count, buf, NULL);
}

static enum wg_error disk_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
    return transfer(ctx, BLOCK_WRITE, block, count, NULL, buf);
}

static enum wg_error disk_flush(void *ctx)
{
    struct block_client *c = ctx;
    if (!(c->info.flags & BLOCK_INFO_FLUSH) || (c->info.flags & BLOCK_INFO_READ_ONLY))
        return WG_ERR_OK;
    *(struct block_request *)c->buffer = (struct block_request){.op = BLOCK_FLUSH};
    return block_run(c, 0, 1);
}

/* The pieces as one batch (adjacent ones merged into one record): the driver runs a batch it
 * received to its end even if we are killed meanwhile, and block_run sends it whole again
 * to a restarted driver. OUT_OF_RANGE, before anything, when it does not fit in one. */
static enum wg_error disk_write_many(void *ctx, const struct blockdev_piece *pieces, uint32_t n)
{
    struct block_client *c = ctx;
    struct block_request *records = (struct block_request *)c->buffer;
    uint32_t per = c->info.max_transfer / c->info.sector_size;
    uint64_t used = 0;
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t bytes = (uint64_t)pieces[i].count * c->info.sector_size;
        struct block_request *last = count ? &records[count - 1] : NULL;
        bool joins = last && last->lba + last->sectors == pieces[i].block &&
                     last->sectors + pieces[i].count <= per;
        if ((!joins && count == BLOCK_BATCH_MAX) || used + bytes > DATA_SIZE ||
            pieces[i].count > per)
            return WG_ERR_OUT_OF_RANGE;
        memcpy(c->buffer + DATA_AT + used, pieces[i].buf, bytes);
        if (joins)
            last->sectors += pieces[i].count;
        else
            records[count++] = (struct block_request){.op = BLOCK_WRITE,
                                                      .lba = pieces[i].block,
                                                      .sectors = pieces[i].count,
                                                      .offset = DATA_AT + used};
        used += bytes;
    }
    return block_run(c, 0, count);
}

static const struct blockdev_ops disk_ops = {disk_read, disk_write, disk_flush, disk_write_many};

enum wg_error disk_open(const char *name, struct block_client *client, struct blockdev *dev)
{
    enum wg_error err = block_open(name, client);
    if (err != WG_ERR_OK)
        return err;
    struct block_info *info = &client->info;
    if (info->sector_size < 512 || info->sector_size > 4096 ||
        (info->sector_size & (info->sector_size - 1)) || info->max_transfer < info->sector_size)
        err = WG_ERR_NOT_SUPPORTED;
    if (err == WG_ERR_OK)
        err = block_attach(client, DISK_BUFFER_PAGES, DISK_BUFFER_MAP);
    if (err != WG_ERR_OK) {
        block_close(client);
        return err;
    }
    *dev = (struct blockdev){&disk_ops, client, info->sector_size, info->sectors};
    return WG_ERR_OK;
}
