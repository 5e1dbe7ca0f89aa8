/* Host tests for PCI BAR decoding (user/services/pci/bar.c) from probe values. */
#include "test.h"

#include "user/services/pci/bar.h"

TEST(memory32_bar_size_and_flags)
{
    struct pci_bar bar;
    bool next;
    pci_bar_decode(0xfebd5000, 0xfffff000, 0, 0, &bar, &next);
    CHECK_EQ(bar.base, 0xfebd5000ull);
    CHECK_EQ(bar.size, 0x1000ull);
    CHECK_EQ(bar.flags, 0u);
    CHECK(!next);
}

TEST(memory64_prefetchable_bar_uses_next_slot)
{
    struct pci_bar bar;
    bool next;
    pci_bar_decode(0xfe00000c, 0xffffc00c, 0x00000038, 0xffffffff, &bar, &next);
    CHECK_EQ(bar.base, 0x38fe000000ull);
    CHECK_EQ(bar.size, 0x4000ull);
    CHECK_EQ(bar.flags, PCI_BAR_64 | PCI_BAR_PREFETCH);
    CHECK(next);
    CHECK(pci_bar_is_64(0xfe00000c));
    CHECK(!pci_bar_is_64(0xfe000000));
}

TEST(io_bar_size)
{
    struct pci_bar bar;
    bool next;
    pci_bar_decode(0xc041, 0xffffffe1, 0, 0, &bar, &next);
    CHECK_EQ(bar.base, 0xc040ull);
    CHECK_EQ(bar.size, 0x20ull);
    CHECK_EQ(bar.flags, PCI_BAR_IO);
    pci_bar_decode(0xc041, 0x0000ffe1, 0, 0, &bar, &next); /* 16-bit decoder */
    CHECK_EQ(bar.size, 0x20ull);
}

TEST(unimplemented_bars_have_no_size)
{
    struct pci_bar bar;
    bool next;
    pci_bar_decode(0, 0, 0, 0, &bar, &next);
    CHECK_EQ(bar.size, 0ull);
    pci_bar_decode(4, 4, 0, 0, &bar, &next); /* 64-bit type, nothing writable */
    CHECK_EQ(bar.size, 0ull);
    pci_bar_decode(1, 1, 0, 0, &bar, &next);
    CHECK_EQ(bar.size, 0ull);
}

TEST(large_64bit_bar_above_4g)
{
    struct pci_bar bar;
    bool next;
    pci_bar_decode(0x0000000c, 0x0000000c, 0x00000010, 0xfffffff0, &bar, &next);
    CHECK_EQ(bar.size, 0x1000000000ull); /* 64 GiB */
    CHECK_EQ(bar.base, 0x1000000000ull);
}
