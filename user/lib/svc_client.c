/* Service manager client calls (svc_client.h). */
#include <wingos.h>
#include "svc_client.h"

bool svc_client_present(void)
{
    uint64_t address;
    return wg_name_lookup(SVC_CLIENT_NAME, &address) == WG_ERR_OK;
}

enum wg_error svc_client_info(const char *name, struct svc_info *out)
{
    wg_handle manager;
    enum wg_error err = wg_connect_by_name(SVC_CLIENT_NAME, &manager);
    if (err != WG_ERR_OK)
        return err;
    for (uint32_t i = 0; err == WG_ERR_OK; i++) {
        struct service_manager_list_request request = {.index = i};
        struct service_manager_list_response response;
        err = service_manager_list_call(manager, &request, &response, SVC_CLIENT_TIMEOUT_NS);
        if (err == WG_ERR_OK && strcmp(response.info.name, name) == 0) {
            *out = response.info;
            break;
        }
    }
    wg_asset_release(WG_SELF, manager);
    return err;
}

enum wg_error svc_client_control(const char *name, uint8_t action)
{
    wg_handle manager;
    enum wg_error err = wg_connect_by_name(SVC_CLIENT_NAME, &manager);
    if (err != WG_ERR_OK)
        return err;
    struct service_manager_control_request request = {.action = action};
    struct service_manager_control_response response;
    strlcpy(request.name, name, sizeof request.name);
    err = service_manager_control_call(manager, &request, &response, SVC_CLIENT_TIMEOUT_NS);
    wg_asset_release(WG_SELF, manager);
    return err;
}

enum wg_error svc_client_instance(const char *entry, const char *argument, char *name)
{
    wg_handle manager;
    enum wg_error err = wg_connect_by_name(SVC_CLIENT_NAME, &manager);
    if (err != WG_ERR_OK)
        return err;
    struct service_manager_instance_request request;
    struct service_manager_instance_response response;
    if (strlcpy(request.entry, entry, sizeof request.entry) >= sizeof request.entry ||
        strlcpy(request.argument, argument, sizeof request.argument) >= sizeof request.argument)
        err = WG_ERR_INVALID_ARGUMENT;
    if (err == WG_ERR_OK)
        err = service_manager_instance_call(manager, &request, &response, SVC_CLIENT_TIMEOUT_NS);
    if (err == WG_ERR_OK)
        strlcpy(name, response.name, sizeof response.name);
    wg_asset_release(WG_SELF, manager);
    return err;
}
