/* Block driver tests, run by init's disk test mode with the disks' names as arguments
 * (blktest blk0 blk1 ...). For each writable disk: a pattern written in 32 KiB requests,
 * flushed and read back; 64 reads in flight at once; every kind of bad request and its
 * precise error; two clients at once served fairly. For a read-only disk: writes refused.
 * The pattern at LBA 2048.. is checked again from the host after QEMU exits
 * (tests/system/run.sh). Prints "utest: PASS/FAIL name" lines; exits with the failures. */
#include <wingos.h>

#include "block.h"

#define PATTERN_LBA   2048u
#define PATTERN_COUNT 256u /* sectors: 128 KiB */
#define BUFFER_PAGES  256u /* 1 MiB: records at 0, data from 64 KiB */
#define DATA          (64u * 1024u)
#define READBACK      (512u * 1024u)
#define MAP_A         0x400000000000ull
#define MAP_B         0x410000000000ull

static int failed;
static char label[48];
static bool quiet; /* "-q": a warm-up run (init's leak baseline), no result lines */

static void report(const char *name, bool ok, const char *why)
{
    failed += !ok;
    if (quiet)
        return;
    printf("utest: %s %s_%s%s%s\n", ok ? "PASS" : "FAIL", name, label, ok ? "" : ": ",
           ok ? "" : why);
}

static uint8_t pattern(uint64_t lba, unsigned i, unsigned disk)
{
    return (uint8_t)(lba * 31 + i * 7 + 0x5a + disk);
}

static struct block_request *record(struct block_client *c, unsigned n)
{
    return (struct block_request *)c->buffer + n;
}

static void set(struct block_client *c, unsigned n, uint32_t op, uint64_t lba, uint32_t sectors,
                uint64_t offset)
{
    *record(c, n) = (struct block_request){op, 0xffff, lba, sectors, 0, offset};
}

static void test_pattern(struct block_client *c, unsigned disk)
{
    uint32_t per = BLOCK_MAX_TRANSFER / 512, requests = PATTERN_COUNT / per;
    for (unsigned s = 0; s < PATTERN_COUNT; s++)
        for (unsigned i = 0; i < 512; i++)
            c->buffer[DATA + s * 512 + i] = pattern(PATTERN_LBA + s, i, disk);
    for (unsigned n = 0; n < requests; n++)
        set(c, n, BLOCK_WRITE, PATTERN_LBA + n * per, per, DATA + n * BLOCK_MAX_TRANSFER);
    set(c, requests, BLOCK_FLUSH, 0, 0, 0);
    enum wg_error written = block_run(c, 0, requests + 1);
    report("blk_write_batch", written == WG_ERR_OK, wg_error_name(written));
    memset(c->buffer + READBACK, 0, PATTERN_COUNT * 512);
    for (unsigned n = 0; n < requests; n++)
        set(c, n, BLOCK_READ, PATTERN_LBA + n * per, per, READBACK + n * BLOCK_MAX_TRANSFER);
    enum wg_error read = block_run(c, 0, requests);
    bool same = memcmp(c->buffer + DATA, c->buffer + READBACK, PATTERN_COUNT * 512) == 0;
    report("blk_read_back_pattern", read == WG_ERR_OK && same,
           read != WG_ERR_OK ? wg_error_name(read) : "data differs");
    report("blk_statuses_written", record(c, 0)->status == WG_ERR_OK, "status not published");
}

/* 64 one-sector reads, each its own message, all sent before any reply is awaited. */
static void test_queue_depth(struct block_client *c)
{
    uint64_t ids[64];
    bool ok = true;
    for (unsigned n = 0; n < 64; n++) {
        set(c, n, BLOCK_READ, PATTERN_LBA + n, 1, READBACK + n * 512);
        struct wg_result sent = block_submit(c, n * sizeof(struct block_request), 1);
        ok = ok && wg_ok(sent);
        ids[n] = sent.value;
    }
    for (unsigned n = 0; n < 64 && ok; n++) {
        uint32_t done;
        ok = block_wait(c, ids[n], &done) == WG_ERR_OK && done == 1;
    }
    ok = ok && memcmp(c->buffer + DATA, c->buffer + READBACK, 64 * 512) == 0;
    report("blk_64_requests_in_flight", ok, "a read failed or differs");
}

