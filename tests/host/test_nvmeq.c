/* Host tests for the NVMe queue bookkeeping and status mapping
 * (user/services/nvme/nvmeq.c), against a simulated controller that reads submissions up to
 * the tail doorbell and posts completions with its own phase tag. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "user/services/nvme/nvmeq.h"

#define MAX_ENTRIES 256

static struct nvme_sqe sq[MAX_ENTRIES];
static struct nvme_cqe cq[MAX_ENTRIES];

/* The controller's side: where it reads submissions and writes completions. */
static struct {
    uint16_t sq_head, cq_tail, phase;
    uint16_t fetched[MAX_ENTRIES]; /* cids read, not completed yet */
    unsigned fetched_count;
} dev;

static void fresh(struct nvmeq *q, uint16_t sq_size, uint16_t cq_size)
{
    memset(sq, 0, sizeof sq);
    memset(cq, 0, sizeof cq);
    memset(&dev, 0, sizeof dev);
    dev.phase = 1;
    nvmeq_init(q, sq, sq_size, cq, cq_size);
}

/* Reads every submission up to the tail doorbell `tail`. */
static void device_fetch(const struct nvmeq *q, uint16_t tail)
{
    while (dev.sq_head != tail) {
        dev.fetched[dev.fetched_count++] = sq[dev.sq_head].cid;
        dev.sq_head = (uint16_t)((dev.sq_head + 1) % q->sq_size);
    }
}

/* Completes the oldest fetched command with `status` (the status field, unshifted). */
static void device_complete(const struct nvmeq *q, uint16_t status)
{
    uint16_t cid = dev.fetched[0];
    memmove(dev.fetched, dev.fetched + 1, --dev.fetched_count * sizeof dev.fetched[0]);
    cq[dev.cq_tail] = (struct nvme_cqe){
        .sq_head = dev.sq_head, .cid = cid, .status = (uint16_t)(status << 1 | dev.phase)};
    dev.cq_tail = (uint16_t)((dev.cq_tail + 1) % q->cq_size);
    if (dev.cq_tail == 0)
        dev.phase ^= 1;
}

static bool push_cid(struct nvmeq *q, uint16_t cid)
{
    struct nvme_sqe cmd = {.opcode = 2, .cid = cid, .nsid = 1};
    return nvmeq_push(q, &cmd);
}

TEST(nvmeq_empty_queue_has_size_minus_one_free)
{
    struct nvmeq q;
    fresh(&q, 8, 8);
    CHECK_EQ(nvmeq_sq_free(&q), 7);
    struct nvme_cqe out;
    CHECK(!nvmeq_pop(&q, &out));
}

TEST(nvmeq_full_queue_refuses_then_frees_on_completion)
{
    struct nvmeq q;
    fresh(&q, 4, 4);
    for (uint16_t i = 0; i < 3; i++)
        REQUIRE(push_cid(&q, i));
    CHECK(!push_cid(&q, 3));
    CHECK_EQ(nvmeq_sq_free(&q), 0);
    CHECK_EQ(sq[2].cid, 2);
    device_fetch(&q, q.sq_tail);
    device_complete(&q, 0);
    struct nvme_cqe out;
    REQUIRE(nvmeq_pop(&q, &out));
    CHECK_EQ(out.cid, 0);
    CHECK_EQ(nvme_status(&out), 0);
    CHECK_EQ(nvmeq_sq_free(&q), 3); /* the device read all three */
    CHECK(!nvmeq_pop(&q, &out));
}

TEST(nvmeq_phase_flips_at_each_wrap)
{
    struct nvmeq q;
    fresh(&q, 4, 4);
    struct nvme_cqe out;
    for (uint16_t round = 0; round < 10; round++) {
        REQUIRE(push_cid(&q, round));
        device_fetch(&q, q.sq_tail);
        device_complete(&q, 0);
        REQUIRE(nvmeq_pop(&q, &out));
        CHECK_EQ(out.cid, round);
        CHECK(!nvmeq_pop(&q, &out)); /* last pass's entry has the old phase */
    }
    CHECK_EQ(q.phase, 1 ^ (10 / 4 % 2));
    CHECK_EQ(q.cq_head, 10 % 4);
}

