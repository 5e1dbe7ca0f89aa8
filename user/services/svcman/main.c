/* svcman: the service manager (docs/services.md). init runs it as
 *   svcman BROKER CONFIG [exit-on NAME]
 * BROKER: the address (hex) of init's root-call server, which makes driver assets for it;
 * CONFIG: the configuration's name in the boot archive. It parses the configuration, reports
 * mistakes and impossible dependencies, starts and supervises the services, serves `svc`
 * as "svcman", and once the VFS is up adds the entries of /etc/services.conf. With
 * `exit-on NAME` (the tests) it stops everything and exits with NAME's status once NAME has
 * ended for good. */
#include "deps.h"
#include "svcman.h"
#include "user/lib/vfs.h"

#define CONFIG_MAX 16384
#define ETC_CONFIG "/etc/services.conf"
#define SETTLE_NS  (5000 * MS_NS)

struct svcman svcman;
static char text[CONFIG_MAX];

static void report(void *context, const char *message)
{
    (void)context;
    printf("svcman: %s\n", message);
}

/* Reads archive file `name` into `text`; its length, or -1. */
static int64_t archive_file(const char *name)
{
    char found[WG_EXEC_NAME_MAX + 1];
    for (uint64_t i = 0;; i++) {
        struct wg_result listed = wg_archive_list(found, sizeof found, i);
        if (!wg_ok(listed))
            return -1;
        if (strcmp(found, name) != 0)
            continue;
        struct wg_result read = wg_archive_read(i, 0, text, CONFIG_MAX);
        return wg_ok(read) && read.value <= CONFIG_MAX ? (int64_t)read.value : -1;
    }
}

static enum wg_error connect_broker(const char *hex)
{
    uint64_t address = 0;
    for (const char *c = hex; *c; c++)
        address = address * 16 + (uint64_t)(*c <= '9' ? *c - '0' : (*c | 0x20) - 'a' + 10);
    struct wg_result c = wg_ipc_connect(WG_SELF, address);
    if (!wg_ok(c))
        return c.err;
    svcman.broker = c.value;
    return wg_ipc_wait_accept(WG_SELF, c.value, SETTLE_NS).err;
}

/* Instances of every non-PCI entry from `first` on (PCI ones come with their devices). */
static void add_instances(int first)
{
    for (int i = first; i < svcman.config.count; i++) {
        const struct svc_entry *e = &svcman.config.entries[i];
        bool pci = false;
        for (int g = 0; g < e->grants_count; g++)
            pci |=
                e->grants[g].kind == SVC_GRANT_PCI_ID || e->grants[g].kind == SVC_GRANT_PCI_CLASS;
        if (!pci && !e->on_demand && !svcman_add(i))
            printf("svcman: %s: no room for another service\n", e->name);
    }
}

/* Adds the entries of /etc/services.conf that the boot configuration does not have. */
static void add_etc(void)
{
    static struct svc_config extra;
    struct vfs_open_result file = vfs_open(ETC_CONFIG, FS_OPEN_FLAGS_READ, 0);
    if (file.err != WG_ERR_OK)
        return;
    struct wg_result read = vfs_read(file.file, text, CONFIG_MAX);
    vfs_close(file.file);
    vfs_disconnect();
    if (!wg_ok(read))
        return;
    svc_config_parse(ETC_CONFIG, text, read.value, &extra, report, NULL);
    int first = svcman.config.count;
    for (int i = 0; i < extra.count && svcman.config.count < SVC_MAX; i++) {
        if (svc_config_find(&svcman.config, extra.entries[i].name))
            printf("svcman: %s:%d: service %s is in the boot configuration already; skipped\n",
                   ETC_CONFIG, extra.entries[i].line, extra.entries[i].name);
        else
            svcman.config.entries[svcman.config.count++] = extra.entries[i];
    }
    bool blocked[SVC_MAX];
    svc_deps_check(&svcman.config, ETC_CONFIG, blocked, NULL, NULL);
    for (int i = first; i < svcman.config.count; i++)
        if ((svcman.blocked[i] = blocked[i]))
            printf("svcman: %s:%d: service %s: a need nobody provides, or a cycle\n", ETC_CONFIG,
                   svcman.config.entries[i].line, svcman.config.entries[i].name);
    add_instances(first);
}

/* Test mode: once `exit_on` ended for good, everything is stopped; its status, or -1. */
static bool finished(int64_t *status)
{
    struct svc_instance *s = svcman.exit_on ? svcman_find(svcman.exit_on) : NULL;
    if (!s || (s->state != SVC_STATE_STOPPED && s->state != SVC_STATE_FAILED &&
               s->state != SVC_STATE_BLOCKED))
        return false;
    *status = s->state == SVC_STATE_BLOCKED ? -1 : s->last_status;
    for (int i = svcman.count - 1; i >= 0; i--)
        svcman_end(&svcman.instances[i]);
    return true;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (argc > 3 && (argc != 5 || strcmp(argv[3], "exit-on") != 0))) {
        printf("svcman: usage: svcman BROKER CONFIG [exit-on NAME]\n");
        return 1;
    }
    svcman.exit_on = argc == 5 ? argv[4] : NULL;
    if (connect_broker(argv[1]) != WG_ERR_OK)
        printf("svcman: no root-call server: services get no driver assets\n");
    int64_t length = archive_file(argv[2]);
    if (length < 0) {
        printf("svcman: %s: not in the boot archive\n", argv[2]);
        return 1;
    }
    svc_config_parse(argv[2], text, (size_t)length, &svcman.config, report, NULL);
    svc_deps_check(&svcman.config, argv[2], svcman.blocked, report, NULL);
    printf("svcman: %s: %d services, %d mistakes\n", argv[2], svcman.config.count,
           svcman.config.errors);
    add_instances(0);
    svcman_serve_start();
    bool etc_done = false;
    for (int64_t status;;) {
        svcman_supervise();
        struct svc_instance *vfs = svcman_find(VFS_SERVICE);
        if (!etc_done && vfs && vfs->state == SVC_STATE_RUNNING) {
            etc_done = true;
            add_etc();
        }
        if (finished(&status))
            return (int)status;
        svcman_serve_poll();
    }
}
