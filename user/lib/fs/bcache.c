/* The block cache: a flat array of buffers searched linearly (a few hundred at most), LRU
 * eviction that writes a dirty victim first. */
#include "bcache.h"

enum wg_error bcache_init(struct bcache *c, const struct blockdev *dev, uint32_t block_size,
                          uint32_t nbufs)
{
    if (!dev->sector_size || block_size % dev->sector_size || nbufs < 8 || nbufs > 65536)
        return WG_ERR_INVALID_ARGUMENT;
    memset(c, 0, sizeof *c);
    c->bufs = calloc(nbufs, sizeof *c->bufs);
    c->memory = malloc((size_t)nbufs * block_size);
    if (!c->bufs || !c->memory) {
        free(c->bufs);
        free(c->memory);
        return WG_ERR_NO_MEMORY;
    }
    c->dev = dev;
    c->block_size = block_size;
    c->sectors_per_block = block_size / dev->sector_size;
    c->block_count = dev->sector_count / c->sectors_per_block;
    c->nbufs = nbufs;
    for (uint32_t i = 0; i < nbufs; i++)
        c->bufs[i].data = c->memory + (size_t)i * block_size;
    return WG_ERR_OK;
}

void bcache_destroy(struct bcache *c)
{
    free(c->bufs);
    free(c->memory);
    c->bufs = NULL;
    c->memory = NULL;
    c->nbufs = 0;
}

static enum wg_error bcache_write_buf(struct bcache *c, struct bcache_buf *b)
{
    enum wg_error err = c->dev->ops->write_blocks(c->dev->ctx, b->block * c->sectors_per_block,
                                                  c->sectors_per_block, b->data);
    if (err == WG_ERR_OK) {
        b->dirty = false;
        c->writes++;
        c->unflushed = true;
    }
    return err;
}

static struct bcache_buf *bcache_find(struct bcache *c, uint64_t block)
{
    for (uint32_t i = 0; i < c->nbufs; i++)
        if (c->bufs[i].valid && c->bufs[i].block == block)
            return &c->bufs[i];
    return NULL;
}

/* An unreferenced buffer to reuse (invalid ones first, else the least recently used), written
 * back if dirty. */
static struct bcache_result bcache_victim(struct bcache *c)
{
    struct bcache_buf *best = NULL;
    for (uint32_t i = 0; i < c->nbufs; i++) {
        struct bcache_buf *b = &c->bufs[i];
        if (b->refs)
            continue;
        if (!b->valid) {
            best = b;
            break;
        }
        if (!best || b->last_use < best->last_use)
            best = b;
    }
    if (!best)
        return (struct bcache_result){WG_ERR_BUSY, NULL};
    if (best->valid && best->dirty) {
        enum wg_error err = bcache_write_buf(c, best);
        if (err != WG_ERR_OK)
            return (struct bcache_result){err, NULL};
    }
    best->valid = false;
    return (struct bcache_result){WG_ERR_OK, best};
}

static struct bcache_result bcache_get(struct bcache *c, uint64_t block, bool fill)
{
    if (block >= c->block_count)
        return (struct bcache_result){WG_ERR_OUT_OF_RANGE, NULL};
    struct bcache_buf *b = bcache_find(c, block);
    if (!b) {
        struct bcache_result r = bcache_victim(c);
        if (r.err != WG_ERR_OK)
            return r;
        b = r.buf;
        if (fill) {
            enum wg_error err = c->dev->ops->read_blocks(c->dev->ctx, block * c->sectors_per_block,
                                                         c->sectors_per_block, b->data);
            if (err != WG_ERR_OK)
                return (struct bcache_result){err, NULL};
            c->reads++;
        }
        b->block = block;
        b->valid = true;
        b->dirty = false;
        b->owner = 0;
        b->cls = BCACHE_META;
    }
    if (!fill)
        memset(b->data, 0, c->block_size);
    b->refs++;
    b->last_use = ++c->clock;
    return (struct bcache_result){WG_ERR_OK, b};
}

struct bcache_result bcache_read(struct bcache *c, uint64_t block)
{
    return bcache_get(c, block, true);
}

struct bcache_result bcache_zero(struct bcache *c, uint64_t block)
{
    return bcache_get(c, block, false);
}

void bcache_release(struct bcache *c, struct bcache_buf *b)
{
    (void)c;
    if (b && b->refs)
        b->refs--;
}

void bcache_dirty(struct bcache_buf *b, enum bcache_class cls, uint32_t owner)
{
    b->dirty = true;
    b->cls = (uint8_t)cls;
    b->owner = owner;
}

