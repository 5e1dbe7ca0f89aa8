/* The "svcman" server (idl/svc.idl): `svc` lists services and acts on them. Served from the
 * manager's one loop: each poll accepts waiting connections and answers at most one message,
 * waiting up to POLL_NS for it (the loop's pace). */
#include "svcman.h"

#define POLL_NS (10 * MS_NS)

static wg_handle server, registration;

static void fill(const struct svc_instance *s, struct svc_info *info)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    memset(info, 0, sizeof *info);
    strlcpy(info->name, s->name, sizeof info->name);
    strlcpy(info->program, e->program, sizeof info->program);
    size_t used = 0;
    for (int p = 0; p < s->provides_count; p++)
        used += (size_t)snprintf(info->names + used, sizeof info->names - used, "%s%s",
                                 p ? " " : "", s->provides[p]);
    info->state = s->state;
    info->restarts = s->restarts;
    bool live = s->state == SVC_STATE_STARTING || s->state == SVC_STATE_RUNNING;
    info->uptime_ms = live ? (wg_clock().value - s->started_ns) / MS_NS : 0;
    info->last_status = s->last_status;
    static struct wg_task_info tasks[256];
    struct wg_asset_info task;
    if (!live || !wg_ok(wg_asset_info(WG_SELF, s->process.task, &task)))
        return;
    struct wg_result count = wg_system_tasks(tasks, 256);
    for (uint64_t i = 0; wg_ok(count) && i < count.value; i++)
        if (tasks[i].id == task.address)
            info->cpu = tasks[i].cpu;
}

static enum wg_error on_list(void *context, struct idl_call *call,
                             const struct service_manager_list_request *request,
                             struct service_manager_list_response *response)
{
    (void)context;
    (void)call;
    if (request->index >= (uint32_t)svcman.count)
        return WG_ERR_NOT_FOUND;
    fill(&svcman.instances[request->index], &response->info);
    return WG_ERR_OK;
}

static enum wg_error on_control(void *context, struct idl_call *call,
                                const struct service_manager_control_request *request,
                                struct service_manager_control_response *response)
{
    (void)context;
    (void)call;
    (void)response;
    struct svc_instance *s = svcman_find(request->name);
    if (!s)
        return WG_ERR_NOT_FOUND;
    if (!svc_action_valid(request->action))
        return WG_ERR_INVALID_ARGUMENT;
    return svcman_control(s, request->action);
}

static enum wg_error on_instance(void *context, struct idl_call *call,
                                 const struct service_manager_instance_request *request,
                                 struct service_manager_instance_response *response)
{
    (void)context;
    (void)call;
    return svcman_instance(request->entry, request->argument, response->name);
}

static const struct service_manager_handlers handlers = {
    .list = on_list, .control = on_control, .instance = on_instance};

void svcman_serve_start(void)
{
    uint64_t address;
    struct wg_result made = wg_ipc_server_create(WG_SELF, 0, &address);
    enum wg_error err = made.err;
    if (err == WG_ERR_OK)
        err = wg_name_register(SVCMAN_NAME, address, &registration);
    if (err != WG_ERR_OK) {
        printf("svcman: cannot serve \"%s\": %s\n", SVCMAN_NAME, wg_error_name(err));
        return;
    }
    server = made.value;
}

void svcman_serve_poll(void)
{
    if (server == 0) {
        wg_sleep(POLL_NS);
        return;
    }
    while (wg_ok(wg_ipc_accept(WG_SELF, server, 0)))
        ;
    struct wg_message message;
    struct wg_result token = wg_ipc_receive(WG_SELF, server, &message, POLL_NS);
    if (!wg_ok(token))
        return;
    if (message.event == WG_IPC_EVENT_CLOSED)
        wg_asset_release(WG_SELF, message.connection);
    else if (message.event == WG_IPC_EVENT_MESSAGE && token.value != 0)
        service_manager_dispatch(&handlers, NULL, server, &message, token.value);
    else if (message.event == WG_IPC_EVENT_MESSAGE)
        idl_release_assets(&message);
}
