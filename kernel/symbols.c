/* Binary search in the table tools/gensyms.sh generates from the first link's `nm` output. */
#include "kernel/symbols.h"

#include <stddef.h>

struct ksym {
    uint64_t address;
    const char *name;
};

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_entries[];
extern char __text_start[], __text_end[];

const char *symbols_lookup(uintptr_t address, uintptr_t *offset)
{
    if (address < (uintptr_t)__text_start || address >= (uintptr_t)__text_end || ksyms_count == 0)
        return NULL;
    size_t low = 0, high = ksyms_count; /* find the last entry with address <= target */
    while (high - low > 1) {
        size_t mid = low + (high - low) / 2;
        if (ksyms_entries[mid].address <= address)
            low = mid;
        else
            high = mid;
    }
    if (ksyms_entries[low].address > address)
        return NULL;
    *offset = address - ksyms_entries[low].address;
    return ksyms_entries[low].name;
}