/* One bad record in a batch of two: the whole batch is refused with its precise error. */
static void expect_refused(struct block_client *c, const char *name, struct block_request bad,
                           enum wg_error want)
{
    set(c, 0, BLOCK_READ, 0, 1, DATA);
    *record(c, 1) = bad;
    enum wg_error got = block_run(c, 0, 2);
    report(name,
           got == want && record(c, 1)->status == (uint32_t)want &&
               record(c, 0)->status == WG_ERR_OK,
           wg_error_name(got));
}

static void test_bad_requests(struct block_client *c)
{
    uint64_t end = c->info.sectors;
    expect_refused(c, "blk_past_end", (struct block_request){BLOCK_READ, 0, end, 1, 0, DATA},
                   WG_ERR_OUT_OF_RANGE);
    expect_refused(c, "blk_straddles_end",
                   (struct block_request){BLOCK_READ, 0, end - 1, 2, 0, DATA}, WG_ERR_OUT_OF_RANGE);
    expect_refused(c, "blk_misaligned_offset",
                   (struct block_request){BLOCK_READ, 0, 0, 1, 0, DATA + 100}, WG_ERR_MISALIGNED);
    expect_refused(c, "blk_too_long",
                   (struct block_request){BLOCK_READ, 0, 0, BLOCK_MAX_TRANSFER / 512 + 1, 0, DATA},
                   WG_ERR_INVALID_ARGUMENT);
    expect_refused(c, "blk_zero_sectors", (struct block_request){BLOCK_READ, 0, 0, 0, 0, DATA},
                   WG_ERR_INVALID_ARGUMENT);
    expect_refused(c, "blk_data_past_buffer",
                   (struct block_request){BLOCK_READ, 0, 0, 2, 0, c->size - 512},
                   WG_ERR_BAD_ADDRESS);
    expect_refused(c, "blk_unknown_op", (struct block_request){9, 0, 0, 1, 0, DATA},
                   WG_ERR_NOT_SUPPORTED);
    report("blk_batch_empty", block_run(c, 0, 0) == WG_ERR_OUT_OF_RANGE, "accepted");
    report("blk_batch_too_big", block_run(c, 0, BLOCK_BATCH_MAX + 1) == WG_ERR_OUT_OF_RANGE,
           "accepted");
    report("blk_records_misaligned", block_run(c, 4, 1) == WG_ERR_MISALIGNED, "accepted");
    report("blk_records_past_buffer", block_run(c, c->size - 16, 1) == WG_ERR_BAD_ADDRESS,
           "accepted");
}

/* A submit whose body is cut short (4 bytes of 12): the generated decoder refuses it. */
static enum wg_error submit_truncated(wg_handle connection)
{
    struct block_submit_request request = {.records = 0, .count = 1};
    struct wg_message m, reply;
    enum wg_error err = block_submit_encode_request(&request, &m);
    m.entries[0].value = (m.entries[0].value & ~(0xffull << 48)) | 4ull << 48;
    m.entries[2].value = 0;
    if (err == WG_ERR_OK)
        err = wg_ipc_call(WG_SELF, connection, &m, &reply, WG_WAIT_FOREVER).err;
    struct block_submit_response response;
    return err == WG_ERR_OK ? block_submit_decode_response(&reply, &response) : err;
}

static void test_attach_errors(struct block_client *c)
{
    report("blk_attach_twice",
           block_attach_copy(c->connection, c->buffer_pmem, WG_RIGHTS_ALL) == WG_ERR_ALREADY_EXISTS,
           "a second buffer was taken");
    struct block_client fresh;
    enum wg_error err = block_open(label, &fresh);
    struct wg_result task = wg_task_self();
    bool ready = err == WG_ERR_OK && wg_ok(task);
    report("blk_attach_wrong_kind",
           ready &&
               block_attach_copy(fresh.connection, task.value, WG_RIGHTS_ALL) == WG_ERR_WRONG_KIND,
           "a task was taken as a buffer");
    report("blk_attach_no_write_right",
           ready && block_attach_copy(fresh.connection, c->buffer_pmem,
                                      WG_RIGHT_READ | WG_RIGHT_MAP | WG_RIGHT_TRANSFER) ==
                        WG_ERR_ACCESS_DENIED,
           "a buffer the driver may not write was taken");
    struct block_submit_request request = {.records = 0, .count = 1};
    struct block_submit_response response;
    report("blk_submit_without_buffer",
           ready && block_submit_call(fresh.connection, &request, &response, WG_WAIT_FOREVER) ==
                        WG_ERR_NOT_FOUND,
           "no NOT_FOUND");
    report("blk_submit_malformed", ready && submit_truncated(fresh.connection) == WG_ERR_BAD_FORMAT,
           "a cut message was not refused");
    block_close(&fresh);
    if (wg_ok(task))
        wg_asset_release(WG_SELF, task.value);
}

