/* The kernel log ring (see klog.h). Positions count every byte ever written, so a reader
 * that copied bytes out can tell whether they were dropped meanwhile. */
#include "kernel/driver/klog.h"
#include "kernel/arch.h"
#include "kernel/panic.h"
#include "kernel/sched/task.h"
#include "kernel/sync/spinlock.h"

static struct {
    struct spinlock lock;
    char bytes[KLOG_RING_SIZE];
    uint64_t start, end; /* positions of the oldest byte held and of the next one written */
    struct task *reader; /* a reference; NULL: the log goes to the console */
    bool diverting;      /* into the ring: from the first line start after the claim */
    bool line_start;     /* the console's last byte ended a line */
} ring = {.lock = SPINLOCK_INIT, .line_start = true};

/* Straight to the console, minding where its line is; expects the lock. */
static void to_console(const char *chars, size_t count)
{
    arch_console_write(chars, count);
    if (count > 0)
        ring.line_start = chars[count - 1] == '\n';
}

static char byte_at(uint64_t position)
{
    return ring.bytes[position % KLOG_RING_SIZE];
}

/* Drops the oldest line (or all, if none ends); expects the lock. */
static void drop_oldest_line(void)
{
    while (ring.start < ring.end && byte_at(ring.start) != '\n')
        ring.start++;
    if (ring.start < ring.end)
        ring.start++;
}

/* The reader died: what it left goes to the console, and so does everything after. */
static void flush_to_console(void)
{
    for (; ring.start < ring.end; ring.start++) {
        char c = byte_at(ring.start);
        to_console(&c, 1);
    }
}

void klog_write(const char *chars, size_t count)
{
    if (panic_in_progress()) {
        arch_console_write(chars, count);
        return;
    }
    uint64_t flags = spin_lock_irqsave(&ring.lock);
    if (ring.diverting && ring.reader->exited) {
        flush_to_console();
        ring.diverting = false;
    }
    if (!ring.diverting && ring.reader && !ring.reader->exited && ring.line_start)
        ring.diverting = true; /* never in the middle of a line already on the console */
    if (!ring.diverting) {
        to_console(chars, count);
        spin_unlock_irqrestore(&ring.lock, flags);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        if (ring.end - ring.start == KLOG_RING_SIZE)
            drop_oldest_line();
        ring.bytes[ring.end++ % KLOG_RING_SIZE] = chars[i];
    }
    spin_unlock_irqrestore(&ring.lock, flags);
}

enum wg_error klog_claim(struct task *reader)
{
    struct task *old = NULL;
    enum wg_error err = WG_ERR_OK;
    uint64_t flags = spin_lock_irqsave(&ring.lock);
    if (ring.reader == reader) {
        spin_unlock_irqrestore(&ring.lock, flags);
        return WG_ERR_OK;
    }
    if (ring.reader && !ring.reader->exited) {
        err = WG_ERR_BUSY;
    } else {
        old = ring.reader;
        task_get(reader);
        ring.reader = reader;
    }
    spin_unlock_irqrestore(&ring.lock, flags);
    if (old)
        task_put(old);
    return err;
}

size_t klog_peek(char *out, size_t max, uint64_t *position)
{
    uint64_t flags = spin_lock_irqsave(&ring.lock);
    size_t whole = 0, count = 0;
    *position = ring.start;
    while (count < max && ring.start + count < ring.end) {
        out[count] = byte_at(ring.start + count);
        if (out[count++] == '\n')
            whole = count;
    }
    if (whole == 0 && count == max)
        whole = count; /* a line longer than the reader's buffer goes in pieces */
    spin_unlock_irqrestore(&ring.lock, flags);
    return whole;
}

void klog_consume(uint64_t position, size_t count)
{
    uint64_t flags = spin_lock_irqsave(&ring.lock);
    if (ring.start == position) /* else the bytes were dropped meanwhile */
        ring.start += count;
    spin_unlock_irqrestore(&ring.lock, flags);
}
