/* Starting and ending one service instance (svcman.h). Its driver assets are made once (by
 * init, the only space that may) and kept here; each start copies them into a new space,
 * loads the program there with their handles as arguments, sets priority and CPUs, and only
 * then starts its task. */
#include "svcman.h"
#include "user/lib/test/rootcall.h"

#define CMD_MASTER (1u << 2)
#define ECAM_BUSES 16 /* of the ECAM window given to the PCI service (16 MiB) */
#define ARGS_MAX   (1 + SVC_ARGS_MAX + SVCMAN_ITEMS_MAX)

struct wg_result svcman_asset(int op, uint64_t a, uint64_t b, uint64_t c)
{
    if (svcman.broker == 0)
        return (struct wg_result){WG_ERR_ACCESS_DENIED, 0};
    return rootcall_request(svcman.broker, (enum rootcall_op)op, a, b, c);
}

bool svcman_item(struct svc_instance *s, int asset, const char *text)
{
    if (s->item_count == SVCMAN_ITEMS_MAX)
        return false;
    s->items[s->item_count].asset = asset;
    strlcpy(s->items[s->item_count].text, text ? text : "", sizeof s->items[0].text);
    s->item_count++;
    return true;
}

enum wg_error svcman_keep(struct svc_instance *s, struct wg_result made)
{
    if (!wg_ok(made))
        return made.err;
    if (s->asset_count == SVCMAN_ASSETS_MAX || !svcman_item(s, s->asset_count, NULL)) {
        wg_asset_release(WG_SELF, made.value);
        return WG_ERR_OUT_OF_RANGE;
    }
    s->assets[s->asset_count++] = made.value;
    return WG_ERR_OK;
}

static enum wg_error grant_ecam(struct svc_instance *s)
{
    struct wg_pci_ecam ecam;
    char text[24];
    if (!wg_ok(wg_pci_ecam(&ecam))) {
        svcman_item(s, -1, "ports");
        return svcman_keep(s, svcman_asset(ROOTCALL_IOPORT_CREATE, 0xcf8, 8, 0));
    }
    unsigned buses = ecam.last_bus + 1u < ECAM_BUSES ? ecam.last_bus + 1u : ECAM_BUSES;
    svcman_item(s, -1, "ecam");
    enum wg_error err =
        svcman_keep(s, svcman_asset(ROOTCALL_MMIO_CREATE, ecam.base, buses * 256ull, 0));
    snprintf(text, sizeof text, "%u", buses);
    svcman_item(s, -1, text);
    snprintf(text, sizeof text, "%llu", (unsigned long long)ecam.base);
    svcman_item(s, -1, text);
    return err;
}

/* Makes the assets of a non-PCI instance's grants, in the order the entry lists them. */
static enum wg_error acquire(struct svc_instance *s)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    enum wg_error err = WG_ERR_OK;
    for (int i = 0; i < e->grants_count && err == WG_ERR_OK; i++) {
        const struct svc_grant *g = &e->grants[i];
        if (g->kind == SVC_GRANT_IRQ)
            err = svcman_keep(s, svcman_asset(ROOTCALL_IRQ_CREATE, g->a, 0, 0));
        else if (g->kind == SVC_GRANT_PORTS)
            err = svcman_keep(s, svcman_asset(ROOTCALL_IOPORT_CREATE, g->a, g->b, 0));
        else if (g->kind == SVC_GRANT_ECAM)
            err = grant_ecam(s);
    }
    s->acquired = err == WG_ERR_OK;
    return err;
}

/* How many instances provide numbered `pattern` ("blk#"): for "$count:blk#" arguments. */
static int count_of(const char *pattern)
{
    int count = 0;
    for (int i = 0; i < svcman.count; i++) {
        const struct svc_entry *e = &svcman.config.entries[svcman.instances[i].entry];
        for (int p = 0; p < e->provides_count; p++)
            count += strcmp(e->provides[p], pattern) == 0;
    }
    return count;
}

/* The program's arguments (argv[0] the program) in `argv`, texts in `texts`; handles of
 * assets copied into `space`. */
