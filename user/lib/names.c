/* The name service's wire format (see names.h) and the client calls that use it: register,
 * look up, connect by name. Each call opens its own connection to the root server, so they
 * keep no state and any task may use them at any time. */
#include <lib/string.h>
#include "names.h"
#include "syscall.h"

#define NAME_FIRST_ENTRY 1
#define NAME_ENTRIES     (WG_NAME_MAX / 8)

_Static_assert(NAME_FIRST_ENTRY + NAME_ENTRIES <= WG_MESSAGE_ENTRIES, "a name fits a message");
_Static_assert(WG_NAME_MAX % 8 == 0, "a name fills whole entries");

enum wg_error wg_name_request(struct wg_message *out, enum wg_name_op op, const char *name,
                              uint64_t address)
{
    size_t length = name ? strnlen(name, WG_NAME_MAX + 1) : 0;
    if (length == 0 || length > WG_NAME_MAX || address > WG_NAME_ADDRESS_MAX)
        return WG_ERR_INVALID_ARGUMENT;
    char packed[WG_NAME_MAX] = {0};
    memcpy(packed, name, length);
    *out = (struct wg_message){0};
    out->entries[0].value = (uint64_t)op | address << WG_NAME_OP_BITS;
    for (unsigned i = 0; i < NAME_ENTRIES; i++)
        memcpy(&out->entries[NAME_FIRST_ENTRY + i].value, packed + 8 * i, 8);
    return WG_ERR_OK;
}

enum wg_error wg_name_decode(const struct wg_message *request, enum wg_name_op *op,
                             char name[WG_NAME_MAX + 1], uint64_t *address)
{
    for (unsigned i = 0; i < WG_MESSAGE_ENTRIES; i++)
        if (request->entries[i].flags != 0)
            return WG_ERR_INVALID_ARGUMENT;
    uint64_t header = request->entries[0].value;
    *op = (enum wg_name_op)(header & ((1u << WG_NAME_OP_BITS) - 1));
    *address = header >> WG_NAME_OP_BITS;
    if (*op != WG_NAME_OP_REGISTER && *op != WG_NAME_OP_LOOKUP)
        return WG_ERR_NOT_SUPPORTED;
    if (*op == WG_NAME_OP_LOOKUP && *address != 0)
        return WG_ERR_INVALID_ARGUMENT;
    for (unsigned i = 0; i < NAME_ENTRIES; i++)
        memcpy(name + 8 * i, &request->entries[NAME_FIRST_ENTRY + i].value, 8);
    name[WG_NAME_MAX] = '\0';
    size_t length = strlen(name);
    for (size_t i = length; i < WG_NAME_MAX; i++)
        if (name[i] != '\0')
            return WG_ERR_INVALID_ARGUMENT; /* one name has one encoding */
    return length == 0 ? WG_ERR_INVALID_ARGUMENT : WG_ERR_OK;
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

/* Calls the root server over `connection`; the reply's error, or the call's. */
static enum wg_error name_call(wg_handle connection, const struct wg_message *request,
                               struct wg_message *reply)
{
    enum wg_error err = wg_ipc_call(WG_SELF, connection, request, reply, WG_NAME_TIMEOUT_NS).err;
    if (err != WG_ERR_OK)
        return err;
    uint64_t answer = reply->entries[0].value;
    return answer < WG_ERROR_COUNT ? (enum wg_error)answer : WG_ERR_BAD_FORMAT;
}

/* Opens a connection to the name server and makes one request on it; on success the
 * connection stays open in *connection (a registration lives as long as it does). */
static enum wg_error ask_nameserver(struct wg_message *request, struct wg_message *reply,
                                    wg_handle *connection)
{
    enum wg_error err = connect_accepted(WG_IPC_ROOT_ADDRESS, connection);
    if (err != WG_ERR_OK)
        return err;
    err = name_call(*connection, request, reply);
    if (err != WG_ERR_OK)
        wg_asset_release(WG_SELF, *connection);
    return err;
}

enum wg_error wg_name_register(const char *name, uint64_t address, wg_handle *registration)
{
    struct wg_message request, reply;
    enum wg_error err = wg_name_request(&request, WG_NAME_OP_REGISTER, name, address);
    if (err == WG_ERR_OK && !registration)
        err = WG_ERR_INVALID_ARGUMENT;
    if (err != WG_ERR_OK)
        return err;
    return ask_nameserver(&request, &reply, registration);
}

enum wg_error wg_name_lookup(const char *name, uint64_t *address)
{
    struct wg_message request, reply;
    enum wg_error err = wg_name_request(&request, WG_NAME_OP_LOOKUP, name, 0);
    if (err == WG_ERR_OK && !address)
        err = WG_ERR_INVALID_ARGUMENT;
    if (err != WG_ERR_OK)
        return err;
    wg_handle connection;
    err = ask_nameserver(&request, &reply, &connection);
    if (err != WG_ERR_OK)
        return err;
    wg_asset_release(WG_SELF, connection);
    *address = reply.entries[1].value;
    return WG_ERR_OK;
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
