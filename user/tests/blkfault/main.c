/* Device error tests, run by init's disk test mode with the disks' names (blkfault blk0
 * blk1 ...). A fault disk is one whose sector 0 starts with FAULT_MAGIC: tests/system/run.sh
 * makes it, fills sector s (from 1) with s as 8 little-endian bytes then 504 bytes of
 * s * 7 + 3, and attaches it through QEMU's blkdebug driver with rules that fail every read
 * touching sector 4096 and every write touching sector 6144 with EIO. For each fault disk:
 * the requests over those sectors get IO_ERROR, every other request of the same batch
 * succeeds with the right data, nothing hangs (every wait has a deadline), and the driver
 * still serves afterwards. Prints "utest: PASS/FAIL name" lines and "blkfault: N fault
 * disks"; exits with the failures. */
#include <wingos.h>

#include "block.h"

#define FAULT_MAGIC "WINGOS-FAULT-DSK"
#define READ_FAULT  4096u
#define WRITE_FAULT 6144u
#define BATCH_FIRST (READ_FAULT - 32 * 8) /* 64 requests, 8 sectors apart; the 33rd fails */
#define DATA        (16u * 1024u)
#define MAP         0x440000000000ull
#define DEADLINE_NS (10ull * 1000000000ull)

static int failed;
static char label[16];
static bool quiet; /* "-q": a warm-up run (init's leak baseline), no output */

static void report(const char *name, bool ok, const char *why)
{
    failed += !ok;
    if (quiet)
        return;
    printf("utest: %s %s_%s%s%s\n", ok ? "PASS" : "FAIL", name, label, ok ? "" : ": ",
           ok ? "" : why);
}

/* Sends a batch and waits for it, but never longer than DEADLINE_NS (TIMED_OUT). */
static enum wg_error run(struct block_client *c, uint32_t count, uint32_t *done)
{
    struct wg_result sent = block_submit(c, 0, count);
    if (!wg_ok(sent))
        return sent.err;
    return block_wait_timeout(c, sent.value, done, DEADLINE_NS);
}

static struct block_request *record(struct block_client *c, unsigned n)
{
    return (struct block_request *)c->buffer + n;
}

static void set(struct block_client *c, unsigned n, uint32_t op, uint64_t lba, uint32_t sectors)
{
    *record(c, n) = (struct block_request){op, 0xffff, lba, sectors, 0, DATA + n * 4096ull};
}

/* Does the 512 bytes at `at` hold what the host put in sector `s`? */
static bool holds_sector(const uint8_t *at, uint64_t s)
{
    uint64_t number;
    memcpy(&number, at, 8);
    for (unsigned i = 8; i < 512; i++)
        if (at[i] != (uint8_t)(s * 7 + 3))
            return false;
    return number == s;
}

static bool request_data_ok(struct block_client *c, unsigned n)
{
    const struct block_request *r = record(c, n);
    for (uint32_t k = 0; k < r->sectors; k++)
        if (!holds_sector(c->buffer + r->offset + k * 512, r->lba + k))
            return false;
    return true;
}

/* 64 reads of 4 sectors in one batch; only the one over READ_FAULT fails. Gaps between
 * them, because QEMU's virtio-blk merges adjacent requests and fails a merged one whole. */
static void test_batch(struct block_client *c)
{
    for (unsigned n = 0; n < 64; n++)
        set(c, n, BLOCK_READ, BATCH_FIRST + n * 8, 4);
    uint32_t done = 0;
    enum wg_error err = run(c, 64, &done);
    bool others = true;
    for (unsigned n = 0; n < 64; n++)
        if (n != 32)
            others = others && record(c, n)->status == WG_ERR_OK && request_data_ok(c, n);
    report("blk_fault_batch_error", err == WG_ERR_IO_ERROR && done == 64, wg_error_name(err));
    report("blk_fault_record_io_error", record(c, 32)->status == WG_ERR_IO_ERROR,
           wg_error_name((int)record(c, 32)->status));
    report("blk_fault_rest_of_batch_good", others, "another record failed or its data differs");
}

/* The failing sector alone, and its neighbours each alone. */
static void test_single(struct block_client *c)
{
    uint32_t done = 0;
    set(c, 0, BLOCK_READ, READ_FAULT, 1);
    enum wg_error bad = run(c, 1, &done);
    set(c, 0, BLOCK_READ, READ_FAULT - 1, 1);
    set(c, 1, BLOCK_READ, READ_FAULT + 1, 1);
    enum wg_error good = run(c, 2, &done);
    report("blk_fault_sector_io_error", bad == WG_ERR_IO_ERROR, wg_error_name(bad));
    report("blk_fault_neighbours_good",
           good == WG_ERR_OK && request_data_ok(c, 0) && request_data_ok(c, 1),
           wg_error_name(good));
}

/* A write over WRITE_FAULT fails; the 8 sectors before it, read and written back, succeed. */
static void test_write(struct block_client *c)
{
    uint32_t done = 0;
    set(c, 0, BLOCK_WRITE, WRITE_FAULT, 8);
    enum wg_error bad = run(c, 1, &done);
    report("blk_fault_write_io_error", bad == WG_ERR_IO_ERROR, wg_error_name(bad));
    set(c, 0, BLOCK_READ, WRITE_FAULT - 8, 8);
    enum wg_error err = run(c, 1, &done);
    record(c, 0)->op = BLOCK_WRITE; /* the same sectors from the same place */
    if (err == WG_ERR_OK)
        err = run(c, 1, &done);
    memset(c->buffer + DATA, 0, 4096);
    record(c, 0)->op = BLOCK_READ;
    if (err == WG_ERR_OK)
        err = run(c, 1, &done);
    report("blk_fault_write_before_good", err == WG_ERR_OK && request_data_ok(c, 0),
           wg_error_name(err));
}

/* Is `name` a fault disk? Reads its sector 0. */
static bool is_fault_disk(struct block_client *c)
{
    uint32_t done = 0;
    set(c, 0, BLOCK_READ, 0, 1);
    return run(c, 1, &done) == WG_ERR_OK &&
           memcmp(c->buffer + DATA, FAULT_MAGIC, sizeof FAULT_MAGIC - 1) == 0;
}

/* Runs the tests if `name` is a fault disk; true if it was one. */
static bool test_disk(const char *name)
{
    struct block_client c;
    snprintf(label, sizeof label, "%s", name);
    enum wg_error err = block_open(name, &c);
    if (err == WG_ERR_OK)
        err = block_attach(&c, 128, MAP);
    if (err != WG_ERR_OK) {
        report("blk_fault_open", false, wg_error_name(err));
        return false;
    }
    bool fault = is_fault_disk(&c);
    if (fault && !quiet)
        printf("blkfault: %s (%s) is a fault disk\n", name, c.info.driver);
    if (fault) {
        test_batch(&c);
        test_single(&c);
        test_write(&c);
    }
    block_close(&c);
    return fault;
}

int main(int argc, char **argv)
{
    int faults = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-q") == 0) {
        quiet = true;
        first = 2;
    }
    for (int i = first; i < argc; i++)
        faults += test_disk(argv[i]);
    if (!quiet)
        printf("blkfault: %d fault disks\n", faults);
    return failed;
}
