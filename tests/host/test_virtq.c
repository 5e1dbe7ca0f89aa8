/* Host tests for the virtio split virtqueue bookkeeping (user/services/virtio_blk/virtq.c),
 * against a simulated device that consumes the available ring and fills the used ring. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "user/services/virtio_blk/virtq.h"

static struct virtq_desc desc[VIRTQ_MAX_SIZE];
static struct virtq_avail avail;
static struct virtq_used used;
static uint16_t device_seen; /* available entries the device has taken */

static void fresh(struct virtq *q, uint16_t size)
{
    memset(desc, 0, sizeof desc);
    memset(&avail, 0, sizeof avail);
    memset(&used, 0, sizeof used);
    device_seen = 0;
    virtq_init(q, size, desc, &avail, &used);
}

/* The device completes the oldest available chain: returns its head. */
static uint16_t device_complete(struct virtq *q, uint32_t written)
{
    uint16_t head = avail.ring[device_seen++ & (q->size - 1)];
    used.ring[used.idx & (q->size - 1)] = (struct virtq_used_elem){head, written};
    used.idx++;
    return head;
}

static uint16_t chain_length(uint16_t head)
{
    uint16_t n = 1;
    while (desc[head].flags & VIRTQ_DESC_NEXT) {
        head = desc[head].next;
        n++;
    }
    return n;
}

TEST(add_chains_descriptors_and_publishes_head)
{
    struct virtq q;
    fresh(&q, 8);
    struct virtq_buffer b[3] = {{0x1000, 16, false}, {0x2000, 512, true}, {0x3000, 1, true}};
    uint16_t head;
    REQUIRE(virtq_add(&q, b, 3, &head));
    CHECK_EQ(avail.idx, 1);
    CHECK_EQ(avail.ring[0], head);
    CHECK_EQ(chain_length(head), 3);
    CHECK_EQ(desc[head].address, 0x1000u);
    CHECK(!(desc[head].flags & VIRTQ_DESC_WRITE));
    CHECK(desc[desc[head].next].flags & VIRTQ_DESC_WRITE);
    CHECK_EQ(q.free_count, 5);
}

TEST(full_queue_refuses_then_frees_on_use)
{
    struct virtq q;
    fresh(&q, 8);
    struct virtq_buffer b[3] = {{1, 1, false}, {2, 2, true}, {3, 3, true}};
    uint16_t head, got;
    uint32_t written;
    REQUIRE(virtq_add(&q, b, 3, &head));
    REQUIRE(virtq_add(&q, b, 3, &head));
    CHECK(!virtq_add(&q, b, 3, &head)); /* 2 left */
    CHECK_EQ(q.free_count, 2);
    CHECK(!virtq_take_used(&q, &got, &written));
    uint16_t done = device_complete(&q, 513);
    REQUIRE(virtq_take_used(&q, &got, &written));
    CHECK_EQ(got, done);
    CHECK_EQ(written, 513u);
    CHECK_EQ(q.free_count, 5);
    CHECK(virtq_add(&q, b, 3, &head));
    CHECK(!virtq_add(&q, b, 0, &head));
}

TEST(many_rounds_keep_accounting_exact)
{
    struct virtq q;
    fresh(&q, 256);
    srand(7);
    unsigned in_flight = 0, descs = 0;
    uint16_t lengths[VIRTQ_MAX_SIZE] = {0};
    for (int round = 0; round < 20000; round++) {
        uint16_t head, n = (uint16_t)(1 + rand() % 3);
        struct virtq_buffer b[3] = {{1, 1, false}, {2, 2, true}, {3, 3, true}};
        if (rand() % 2 && virtq_add(&q, b, n, &head)) {
            CHECK_EQ(chain_length(head), n);
            lengths[head] = n;
            in_flight++;
            descs += n;
        } else if (in_flight > 0) {
            uint16_t done = device_complete(&q, 0), got;
            uint32_t written;
            REQUIRE(virtq_take_used(&q, &got, &written));
            CHECK_EQ(got, done);
            descs -= lengths[got];
            in_flight--;
        }
        REQUIRE(q.free_count + descs == 256);
    }
}

TEST(bad_head_from_device_is_skipped)
{
    struct virtq q;
    fresh(&q, 8);
    used.ring[0] = (struct virtq_used_elem){200, 0};
    used.idx = 1;
    uint16_t got;
    uint32_t written;
    REQUIRE(virtq_take_used(&q, &got, &written));
    CHECK_EQ(got, VIRTQ_MAX_SIZE);
    CHECK_EQ(q.free_count, 8);
    CHECK(!virtq_take_used(&q, &got, &written));
}
