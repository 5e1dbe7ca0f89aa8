/* A space's open I/O ports (space_io.h): the grants its IOPORT_ENABLE calls made, and the
 * bitmap they add up to. The bitmap is read without the lock by CPUs switching to the
 * space's tasks (arch_prepare_switch), so it is never freed while the space lives and each
 * byte is written once with its final value: a reader sees every byte either before or
 * after a change, and a port open before and after is open throughout. */
#include "kernel/space/space_io.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/sched/task.h"
#include "kernel/space/space.h"
#include "lib/string.h"

/* The bits of `grant`'s ports within bitmap byte `byte` (ports byte * 8 .. byte * 8 + 7). */
static uint8_t grant_bits(const struct space_io_grant *grant, uint32_t byte)
{
    uint32_t low = byte * 8, high = low + 8;
    uint32_t from = grant->first > low ? grant->first : low;
    uint32_t to = grant->first + grant->count < high ? grant->first + grant->count : high;
    if (from >= to)
        return 0;
    return (uint8_t)(((1u << (to - from)) - 1) << (from - low));
}

static int grant_index(const struct space_io *io, const struct asset *asset)
{
    for (uint32_t i = 0; i < io->count; i++)
        if (io->grants[i].asset == asset)
            return (int)i;
    return -1;
}

/* Rewrites the bytes of ports [first, first + count) from the grants the space has now. */
static void rewrite_bytes(struct space_io *io, uint32_t first, uint32_t count)
{
    for (uint32_t byte = first / 8; byte <= (first + count - 1) / 8; byte++) {
        uint8_t denied = 0xff;
        for (uint32_t i = 0; i < io->count; i++)
            denied &= (uint8_t)~grant_bits(&io->grants[i], byte);
        io->bitmap[byte] = denied;
    }
}

static struct space_io *io_alloc(void)
{
    struct space_io *io = kmalloc(sizeof(*io));
    if (io) {
        memset(io->bitmap, 0xff, sizeof(io->bitmap)); /* every port denied */
        io->count = 0;
    }
    return io;
}

/* Checks, then records the grant and opens its ports (space locked). */
static enum wg_error enable_locked(struct space *space, const struct asset *asset, uint32_t first,
                                   uint32_t count)
{
    struct space_io *io = space->io;
    if (!space_holds_asset_locked(space, asset))
        return WG_ERR_STALE_HANDLE; /* released since the syscall looked it up */
    if (!io)
        return WG_ERR_NO_MEMORY;
    if (grant_index(io, asset) >= 0)
        return WG_ERR_OK;
    if (io->count == SPACE_IO_GRANTS_MAX)
        return WG_ERR_NO_MEMORY;
    io->grants[io->count++] = (struct space_io_grant){asset, first, count};
    rewrite_bytes(io, first, count);
    return WG_ERR_OK;
}

enum wg_error space_io_enable(struct space *space, const struct asset *asset, uint32_t first,
                              uint32_t count, bool load_now)
{
    struct space_io *fresh = space->io ? NULL : io_alloc(); /* checked again under the lock */
    uint64_t flags = spin_lock_irqsave(&space->lock);
    if (!space->io && fresh) {
        space->io = fresh;
        space->io_bitmap = fresh->bitmap;
        fresh = NULL;
    }
    enum wg_error err = enable_locked(space, asset, first, count);
    spin_unlock_irqrestore(&space->lock, flags);
    kfree(fresh);
    if (err == WG_ERR_OK && load_now) {
        flags = arch_irq_save();
        arch_set_io_bitmap(space->io_bitmap);
        arch_irq_restore(flags);
    }
    return err;
}

void space_io_forget_locked(struct space *space, const struct asset *asset)
{
    struct space_io *io = space->io;
    int index = io ? grant_index(io, asset) : -1;
    if (index < 0 || space_holds_asset_locked(space, asset))
        return;
    struct space_io_grant gone = io->grants[index];
    io->grants[index] = io->grants[--io->count];
    rewrite_bytes(io, gone.first, gone.count);
    struct task *current = task_current();
    if (current && current->space == space) /* interrupts are off: the lock is held */
        arch_set_io_bitmap(io->bitmap);
}
