/* `svc` (svc_commands.h) over the service manager's protocol (idl/svc.idl): a table of the
 * services (state, restarts, uptime, CPU, names), or an action on one of them. */
#include <svc_idl.h>
#include <wingos.h>
#include "svc_client.h"
#include "svc_commands.h"
#include "term.h"

static const char *state_name(uint8_t state)
{
    static const char *const names[] = {"?",       "waiting", "starting", "running",
                                        "backoff", "stopped", "failed",   "blocked"};
    return state < sizeof names / sizeof names[0] ? names[state] : "?";
}

static void list(wg_handle manager)
{
    struct service_manager_list_response response;
    term_printf("%-14s %-9s %8s %10s %4s %6s  %s\n", "SERVICE", "STATE", "RESTARTS", "UPTIME",
                "CPU", "LAST", "NAMES");
    for (uint32_t i = 0;; i++) {
        struct service_manager_list_request request = {.index = i};
        enum wg_error err =
            service_manager_list_call(manager, &request, &response, SVC_CLIENT_TIMEOUT_NS);
        if (err == WG_ERR_NOT_FOUND)
            return;
        if (err != WG_ERR_OK) {
            term_printf("error: svc: %s\n", wg_error_name(err));
            return;
        }
        const struct svc_info *s = &response.info;
        bool live = s->state == SVC_STATE_RUNNING || s->state == SVC_STATE_STARTING;
        char cpu[12] = "-";
        if (live)
            snprintf(cpu, sizeof cpu, "%u", s->cpu);
        term_printf("%-14s %-9s %8u %8llu.%01llus %4s %6lld  %s\n", s->name, state_name(s->state),
                    s->restarts, (unsigned long long)(s->uptime_ms / 1000),
                    (unsigned long long)(s->uptime_ms % 1000 / 100), cpu, (long long)s->last_status,
                    s->names);
    }
}

static bool action_of(const char *word, uint8_t *action)
{
    static const struct {
        const char *word;
        uint8_t action;
    } actions[] = {{"start", SVC_ACTION_START},
                   {"stop", SVC_ACTION_STOP},
                   {"restart", SVC_ACTION_RESTART},
                   {"kill", SVC_ACTION_KILL}};
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(word, actions[i].word) == 0) {
            *action = actions[i].action;
            return true;
        }
    return false;
}

void svc_commands_run(int argc, char **argv)
{
    uint8_t action = 0;
    if (argc != 1 && (argc != 3 || !action_of(argv[1], &action))) {
        term_puts("usage: svc | svc start|stop|restart|kill NAME\n");
        return;
    }
    if (!svc_client_present()) {
        term_puts("error: svc: no service manager\n");
        return;
    }
    if (argc == 1) {
        wg_handle manager;
        enum wg_error err = wg_connect_by_name(SVC_CLIENT_NAME, &manager);
        if (err != WG_ERR_OK) {
            term_printf("error: svc: no service manager: %s\n", wg_error_name(err));
            return;
        }
        list(manager);
        wg_asset_release(WG_SELF, manager);
        return;
    }
    enum wg_error err = svc_client_control(argv[2], action);
    if (err == WG_ERR_OK)
        term_printf("svc: %s %s: done\n", argv[1], argv[2]);
    else
        term_printf("error: svc %s %s: %s\n", argv[1], argv[2],
                    err == WG_ERR_NOT_FOUND          ? "no such service"
                    : err == WG_ERR_INVALID_ARGUMENT ? "not in a state for that"
                                                     : wg_error_name(err));
}
