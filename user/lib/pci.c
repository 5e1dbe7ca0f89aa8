/* Client side of the PCI service's protocol (pci.h). */
#include "pci.h"
#include <lib/string.h>
#include "result.h"
#include "syscall.h"

static enum wg_error ask(wg_handle connection, uint64_t request, struct wg_message *reply)
{
    struct wg_message message = {0};
    message.entries[0].value = request;
    struct wg_result result = wg_ipc_call(WG_SELF, connection, &message, reply, WG_WAIT_FOREVER);
    if (!wg_ok(result))
        return result.err;
    return (enum wg_error)reply->entries[0].value;
}

static void decode_device(const struct wg_message *reply, struct pci_device *out)
{
    uint64_t id = reply->entries[1].value, kind = reply->entries[2].value;
    *out = (struct pci_device){
        .bus = (uint8_t)(id >> 8),
        .device = (uint8_t)((id >> 3) & 31),
        .function = (uint8_t)(id & 7),
        .vendor = (uint16_t)(id >> 16),
        .device_id = (uint16_t)(id >> 32),
        .revision = (uint8_t)(id >> 48),
        .class_code = (uint8_t)(kind >> 16),
        .subclass = (uint8_t)(kind >> 8),
        .prog_if = (uint8_t)kind,
        .header_type = (uint8_t)(kind >> 24),
        .cap_count = (uint8_t)(kind >> 32),
        .ecam_page = reply->entries[3].value,
    };
    memcpy(out->cap_id, &reply->entries[4].value, PCI_CAPS_LISTED);
    memcpy(out->cap_offset, &reply->entries[5].value, PCI_CAPS_LISTED);
}

enum wg_error pci_device_get(wg_handle connection, uint32_t index, struct pci_device *out)
{
    struct wg_message reply;
    enum wg_error err = ask(connection, PCI_OP_DEVICE | (uint64_t)index << 8, &reply);
    if (err != WG_ERR_OK)
        return err;
    decode_device(&reply, out);
    for (uint64_t bar = 0; bar < PCI_BARS; bar++) {
        err = ask(connection, PCI_OP_BAR | (uint64_t)index << 8 | bar << 40, &reply);
        if (err == WG_ERR_NOT_FOUND)
            continue;
        if (err != WG_ERR_OK)
            return err;
        out->bars[bar] = (struct pci_bar){reply.entries[1].value, reply.entries[2].value,
                                          (uint32_t)reply.entries[3].value};
    }
    return WG_ERR_OK;
}

const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
    static const char *const names[] = {
        "unclassified",  "storage", "network", "display", "multimedia", "memory",    "bridge",
        "communication", "system",  "input",   "docking", "processor",  "serial bus"};
    if (class_code == PCI_CLASS_STORAGE && subclass == PCI_SUBCLASS_NVME)
        return "storage (NVMe)";
    return class_code < sizeof names / sizeof names[0] ? names[class_code] : "other";
}
