/* The name service's client calls (see names.h) over the generated NameService stubs. Each
 * call opens its own connection to the root server, so they keep no state and any task may
 * use them at any time. */
#include <lib/string.h>
#include "names.h"
#include "names_idl.h"
#include "syscall.h"

_Static_assert(sizeof(((struct name_service_lookup_request *)0)->name) == WG_NAME_MAX + 1,
               "WG_NAME_MAX is the bound of idl/names.idl");

/* Copies a valid name (1..WG_NAME_MAX bytes) into `out`; false for any other. */
static bool take_name(const char *name, char out[WG_NAME_MAX + 1])
{
    size_t length = name ? strnlen(name, WG_NAME_MAX + 1) : 0;
    if (length == 0 || length > WG_NAME_MAX)
        return false;
    memcpy(out, name, length + 1);
    return true;
}

/* Connects to `address` and waits for the accept; the connection is released on failure. */
static enum wg_error connect_accepted(uint64_t address, wg_handle *connection)
{
    struct wg_result connected = wg_ipc_connect(WG_SELF, address);
    if (connected.err != WG_ERR_OK)
        return connected.err;
    enum wg_error err = wg_ipc_wait_accept(WG_SELF, connected.value, WG_NAME_TIMEOUT_NS).err;
    if (err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, connected.value);
        return err;
    }
    *connection = connected.value;
    return WG_ERR_OK;
}

enum wg_error wg_name_register(const char *name, uint64_t address, wg_handle *registration)
{
    struct name_service_register_name_request request = {.address = address};
    struct name_service_register_name_response response;
    if (!take_name(name, request.name) || !registration)
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = connect_accepted(WG_IPC_ROOT_ADDRESS, registration);
    if (err != WG_ERR_OK)
        return err;
    err = name_service_register_name_call(*registration, &request, &response, WG_NAME_TIMEOUT_NS);
    if (err != WG_ERR_OK)
        wg_asset_release(WG_SELF, *registration); /* the registration lives as long as this */
    return err;
}

enum wg_error wg_name_lookup(const char *name, uint64_t *address)
{
    struct name_service_lookup_request request;
    struct name_service_lookup_response response;
    wg_handle connection;
    if (!take_name(name, request.name) || !address)
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = connect_accepted(WG_IPC_ROOT_ADDRESS, &connection);
    if (err != WG_ERR_OK)
        return err;
    err = name_service_lookup_call(connection, &request, &response, WG_NAME_TIMEOUT_NS);
    wg_asset_release(WG_SELF, connection);
    if (err == WG_ERR_OK)
        *address = response.address;
    return err;
}

enum wg_error wg_connect_by_name(const char *name, wg_handle *connection)
{
    uint64_t address;
    if (!connection)
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = wg_name_lookup(name, &address);
    if (err != WG_ERR_OK)
        return err;
    return connect_accepted(address, connection);
}
