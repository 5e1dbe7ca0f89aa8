/* BAR decoding (bar.h). */
#include "bar.h"

bool pci_bar_is_64(uint32_t low)
{
    return (low & 1) == 0 && ((low >> 1) & 3) == 2;
}

void pci_bar_decode(uint32_t low, uint32_t low_probe, uint32_t high, uint32_t high_probe,
                    struct pci_bar *out, bool *uses_next)
{
    *out = (struct pci_bar){0};
    *uses_next = false;
    if (low & 1) { /* I/O space: bits 0-1 are flags, 16-bit decoders read back 0 above */
        uint32_t mask = low_probe & ~3u & 0xffff;
        out->flags = PCI_BAR_IO;
        out->base = low & ~3u;
        out->size = mask ? (~mask & 0xffff) + 1 : 0;
        return;
    }
    uint64_t mask = low_probe & ~0xfu;
    out->base = low & ~0xfu;
    if (pci_bar_is_64(low)) {
        *uses_next = true;
        out->flags |= PCI_BAR_64;
        mask |= (uint64_t)high_probe << 32;
        out->base |= (uint64_t)high << 32;
    } else {
        mask |= 0xffffffff00000000ull; /* a 32-bit BAR decodes nothing above */
    }
    if (low & 8)
        out->flags |= PCI_BAR_PREFETCH;
    out->size = mask == 0 || mask == 0xffffffff00000000ull ? 0 : ~mask + 1;
}