void bcache_forget(struct bcache *c, uint64_t block)
{
    struct bcache_buf *b = bcache_find(c, block);
    if (b && !b->refs) {
        b->valid = false;
        b->dirty = false;
    }
}

/* Writes the dirty buffers of one class (and, when owner != 0, of that owner only). */
static enum wg_error bcache_write_class(struct bcache *c, uint8_t cls, uint32_t owner)
{
    for (uint32_t i = 0; i < c->nbufs; i++) {
        struct bcache_buf *b = &c->bufs[i];
        if (!b->valid || !b->dirty || b->cls != cls || (owner && b->owner != owner))
            continue;
        enum wg_error err = bcache_write_buf(c, b);
        if (err != WG_ERR_OK)
            return err;
    }
    return WG_ERR_OK;
}

/* Flushes the device if anything was written since its last flush (a flush is a device
 * round trip: a sync that wrote nothing needs none). */
static enum wg_error bcache_flush(struct bcache *c)
{
    if (!c->unflushed)
        return WG_ERR_OK;
    enum wg_error err = c->dev->ops->flush(c->dev->ctx);
    c->unflushed = err != WG_ERR_OK;
    return err;
}

/* Every dirty metadata buffer (all classes but data) in one write_many, when the device has
 * it and they fit: a crash then leaves the metadata of a change written whole or not at all.
 * OK also when it did nothing (the classes are then written one by one). */
static enum wg_error bcache_write_metadata_at_once(struct bcache *c)
{
    static struct blockdev_piece pieces[BCACHE_MANY_MAX];
    struct bcache_buf *bufs[BCACHE_MANY_MAX];
    uint32_t n = 0;
    if (!c->dev->ops->write_many)
        return WG_ERR_OK;
    for (uint8_t cls = BCACHE_DATA + 1; cls < BCACHE_CLASSES; cls++)
        for (uint32_t i = 0; i < c->nbufs; i++) {
            struct bcache_buf *b = &c->bufs[i];
            if (!b->valid || !b->dirty || b->cls != cls)
                continue;
            if (n == BCACHE_MANY_MAX)
                return WG_ERR_OK; /* too many for one: in order, one by one */
            pieces[n] = (struct blockdev_piece){b->block * c->sectors_per_block,
                                                c->sectors_per_block, b->data};
            bufs[n++] = b;
        }
    enum wg_error err = n ? c->dev->ops->write_many(c->dev->ctx, pieces, n) : WG_ERR_OK;
    if (err == WG_ERR_NOT_SUPPORTED || err == WG_ERR_OUT_OF_RANGE)
        return WG_ERR_OK; /* nothing written: in order, one by one */
    for (uint32_t i = 0; err == WG_ERR_OK && i < n; i++)
        bufs[i]->dirty = false;
    c->writes += err == WG_ERR_OK ? n : 0;
    c->unflushed |= n > 0; /* even a failed one may have written some */
    c->many += err == WG_ERR_OK && n;
    return err;
}

enum wg_error bcache_sync(struct bcache *c)
{
    enum wg_error err = bcache_write_class(c, BCACHE_DATA, 0);
    if (err == WG_ERR_OK)
        err = bcache_write_metadata_at_once(c);
    for (uint8_t cls = BCACHE_DATA + 1; err == WG_ERR_OK && cls < BCACHE_CLASSES; cls++)
        err = bcache_write_class(c, cls, 0);
    return err == WG_ERR_OK ? bcache_flush(c) : err;
}

enum wg_error bcache_sync_owner(struct bcache *c, uint32_t owner, uint64_t extra_block)
{
    enum wg_error err = WG_ERR_OK;
    if (owner)
        err = bcache_write_class(c, BCACHE_DATA, owner);
    if (err == WG_ERR_OK)
        err = bcache_write_class(c, BCACHE_BITMAP, 0);
    if (err == WG_ERR_OK && owner)
        err = bcache_write_class(c, BCACHE_META, owner);
    struct bcache_buf *b = bcache_find(c, extra_block);
    if (err == WG_ERR_OK && b && b->dirty)
        err = bcache_write_buf(c, b);
    if (err == WG_ERR_OK)
        err = bcache_write_class(c, BCACHE_SUPER, 0);
    if (err == WG_ERR_OK)
        err = bcache_flush(c);
    return err;
}

uint32_t bcache_dirty_count(const struct bcache *c)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->nbufs; i++)
        n += c->bufs[i].valid && c->bufs[i].dirty;
    return n;
}
