/* Supervision (svcman.h): one round over every instance. A waiting one starts when every
 * name it needs is served by running instances; a started one is up when all its names are
 * registered (anew: a restarted server registers a new address); an ended one is taken back
 * (its space destroyed, its device's bus mastering off) and restarted by its policy, after
 * a backoff that doubles from MIN to MAX, unless it ended more than `limit` times within
 * the window: then it is stopped and reported. */
#include "deps.h"
#include "svcman.h"

#define HEARTBEAT_MISSES 3

struct svc_instance *svcman_add(int entry)
{
    if (svcman.count == SVCMAN_MAX)
        return NULL;
    const struct svc_entry *e = &svcman.config.entries[entry];
    struct svc_instance *s = &svcman.instances[svcman.count++];
    memset(s, 0, sizeof *s);
    s->entry = entry;
    s->state = svcman.blocked[entry] ? SVC_STATE_BLOCKED : SVC_STATE_WAITING;
    strlcpy(s->name, e->name, sizeof s->name);
    for (int p = 0; p < e->provides_count; p++)
        strlcpy(s->provides[p], e->provides[p], sizeof s->provides[p]);
    s->provides_count = e->provides_count;
    return s;
}

static bool instance_provides(const struct svc_instance *s, const char *name)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    for (int p = 0; p < s->provides_count; p++)
        if (strcmp(s->provides[p], name) == 0 ||
            (p < e->provides_count && strcmp(e->provides[p], name) == 0))
            return true;
    return false;
}

struct svc_instance *svcman_find(const char *name)
{
    for (int i = 0; i < svcman.count; i++)
        if (strcmp(svcman.instances[i].name, name) == 0)
            return &svcman.instances[i];
    for (int i = 0; i < svcman.count; i++)
        if (instance_provides(&svcman.instances[i], name) && !svcman.instances[i].pci)
            return &svcman.instances[i];
    for (int i = 0; i < svcman.count; i++) /* "blk0": the instance, not the pattern */
        if (svcman.instances[i].pci && strcmp(svcman.instances[i].provides[0], name) == 0)
            return &svcman.instances[i];
    return NULL;
}

static bool is_pci(int entry)
{
    const struct svc_entry *e = &svcman.config.entries[entry];
    for (int g = 0; g < e->grants_count; g++)
        if (e->grants[g].kind == SVC_GRANT_PCI_ID || e->grants[g].kind == SVC_GRANT_PCI_CLASS)
            return true;
    return false;
}

/* True when every instance providing `need` runs (a "blk#" pattern: once the devices are
 * listed, even if there are none). */
static bool need_ready(const char *need)
{
    for (int i = 0; i < svcman.config.count; i++)
        if (is_pci(i) && !svcman.enumerated[i] &&
            svc_deps_provides(&svcman.config.entries[i], need))
            return false;
    bool any = strchr(need, '#') != NULL;
    for (int i = 0; i < svcman.count; i++)
        if (instance_provides(&svcman.instances[i], need)) {
            if (svcman.instances[i].state != SVC_STATE_RUNNING)
                return false;
            any = true;
        }
    return any;
}

static bool entry_ready(int entry)
{
    const struct svc_entry *e = &svcman.config.entries[entry];
    for (int n = 0; n < e->needs_count; n++)
        if (!need_ready(e->needs[n]))
            return false;
    return true;
}

static uint64_t now_ns(void)
{
    return wg_clock().value;
}

