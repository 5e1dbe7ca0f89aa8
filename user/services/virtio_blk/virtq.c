/* Split virtqueue bookkeeping (virtq.h). Barriers: the device must see descriptors before
 * the ring entry and the entry before the index; we read used entries only after the index. */
#include "virtq.h"

#define barrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)

void virtq_init(struct virtq *q, uint16_t size, void *desc, void *avail, void *used)
{
    q->size = size;
    q->desc = desc;
    q->avail = avail;
    q->used = used;
    q->free_head = 0;
    q->free_count = size;
    q->last_used = 0;
    for (uint16_t i = 0; i < size; i++)
        q->next_of[i] = (uint16_t)(i + 1);
}

bool virtq_add(struct virtq *q, const struct virtq_buffer *buffers, uint16_t count, uint16_t *head)
{
    if (count == 0 || count > q->free_count)
        return false;
    uint16_t first = q->free_head, at = first;
    for (uint16_t i = 0; i < count; i++) {
        uint16_t next = q->next_of[at];
        q->desc[at].address = buffers[i].address;
        q->desc[at].length = buffers[i].length;
        q->desc[at].flags = (uint16_t)((buffers[i].device_writes ? VIRTQ_DESC_WRITE : 0) |
                                       (i + 1 < count ? VIRTQ_DESC_NEXT : 0));
        q->desc[at].next = i + 1 < count ? next : 0;
        if (i + 1 < count)
            at = next;
        else
            q->free_head = next;
    }
    q->free_count = (uint16_t)(q->free_count - count);
    uint16_t idx = q->avail->idx;
    q->avail->ring[idx & (q->size - 1)] = first;
    barrier();
    q->avail->idx = (uint16_t)(idx + 1);
    barrier();
    *head = first;
    return true;
}

/* Returns the chain starting at `head` to the free list. */
static void release_chain(struct virtq *q, uint16_t head)
{
    uint16_t at = head;
    for (uint16_t n = 0; n < q->size; n++) {
        bool more = q->desc[at].flags & VIRTQ_DESC_NEXT;
        uint16_t next = q->desc[at].next;
        q->next_of[at] = q->free_head;
        q->free_head = at;
        q->free_count++;
        if (!more || next >= q->size)
            return;
        at = next;
    }
}

bool virtq_take_used(struct virtq *q, uint16_t *head, uint32_t *written)
{
    barrier();
    if (q->used->idx == q->last_used)
        return false;
    barrier();
    volatile struct virtq_used_elem *e = &q->used->ring[q->last_used & (q->size - 1)];
    uint32_t id = e->id;
    *written = e->length;
    q->last_used++;
    if (id >= q->size) {
        *head = VIRTQ_MAX_SIZE;
        return true;
    }
    *head = (uint16_t)id;
    release_chain(q, *head);
    return true;
}
