/* PRP entries and lists (prp.h). */
#include "prp.h"

/* Checks everything, then writes: nothing is touched when the answer is an error. */
enum wg_error nvme_prp_build(uint64_t phys, uint32_t length, const struct nvme_prp_list *room,
                             struct nvme_prp *out)
{
    if (length == 0)
        return WG_ERR_INVALID_ARGUMENT;
    if (phys % 4 != 0)
        return WG_ERR_MISALIGNED;
    uint64_t first_page = phys & ~(uint64_t)(NVME_PAGE - 1);
    uint64_t pages = (phys + length - 1 - first_page) / NVME_PAGE + 1;
    if (pages <= 2) {
        *out = (struct nvme_prp){phys, pages == 2 ? first_page + NVME_PAGE : 0};
        return WG_ERR_OK;
    }
    uint64_t rest = pages - 1, list_end = room->list_phys + rest * 8;
    if (room->list_phys % 8 != 0)
        return WG_ERR_MISALIGNED;
    if (rest > room->entries || (list_end - 1) / NVME_PAGE != room->list_phys / NVME_PAGE)
        return WG_ERR_OUT_OF_RANGE;
    for (uint64_t i = 0; i < rest; i++)
        room->list[i] = first_page + (i + 1) * NVME_PAGE;
    *out = (struct nvme_prp){phys, room->list_phys};
    return WG_ERR_OK;
}