static enum wg_error build_args(struct svc_instance *s, wg_handle space, const char **argv,
                                char (*texts)[SVC_ARG_MAX + 1], int *argc)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    int n = 0;
    argv[n++] = e->program;
    for (int i = 0; i < s->item_count; i++) {
        if (s->items[i].asset < 0) {
            argv[n++] = s->items[i].text;
            continue;
        }
        struct wg_result copied = wg_asset_copy(WG_SELF, s->assets[s->items[i].asset], space);
        if (!wg_ok(copied))
            return copied.err;
        snprintf(texts[n], SVC_ARG_MAX + 1, "%llu", (unsigned long long)copied.value);
        argv[n] = texts[n];
        n++;
    }
    for (int i = 0; i < e->argc; i++) {
        if (strcmp(e->args[i], "$arg") == 0 || strcmp(e->args[i], "$name") == 0) {
            argv[n] = e->args[i][1] == 'a' ? s->argument : s->name; /* on-demand instances */
        } else if (strncmp(e->args[i], "$count:", 7) == 0) {
            snprintf(texts[n], SVC_ARG_MAX + 1, "%d", count_of(e->args[i] + 7));
            argv[n] = texts[n];
        } else {
            argv[n] = e->args[i];
        }
        n++;
    }
    *argc = n;
    return WG_ERR_OK;
}

/* The CPUs of NUMA node `node` as a mask; 0 if it has none. */
static uint64_t node_cpus(int node)
{
    static struct wg_cpu_info info;
    uint64_t mask = 0;
    if (!wg_ok(wg_cpu_info(&info)))
        return 0;
    for (uint64_t cpu = 0; cpu < info.cpu_count && cpu < 64; cpu++)
        if (info.cpu_node[cpu] == (uint32_t)node)
            mask |= 1ull << cpu;
    return mask;
}

/* Priority and CPUs of the new, not yet started `task`. */
static enum wg_error place(const struct svc_entry *e, wg_handle task)
{
    enum wg_error err = WG_ERR_OK;
    if (e->priority > 0)
        err = wg_task_set_priority(WG_SELF, task, (uint32_t)e->priority).err;
    uint64_t mask = e->node >= 0 ? node_cpus(e->node) : e->cpu_mask;
    if (err == WG_ERR_OK && (mask != 0 || e->node >= 0))
        err = mask ? wg_task_set_affinity(WG_SELF, task, mask).err : WG_ERR_INVALID_ARGUMENT;
    return err;
}

/* Loads the program into `space` and starts it; the task handle in *task. */
static enum wg_error load(struct svc_instance *s, wg_handle space, wg_handle *task)
{
    static const char *argv[ARGS_MAX];
    static char texts[ARGS_MAX][SVC_ARG_MAX + 1];
    static char packed[WG_EXEC_ARG_MAX_SIZE];
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    struct wg_exec_args args = {0}; /* startup 0: no console connection */
    int argc;
    enum wg_error err = build_args(s, space, argv, texts, &argc);
    if (err == WG_ERR_OK)
        err = wg_pack_args(argc, argv, packed, &args);
    if (err != WG_ERR_OK)
        return err;
    struct wg_result loaded = wg_exec(space, e->program, strlen(e->program), &args);
    if (!wg_ok(loaded))
        return loaded.err;
    *task = loaded.value;
    err = place(e, *task);
    if (err == WG_ERR_OK)
        err = wg_task_start(WG_SELF, *task).err;
    if (err != WG_ERR_OK)
        wg_asset_release(WG_SELF, *task);
    return err;
}

enum wg_error svcman_start(struct svc_instance *s)
{
    const struct svc_entry *e = &svcman.config.entries[s->entry];
    enum wg_error err = s->acquired ? WG_ERR_OK : acquire(s);
    if (err != WG_ERR_OK)
        return err;
    struct wg_result space = wg_space_create(WG_SELF, e->space_flags);
    if (!wg_ok(space))
        return space.err;
    wg_handle task = 0;
    err = load(s, space.value, &task);
    if (err != WG_ERR_OK) {
        wg_space_destroy(WG_SELF, space.value);
        return err;
    }
    s->process = (struct wg_process){space.value, task};
    s->ended = false;
    return WG_ERR_OK;
}

void svcman_end(struct svc_instance *s)
{
    if (s->process.space)
        wg_process_destroy(&s->process);
    s->process = (struct wg_process){0};
    if (s->config) /* the device stops its DMA before anything is reused */
        s->config[1] = s->config[1] & 0xffff & ~CMD_MASTER;
}
