/* Configuration space access (config.h). */
#include "config.h"

#define PORT_ADDRESS 0xcf8
#define PORT_DATA    0xcfc

static uint64_t ecam_offset(unsigned bus, unsigned device, unsigned function, unsigned offset)
{
    return (uint64_t)bus << 20 | (uint64_t)device << 15 | (uint64_t)function << 12 | offset;
}

static void port_select(unsigned bus, unsigned device, unsigned function, unsigned offset)
{
    uint32_t address = 0x80000000u | bus << 16 | device << 11 | function << 8 | (offset & 0xfc);
    __asm__ volatile("outl %0, %w1" : : "a"(address), "Nd"(PORT_ADDRESS));
}

uint32_t pci_config_read(const struct pci_config *config, unsigned bus, unsigned device,
                         unsigned function, unsigned offset)
{
    if (config->ecam)
        return *(volatile uint32_t *)(config->ecam + ecam_offset(bus, device, function, offset));
    uint32_t value;
    port_select(bus, device, function, offset);
    __asm__ volatile("inl %w1, %0" : "=a"(value) : "Nd"(PORT_DATA));
    return value;
}

void pci_config_write(const struct pci_config *config, unsigned bus, unsigned device,
                      unsigned function, unsigned offset, uint32_t value)
{
    if (config->ecam) {
        *(volatile uint32_t *)(config->ecam + ecam_offset(bus, device, function, offset)) = value;
        return;
    }
    port_select(bus, device, function, offset);
    __asm__ volatile("outl %0, %w1" : : "a"(value), "Nd"(PORT_DATA));
}

uint64_t pci_config_page(const struct pci_config *config, unsigned bus, unsigned device,
                         unsigned function)
{
    return config->ecam ? config->ecam_phys + ecam_offset(bus, device, function, 0) : 0;
}
