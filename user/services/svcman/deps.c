/* Dependency checks (deps.h): missing names first, then cycles (an entry that reaches itself), then
 * whatever needs a blocked entry, until nothing changes. */
#include <lib/fmt.h>
#include <lib/string.h>
#include "deps.h"

bool svc_deps_provides(const struct svc_entry *entry, const char *name)
{
    for (int i = 0; i < entry->provides_count; i++) {
        const char *own = entry->provides[i];
        size_t stem = strlen(own) - 1;
        if (strcmp(own, name) == 0)
            return true;
        if (own[stem] != '#' || strncmp(own, name, stem) != 0 || name[stem] == '\0')
            continue;
        const char *digit = name + stem;
        while (*digit >= '0' && *digit <= '9')
            digit++;
        if (*digit == '\0')
            return true;
    }
    return false;
}

int svc_deps_provider(const struct svc_config *config, const char *name)
{
    for (int i = 0; i < config->count; i++)
        if (svc_deps_provides(&config->entries[i], name))
            return i;
    return -1;
}

static void say(const struct svc_config *config, int index, const char *file, svc_report report,
                void *context, const char *why)
{
    char message[SVC_MESSAGE_MAX];
    const struct svc_entry *e = &config->entries[index];
    fmt_snprintf(message, sizeof message, "%s:%d: service %s: %s", file, e->line, e->name, why);
    if (report)
        report(context, message);
}

/* True if `target` can be reached from `at` along needs (entries seen are marked). */
static bool reaches(const struct svc_config *config, int at, int target, bool seen[SVC_MAX])
{
    const struct svc_entry *e = &config->entries[at];
    for (int n = 0; n < e->needs_count; n++) {
        int next = svc_deps_provider(config, e->needs[n]);
        if (next == target)
            return true;
        if (next >= 0 && !seen[next]) {
            seen[next] = true;
            if (reaches(config, next, target, seen))
                return true;
        }
    }
    return false;
}

static int check_missing(const struct svc_config *config, const char *file, bool blocked[SVC_MAX],
                         svc_report report, void *context)
{
    int count = 0;
    char why[SVC_MESSAGE_MAX];
    for (int i = 0; i < config->count; i++)
        for (int n = 0; n < config->entries[i].needs_count && !blocked[i]; n++)
            if (svc_deps_provider(config, config->entries[i].needs[n]) < 0) {
                fmt_snprintf(why, sizeof why, "needs %s, which no service provides",
                             config->entries[i].needs[n]);
                say(config, i, file, report, context, why);
                blocked[i] = true;
                count++;
            }
    return count;
}

static int check_cycles(const struct svc_config *config, const char *file, bool blocked[SVC_MAX],
                        svc_report report, void *context)
{
    int count = 0;
    for (int i = 0; i < config->count; i++) {
        bool seen[SVC_MAX] = {0};
        if (blocked[i] || !reaches(config, i, i, seen))
            continue;
        say(config, i, file, report, context, "is on a dependency cycle");
        blocked[i] = true;
        count++;
    }
    return count;
}

int svc_deps_check(const struct svc_config *config, const char *file, bool blocked[SVC_MAX],
                   svc_report report, void *context)
{
    memset(blocked, 0, sizeof(bool) * SVC_MAX);
    int count = check_missing(config, file, blocked, report, context);
    count += check_cycles(config, file, blocked, report, context);
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < config->count; i++)
            for (int n = 0; n < config->entries[i].needs_count && !blocked[i]; n++) {
                int provider = svc_deps_provider(config, config->entries[i].needs[n]);
                if (provider >= 0 && blocked[provider]) {
                    say(config, i, file, report, context, "needs a service that cannot start");
                    blocked[i] = changed = true;
                    count++;
                }
            }
    }
    return count;
}
