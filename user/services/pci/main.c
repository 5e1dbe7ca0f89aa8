/* The PCI service: owns configuration space, enumerates it once at start and answers
 * questions about the devices (protocol in user/lib/pci.h) as "pci". Arguments from init:
 *   pci ecam MMIO BUSES PHYS   the ECAM window of buses 0..BUSES-1 (an MMIO handle) at PHYS
 *   pci ports IOPORTS          the legacy ports 0xcf8-0xcff (an I/O port handle)
 * Drivers never reach configuration space through it: init gives each driver its own
 * function's 4 KiB ECAM page. */
#include <wingos.h>

#include "acceptor.h"
#include "scan.h"

#define ECAM_ADDRESS  0x100000000000ull
#define ACCEPTOR_SIZE 8192

static struct pci_device devices[PCI_SCAN_MAX];
static size_t device_count;
static _Alignas(16) uint8_t acceptor_stack[ACCEPTOR_SIZE];

static bool number(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    if (!text || !*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return false;
        value = value * 10 + (uint64_t)(*text - '0');
    }
    *out = value;
    return true;
}

/* Sets up configuration access from the arguments; false (logged) on bad ones. */
static bool open_config(int argc, char **argv, struct pci_config *config)
{
    uint64_t handle, buses, phys;
    if (argc == 5 && strcmp(argv[1], "ecam") == 0 && number(argv[2], &handle) &&
        number(argv[3], &buses) && number(argv[4], &phys) && buses >= 1 && buses <= 256) {
        struct wg_result map =
            wg_vmem_map(WG_SELF, handle, ECAM_ADDRESS, WG_MAP_READ | WG_MAP_WRITE);
        if (!wg_ok(map)) {
            printf("pci: cannot map ECAM: %s\n", wg_error_name(map.err));
            return false;
        }
        *config = (struct pci_config){(volatile uint8_t *)ECAM_ADDRESS, phys, (unsigned)buses};
        return true;
    }
    if (argc == 3 && strcmp(argv[1], "ports") == 0 && number(argv[2], &handle) &&
        wg_ok(wg_ioport_enable(WG_SELF, handle))) {
        *config = (struct pci_config){NULL, 0, 256};
        return true;
    }
    printf("pci: usage: pci ecam MMIO BUSES PHYS | pci ports IOPORTS\n");
    return false;
}

static void answer(const struct wg_message *request, struct wg_message *reply)
{
    uint64_t op = request->entries[0].value & 0xff;
    uint64_t index = (request->entries[0].value >> 8) & 0xffffffffu;
    uint64_t bar = request->entries[0].value >> 40;
    enum wg_error err = WG_ERR_OK;
    for (int i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (request->entries[i].flags & WG_ENTRY_ASSET)
            err = WG_ERR_INVALID_ARGUMENT;
    const struct pci_device *d = index < device_count ? &devices[index] : NULL;
    if (err == WG_ERR_OK && op != PCI_OP_DEVICE && op != PCI_OP_BAR)
        err = WG_ERR_NOT_SUPPORTED;
    else if (err == WG_ERR_OK && !d)
        err = WG_ERR_NOT_FOUND;
    else if (err == WG_ERR_OK && op == PCI_OP_BAR && bar >= PCI_BARS)
        err = WG_ERR_OUT_OF_RANGE;
    else if (err == WG_ERR_OK && op == PCI_OP_BAR && d->bars[bar].size == 0)
        err = WG_ERR_NOT_FOUND;
    *reply = (struct wg_message){0};
    reply->entries[0].value = err;
    if (err != WG_ERR_OK)
        return;
    if (op == PCI_OP_BAR) {
        reply->entries[1].value = d->bars[bar].base;
        reply->entries[2].value = d->bars[bar].size;
        reply->entries[3].value = d->bars[bar].flags;
        return;
    }
    reply->entries[1].value = (uint64_t)d->bus << 8 | (uint64_t)d->device << 3 | d->function |
                              (uint64_t)d->vendor << 16 | (uint64_t)d->device_id << 32 |
                              (uint64_t)d->revision << 48;
    reply->entries[2].value = (uint64_t)d->class_code << 16 | (uint64_t)d->subclass << 8 |
                              d->prog_if | (uint64_t)d->header_type << 24 |
                              (uint64_t)d->cap_count << 32;
    reply->entries[3].value = d->ecam_page;
    memcpy(&reply->entries[4].value, d->cap_id, PCI_CAPS_LISTED);
    memcpy(&reply->entries[5].value, d->cap_offset, PCI_CAPS_LISTED);
}

__attribute__((noreturn)) static void serve(wg_handle server)
{
    for (;;) {
        struct wg_message request, reply;
        struct wg_result token = wg_ipc_receive(WG_SELF, server, &request, WG_WAIT_FOREVER);
        if (!wg_ok(token))
            continue;
        if (request.event == WG_IPC_EVENT_CLOSED) {
            wg_asset_release(WG_SELF, request.connection);
            continue;
        }
        if (request.event != WG_IPC_EVENT_MESSAGE || token.value == 0)
            continue;
        answer(&request, &reply);
        wg_ipc_reply(WG_SELF, server, token.value, &reply);
    }
}

int main(int argc, char **argv)
{
    struct pci_config config;
    if (!open_config(argc, argv, &config))
        return 1;
    device_count = pci_scan(&config, devices);
    uint64_t address;
    wg_handle acceptor, registration;
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &address);
    enum wg_error err = server.err;
    if (err == WG_ERR_OK)
        err = wg_acceptor_start(server.value, acceptor_stack, sizeof acceptor_stack, &acceptor);
    if (err == WG_ERR_OK)
        err = wg_name_register(PCI_SERVICE_NAME, address, &registration);
    if (err != WG_ERR_OK) {
        printf("pci: cannot serve: %s\n", wg_error_name(err));
        return 2;
    }
    printf("pci: %zu functions on %u buses through %s, serving as \"pci\"\n", device_count,
           config.buses, config.ecam ? "ECAM" : "the legacy ports");
    serve(server.value);
}