/* The policy after an end with `status` (or a failed start). */
static void after_end(struct svc_instance *s, int64_t status)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    uint64_t now = now_ns(), ran = now - s->started_ns;
    s->last_status = status;
    if (e->restart == SVC_RESTART_NEVER || (e->restart == SVC_RESTART_ON_FAILURE && status == 0)) {
        s->state = SVC_STATE_STOPPED;
        printf("svcman: %s ended (%lld); not restarted\n", s->name, (long long)status);
        return;
    }
    if (now - s->window_ns > e->limit_window_ms * MS_NS) {
        s->window_ns = now;
        s->window_count = 0;
    }
    if (++s->window_count > e->limit_count) {
        s->state = SVC_STATE_FAILED;
        printf("svcman: %s keeps failing (%u ends within %u ms): stopped\n", s->name,
               s->window_count, e->limit_window_ms);
        return;
    }
    bool long_run = ran >= e->limit_window_ms * MS_NS;
    s->backoff_ms = s->backoff_ms == 0 || long_run ? e->backoff_min_ms : s->backoff_ms * 2;
    if (s->backoff_ms > e->backoff_max_ms)
        s->backoff_ms = e->backoff_max_ms;
    s->restart_ns = now + s->backoff_ms * MS_NS;
    s->state = SVC_STATE_BACKOFF;
    printf("svcman: %s ended (%lld); restart in %u ms\n", s->name, (long long)status,
           s->backoff_ms);
}

static void start(struct svc_instance *s)
{
    s->started_ns = now_ns();
    enum wg_error err = svcman_start(s);
    if (err != WG_ERR_OK) {
        printf("svcman: %s: cannot start %s: %s\n", s->name,
               svcman.config.entries[s->entry].program, wg_error_name(err));
        after_end(s, -(int64_t)err);
        return;
    }
    s->state = s->provides_count ? SVC_STATE_STARTING : SVC_STATE_RUNNING;
    s->missed_beats = 0;
    s->beat_ns = s->started_ns;
}

/* True once every name it provides is registered at a new address. */
static bool registered(struct svc_instance *s)
{
    uint64_t address[SVC_PROVIDES_MAX];
    for (int p = 0; p < s->provides_count; p++)
        if (wg_name_lookup(s->provides[p], &address[p]) != WG_ERR_OK ||
            address[p] == s->addresses[p])
            return false;
    memcpy(s->addresses, address, sizeof address);
    return true;
}

/* An optional heartbeat: the server must accept a connection within the period. */
static void heartbeat(struct svc_instance *s)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    uint64_t now = now_ns();
    if (e->heartbeat_ms == 0 || s->provides_count == 0 ||
        now - s->beat_ns < e->heartbeat_ms * MS_NS)
        return;
    s->beat_ns = now;
    struct wg_result c = wg_ipc_connect(WG_SELF, s->addresses[0]);
    bool alive = wg_ok(c) && wg_ok(wg_ipc_wait_accept(WG_SELF, c.value, e->heartbeat_ms * MS_NS));
    if (wg_ok(c))
        wg_asset_release(WG_SELF, c.value);
    s->missed_beats = alive ? 0 : s->missed_beats + 1;
    if (s->missed_beats >= HEARTBEAT_MISSES) {
        printf("svcman: %s missed %d heartbeats: killed\n", s->name, HEARTBEAT_MISSES);
        wg_task_kill(WG_SELF, s->process.task);
    }
}

/* True when none of its names is registered: the name server has seen the last run's
 * connections close, so the new run can take its names again. */
static bool names_free(const struct svc_instance *s)
{
    uint64_t address;
    for (int p = 0; p < s->provides_count; p++)
        if (wg_name_lookup(s->provides[p], &address) != WG_ERR_NOT_FOUND)
            return false;
    return true;
}

static void supervise_one(struct svc_instance *s)
{
    if (s->state == SVC_STATE_STARTING || s->state == SVC_STATE_RUNNING) {
        struct wg_result ended = wg_process_wait(&s->process, 0);
        if (wg_ok(ended)) {
            svcman_end(s);
            after_end(s, (int64_t)ended.value);
        } else if (s->state == SVC_STATE_STARTING && registered(s)) {
            s->state = SVC_STATE_RUNNING;
            printf("svcman: %s is up\n", s->name);
        } else if (s->state == SVC_STATE_RUNNING) {
            heartbeat(s);
        }
        return;
    }
    if (s->state == SVC_STATE_BACKOFF && now_ns() >= s->restart_ns) {
        s->restarts++;
        s->state = SVC_STATE_WAITING;
    }
    if (s->state == SVC_STATE_WAITING && entry_ready(s->entry) &&
        (!s->argument[0] || need_ready(s->argument)) && names_free(s))
        start(s);
}