/* Client A queues 40 batches of 8 reads; B then sends one. B must be answered while A's last
 * batch is still waiting: service goes round the clients, not first come first served. */
static void test_two_clients(struct block_client *a)
{
    struct block_client b;
    enum wg_error err = block_open(label, &b);
    if (err == WG_ERR_OK)
        err = block_attach(&b, 32, MAP_B);
    if (err != WG_ERR_OK) {
        report("blk_two_clients_fair", false, wg_error_name(err));
        return;
    }
    uint64_t ids[40];
    for (unsigned n = 0; n < 8; n++)
        set(a, n, BLOCK_READ, PATTERN_LBA + n * 8, 8, DATA + n * 4096);
    for (unsigned k = 0; k < 40; k++)
        ids[k] = block_submit(a, 0, 8).value;
    *(struct block_request *)b.buffer =
        (struct block_request){BLOCK_READ, 0, PATTERN_LBA, 1, 0, 4096};
    err = block_run(&b, 0, 1);
    /* A's last batch first, at once: at most 8 of A's batches (64 requests) are in flight
     * when B arrives, so under fair service the last is still queued when B is answered,
     * while first come first served answers it before B. The others are counted after (a
     * slow host lets more finish meanwhile: printed, not judged). */
    struct wg_message reply;
    bool last_pending = !wg_ok(wg_ipc_receive_reply(WG_SELF, a->connection, ids[39], &reply, 0));
    unsigned answered_before = !last_pending;
    for (unsigned k = 0; k < 39; k++)
        answered_before += wg_ok(wg_ipc_receive_reply(WG_SELF, a->connection, ids[k], &reply, 0));
    bool data = memcmp(b.buffer + 4096, a->buffer + DATA, 512) == 0;
    uint32_t done;
    bool rest = true;
    for (unsigned k = 0; k < 40; k++) {
        enum wg_error got = block_wait(a, ids[k], &done);
        rest = rest && (got == WG_ERR_OK || got == WG_ERR_NOT_FOUND); /* NOT_FOUND: taken */
    }
    if (!quiet)
        printf("blktest: %s: client B answered with %u of A's 40 batches done\n", label,
               answered_before);
    report("blk_two_clients_both_served", err == WG_ERR_OK && data && rest, wg_error_name(err));
    report("blk_two_clients_fair", last_pending, "B waited for all of A's queue");
    block_close(&b);
}

static void test_read_only(struct block_client *c)
{
    set(c, 0, BLOCK_WRITE, 0, 1, DATA);
    enum wg_error write = block_run(c, 0, 1);
    report("blk_read_only_refuses_write", write == WG_ERR_READ_ONLY, wg_error_name(write));
    set(c, 0, BLOCK_READ, 0, 1, DATA);
    enum wg_error read = block_run(c, 0, 1);
    report("blk_read_only_reads", read == WG_ERR_OK, wg_error_name(read));
}

static void test_disk(const char *name, unsigned disk)
{
    struct block_client c;
    snprintf(label, sizeof label, "%s", name);
    enum wg_error err = block_open(name, &c);
    if (err == WG_ERR_OK)
        err = block_attach(&c, BUFFER_PAGES, MAP_A);
    report("blk_open", err == WG_ERR_OK && c.info.sectors > 0 && c.info.sector_size == 512,
           wg_error_name(err));
    if (err != WG_ERR_OK)
        return;
    if (!quiet)
        printf("blktest: %s: %s, %llu sectors of %u bytes%s\n", name, c.info.driver,
               (unsigned long long)c.info.sectors, c.info.sector_size,
               (c.info.flags & BLOCK_INFO_READ_ONLY) ? ", read-only" : "");
    if (c.info.flags & BLOCK_INFO_READ_ONLY) {
        test_read_only(&c);
    } else {
        test_pattern(&c, disk);
        test_queue_depth(&c);
        test_two_clients(&c);
    }
    test_bad_requests(&c);
    test_attach_errors(&c);
    block_close(&c);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-q") == 0) {
        quiet = true;
        first = 2;
    }
    for (int i = first; i < argc; i++)
        test_disk(argv[i], (unsigned)(i - first));
    return failed;
}
