/* libFuzzer target for the service manager's configuration parser and dependency checks
 * (user/services/svcman/config.c, config_keys.c, deps.c): any bytes are a configuration.
 * Every report must be one NUL-terminated "f:LINE: ..." line, every entry kept must have a
 * valid name and program, NUL-terminated fields and counts within bounds, and the dependency
 * check must block no more entries than there are; abort() otherwise. */
#include <stdlib.h>
#include <string.h>

#include "user/services/svcman/config.h"
#include "user/services/svcman/deps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
    if (!condition)
        abort();
}

static void check_report(void *context, const char *message)
{
    (*(int *)context)++;
    size_t length = strnlen(message, SVC_MESSAGE_MAX);
    require(length < SVC_MESSAGE_MAX && strncmp(message, "f:", 2) == 0);
    require(memchr(message, '\n', length) == NULL);
}

static void check_entry(const struct svc_entry *e)
{
    require(strnlen(e->name, sizeof e->name) < sizeof e->name && e->name[0] != '\0');
    require(strnlen(e->program, sizeof e->program) < sizeof e->program && e->program[0]);
    require(e->argc >= 0 && e->argc <= SVC_ARGS_MAX);
    for (int i = 0; i < e->argc; i++)
        require(strnlen(e->args[i], sizeof e->args[i]) < sizeof e->args[i]);
    require(e->provides_count >= 0 && e->provides_count <= SVC_PROVIDES_MAX);
    require(e->needs_count >= 0 && e->needs_count <= SVC_NEEDS_MAX);
    require(e->grants_count >= 0 && e->grants_count <= SVC_GRANTS_MAX);
    require(e->priority >= -1 && e->priority <= 31 && e->node >= -1 && e->node <= 63);
    require(e->backoff_min_ms <= e->backoff_max_ms && e->limit_window_ms > 0);
    require(e->restart <= SVC_RESTART_NEVER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct svc_config config;
    int reports = 0;
    svc_config_parse("f", (const char *)data, size, &config, check_report, &reports);
    require(config.count >= 0 && config.count <= SVC_MAX && reports == config.errors);
    for (int i = 0; i < config.count; i++) {
        check_entry(&config.entries[i]);
        for (int j = 0; j < i; j++)
            require(strcmp(config.entries[i].name, config.entries[j].name) != 0);
    }
    bool blocked[SVC_MAX];
    int deps_reports = 0;
    int count = svc_deps_check(&config, "f", blocked, check_report, &deps_reports);
    require(count >= 0 && count <= config.count && count == deps_reports);
    return 0;
}
