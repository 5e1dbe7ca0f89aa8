/* Syscalls of MSI assets (kernel/driver/msi.c) and the PCI ECAM window a PCI service reads
 * configuration space through. Only the root space creates MSI assets, as with every driver
 * asset; the holder of a handle binds, acknowledges and reads its message. */
#include "kernel/driver/msi.h"
#include "kernel/ipc/ipc.h"
#include "kernel/platform.h"
#include "kernel/space/space.h"
#include "kernel/syscall/syscall.h"

struct syscall_result sys_PCI_ECAM(const struct sys_pci_ecam_args *args)
{
    const struct acpi_ecam *ecam = platform_ecam();
    if (!ecam)
        return SYSCALL_ERR(WG_ERR_NOT_FOUND);
    struct wg_pci_ecam out = {ecam->base, ecam->segment, ecam->first_bus, ecam->last_bus, 0};
    return SYSCALL_ERR(copy_to_user(args->out, &out, sizeof out));
}

struct syscall_result sys_MSI_CREATE(const struct sys_msi_create_args *args)
{
    if (!space_is_root(syscall_space()))
        return SYSCALL_ERR(WG_ERR_ACCESS_DENIED);
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result msi = msi_create();
    struct syscall_result result =
        msi.err == WG_ERR_OK ? syscall_insert_new(space, msi.asset) : SYSCALL_ERR(msi.err);
    space_put(space);
    return result;
}

struct syscall_result sys_MSI_MESSAGE(const struct sys_msi_message_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result found = space_lookup(space, args->msi, WG_ASSET_MSI, WG_RIGHT_USE);
    struct asset *msi = found.asset;
    enum wg_error err = found.err;
    if (msi) {
        struct wg_msi_message message;
        msi_message(msi, &message);
        err = copy_to_user(args->out, &message, sizeof message);
        asset_put(msi);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_MSI_BIND(const struct sys_msi_bind_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result msi_found = space_lookup(space, args->msi, WG_ASSET_MSI, WG_RIGHT_USE);
    struct asset_result server_found = {.err = msi_found.err};
    if (msi_found.err == WG_ERR_OK)
        server_found = space_lookup(space, args->server, WG_ASSET_IPC_SERVER, WG_RIGHT_WRITE);
    struct asset *msi = msi_found.asset, *server = server_found.asset;
    enum wg_error err = server_found.err;
    if (msi && server)
        msi_bind(msi, asset_server(server));
    if (server)
        asset_put(server);
    if (msi)
        asset_put(msi);
    space_put(space);
    return SYSCALL_ERR(err);
}

struct syscall_result sys_MSI_ACK(const struct sys_msi_ack_args *args)
{
    RESOLVE_SPACE(space, args->space, WG_RIGHT_MANAGE);
    struct asset_result found = space_lookup(space, args->msi, WG_ASSET_MSI, WG_RIGHT_USE);
    struct asset *msi = found.asset;
    enum wg_error err = found.err;
    if (msi) {
        err = msi_ack(msi);
        asset_put(msi);
    }
    space_put(space);
    return SYSCALL_ERR(err);
}