TEST(nvmeq_bad_sq_head_from_device_is_ignored)
{
    struct nvmeq q;
    fresh(&q, 8, 8);
    REQUIRE(push_cid(&q, 5));
    cq[0] = (struct nvme_cqe){.sq_head = 200, .cid = 5, .status = 1};
    struct nvme_cqe out;
    REQUIRE(nvmeq_pop(&q, &out));
    CHECK_EQ(q.sq_head, 0);
    CHECK_EQ(nvmeq_sq_free(&q), 6);
}

/* Random rounds of pushes, partial fetches and completions: every command completes once,
 * in the controller's order, and the free count is always exact. */
TEST(nvmeq_random_rounds_exact_accounting)
{
    struct nvmeq q;
    fresh(&q, 16, 8);
    srand(7);
    uint16_t next_cid = 0, expect_cid = 0;
    unsigned outstanding = 0, completed_unseen = 0;
    for (int round = 0; round < 20000; round++) {
        unsigned pushes = (unsigned)rand() % 5;
        for (unsigned i = 0; i < pushes; i++) {
            bool room = nvmeq_sq_free(&q) > 0 && outstanding < (unsigned)q.cq_size - 1;
            if (!room)
                break;
            REQUIRE(push_cid(&q, next_cid++));
            outstanding++;
        }
        if (rand() % 2)
            device_fetch(&q, q.sq_tail);
        unsigned completes = (unsigned)rand() % 4;
        for (unsigned i = 0; i < completes && dev.fetched_count > 0; i++) {
            device_complete(&q, 0);
            completed_unseen++;
        }
        struct nvme_cqe out;
        while (nvmeq_pop(&q, &out)) {
            REQUIRE(out.cid == expect_cid);
            expect_cid++;
            outstanding--;
            completed_unseen--;
        }
        CHECK_EQ(completed_unseen, 0u);
        uint16_t in_sq = (uint16_t)((q.sq_tail + q.sq_size - q.sq_head) % q.sq_size);
        REQUIRE(nvmeq_sq_free(&q) == q.sq_size - 1 - in_sq);
    }
    CHECK(expect_cid > 1000);
}

TEST(nvme_status_maps_to_precise_errors)
{
    CHECK_EQ(nvme_status_error(0), WG_ERR_OK);
    CHECK_EQ(nvme_status_error(0x080), WG_ERR_OUT_OF_RANGE);      /* LBA out of range */
    CHECK_EQ(nvme_status_error(0x020), WG_ERR_READ_ONLY);         /* namespace write protected */
    CHECK_EQ(nvme_status_error(0x182), WG_ERR_READ_ONLY);         /* write to read-only range */
    CHECK_EQ(nvme_status_error(0x001), WG_ERR_NOT_SUPPORTED);     /* invalid opcode */
    CHECK_EQ(nvme_status_error(0x002), WG_ERR_INVALID_ARGUMENT);  /* invalid field */
    CHECK_EQ(nvme_status_error(0x081), WG_ERR_NO_SPACE);          /* capacity exceeded */
    CHECK_EQ(nvme_status_error(0x082), WG_ERR_BUSY);              /* namespace not ready */
    CHECK_EQ(nvme_status_error(0x006), WG_ERR_IO_ERROR);          /* internal error */
    CHECK_EQ(nvme_status_error(0x281), WG_ERR_IO_ERROR);          /* unrecovered read error */
    CHECK_EQ(nvme_status_error(0x280), WG_ERR_IO_ERROR);          /* write fault */
    CHECK_EQ(nvme_status_error(0x4000 | 0x281), WG_ERR_IO_ERROR); /* with DNR set */
    CHECK_EQ(nvme_status_error(0x101), WG_ERR_IO_ERROR);          /* command specific */
}
