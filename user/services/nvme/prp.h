/* NVMe PRP entries (NVMe 1.x, "Physical Region Page Entry and List"): how a command names
 * the pages of its data. PRP1 is the first page (it may start inside it); a transfer ending
 * in the second page puts that page in PRP2; a longer one puts in PRP2 the address of a PRP
 * list holding every page after the first. Pure logic, unit-tested on the host
 * (tests/host/test_prp.c). */
#pragma once

#include <stdint.h>
#include <wingos/error.h>

#define NVME_PAGE 4096u

/* Where a command may write its PRP list: `entries` slots at `list` (virtual), which is
 * `list_phys` physically; the list must not cross a page (this builder does not chain). */
struct nvme_prp_list {
    uint64_t *list;
    uint64_t list_phys;
    uint32_t entries;
};

struct nvme_prp {
    uint64_t prp1, prp2;
};

/* PRPs for `length` bytes at physical `phys`, which is contiguous (a DMA bounce buffer).
 * `phys` must be 4-byte aligned (the spec's rule for PRP1's offset). INVALID_ARGUMENT for a
 * zero length, MISALIGNED for a bad `phys` or a list not 8-byte aligned, OUT_OF_RANGE when
 * the list would need more entries than it has or would cross a page. */
enum wg_error nvme_prp_build(uint64_t phys, uint32_t length, const struct nvme_prp_list *room,
                             struct nvme_prp *out);