void svcman_supervise(void)
{
    for (int i = 0; i < svcman.config.count; i++)
        if (is_pci(i) && !svcman.enumerated[i] && !svcman.blocked[i] && entry_ready(i)) {
            svcman_enumerate();
            break;
        }
    for (int i = 0; i < svcman.count; i++)
        supervise_one(&svcman.instances[i]);
}

/* Waiting to start, as if it had never failed. */
static void start_afresh(struct svc_instance *s)
{
    s->window_count = 0;
    s->backoff_ms = 0;
    s->last_status = 0;
    s->state = SVC_STATE_WAITING;
}

/* Whether `text` is 1..15 bytes of [A-Za-z0-9_.-] (a device name). */
static bool argument_valid(const char *text)
{
    size_t length = strnlen(text, 16);
    for (size_t i = 0; i < length; i++)
        if (!(text[i] >= 'a' && text[i] <= 'z') && !(text[i] >= 'A' && text[i] <= 'Z') &&
            !(text[i] >= '0' && text[i] <= '9') && !strchr("_.-", text[i]))
            return false;
    return length > 0 && length < 16;
}

enum wg_error svcman_instance(const char *entry, const char *argument, char *name)
{
    const struct svc_entry *e = svc_config_find(&svcman.config, entry);
    char wanted[SVC_NAME_MAX + 1];
    if (!e || !e->on_demand)
        return WG_ERR_NOT_FOUND;
    if (!argument_valid(argument) ||
        (size_t)snprintf(wanted, sizeof wanted, "%s-%s", entry, argument) >= sizeof wanted)
        return WG_ERR_INVALID_ARGUMENT;
    struct svc_instance *s = svcman_find(wanted);
    if (!s && (s = svcman_add((int)(e - svcman.config.entries)))) {
        strlcpy(s->name, wanted, sizeof s->name);
        strlcpy(s->provides[0], wanted, sizeof s->provides[0]);
        s->provides_count = 1;
        strlcpy(s->argument, argument, sizeof s->argument);
        printf("svcman: %s: made on demand\n", wanted);
    }
    if (!s)
        return WG_ERR_NO_MEMORY;
    if (s->state == SVC_STATE_STOPPED || s->state == SVC_STATE_FAILED)
        start_afresh(s);
    strlcpy(name, s->name, SVC_NAME_MAX + 1);
    return WG_ERR_OK;
}

enum wg_error svcman_control(struct svc_instance *s, uint8_t action)
{
    bool live = s->state == SVC_STATE_STARTING || s->state == SVC_STATE_RUNNING;
    if (s->state == SVC_STATE_BLOCKED)
        return WG_ERR_INVALID_ARGUMENT;
    if (action == SVC_ACTION_KILL) {
        if (!live)
            return WG_ERR_INVALID_ARGUMENT;
        printf("svcman: %s: killed on request\n", s->name);
        return wg_task_kill(WG_SELF, s->process.task).err;
    }
    if (action == SVC_ACTION_START && live)
        return WG_ERR_INVALID_ARGUMENT;
    svcman_end(s);
    if (action == SVC_ACTION_STOP) {
        s->state = SVC_STATE_STOPPED;
        printf("svcman: %s stopped on request\n", s->name);
        return WG_ERR_OK;
    }
    s->restarts += action == SVC_ACTION_RESTART;
    start_afresh(s);
    printf("svcman: %s: %s on request\n", s->name,
           action == SVC_ACTION_START ? "start" : "restart");
    return WG_ERR_OK;
}

bool svcman_all_down(void)
{
    for (int i = 0; i < svcman.count; i++) {
        uint8_t state = svcman.instances[i].state;
        if (state != SVC_STATE_STOPPED && state != SVC_STATE_FAILED && state != SVC_STATE_BLOCKED)
            return false;
    }
    return true;
}
