/* The service manager (docs/services.md): started by init, it reads the configuration, starts
 * each service once the names it needs are registered, grants it its driver assets, notices
 * its end, takes the device back and restarts it by its policy. This header is what its
 * files share. */
#pragma once

#include <wingos.h>
#include <svc_idl.h>
#include "config.h"
#include "user/lib/pci.h"

#define SVCMAN_NAME       "svcman"
#define SVCMAN_MAX        32 /* running instances (a PCI entry has one per device) */
#define SVCMAN_ASSETS_MAX 10 /* assets granted to one instance */
#define SVCMAN_ITEMS_MAX  16 /* its arguments after the program */
#define MS_NS             1000000ull

/* One service as it runs: an entry, or one device's instance of a PCI entry. */
struct svc_instance {
    int entry;                   /* index in the configuration */
    char name[SVC_NAME_MAX + 1]; /* the entry's name, + the number for a PCI instance */
    char provides[SVC_PROVIDES_MAX][SVC_NAME_MAX + 1]; /* '#' replaced by the number */
    int provides_count;
    char argument[SVC_NAME_MAX + 1];      /* an on-demand instance's: `$arg`, and its need */
    uint64_t addresses[SVC_PROVIDES_MAX]; /* registered under them when last seen */
    uint8_t state;                        /* SVC_STATE_* */
    struct wg_process process;
    uint64_t started_ns, restart_ns;
    uint32_t restarts, window_count, backoff_ms, missed_beats;
    uint64_t window_ns, beat_ns;
    int64_t last_status;
    bool ended;
    /* Held by the manager for the instance's whole life, copied into each new space, so a
     * restart reuses them and the device never writes into freed memory. */
    wg_handle assets[SVCMAN_ASSETS_MAX];
    int asset_count;
    /* Its arguments after the program: a literal, or (asset >= 0) that asset's handle in
     * the new space. Made once, with the assets. */
    struct {
        int asset;
        char text[SVC_ARG_MAX + 1];
    } items[SVCMAN_ITEMS_MAX];
    int item_count;
    bool acquired;             /* assets and items made */
    bool pci;                  /* a PCI driver: arguments are its device's assets */
    struct pci_device device;  /* its device */
    volatile uint32_t *config; /* the device's configuration page, mapped here */
    wg_handle config_map;
};

struct svcman {
    struct svc_config config;
    bool blocked[SVC_MAX];
    bool enumerated[SVC_MAX]; /* PCI entries: instances made */
    struct svc_instance instances[SVCMAN_MAX];
    int count;
    wg_handle broker;    /* init's root-call server: driver assets */
    const char *exit_on; /* test mode: end when this service ends */
};

extern struct svcman svcman;

/* start.c: gives the instance its assets and starts it; OK or why not (then it stays down). */
enum wg_error svcman_start(struct svc_instance *s);
/* Ends it if it runs (destroys its space), turns its device's bus mastering off. */
void svcman_end(struct svc_instance *s);
/* Appends an argument (asset -1: `text` alone; else the asset's handle); false when full. */
bool svcman_item(struct svc_instance *s, int asset, const char *text);
/* Keeps `made` (an asset of ours) as the instance's next asset and appends it as an
 * argument; its error otherwise (the asset is released if it cannot be kept). */
enum wg_error svcman_keep(struct svc_instance *s, struct wg_result made);
/* Asks init for a driver asset (user/lib/test/rootcall.h); value = its handle here. */
struct wg_result svcman_asset(int op, uint64_t a, uint64_t b, uint64_t c);

/* pci.c: makes the instances of every PCI entry whose devices are listed now; false while
 * the PCI service is not registered. */
bool svcman_enumerate(void);

/* supervise.c: one round: starts what is ready, notices ends, applies policies. */
void svcman_supervise(void);
/* Adds an instance of entry `entry` (non-PCI); NULL if the table is full. */
struct svc_instance *svcman_add(int entry);
/* ServiceManager.instance: the instance of on-demand entry `entry` for `argument`, made or
 * started again (svcman.h's on_demand); its name in `name`. */
enum wg_error svcman_instance(const char *entry, const char *argument, char *name);
/* The instance named `name` (its own name or a name it provides), or NULL. */
struct svc_instance *svcman_find(const char *name);
/* Acts for `svc start|stop|restart|kill`. */
enum wg_error svcman_control(struct svc_instance *s, uint8_t action);
/* Whether every instance has ended for good (used by the test mode). */
bool svcman_all_down(void);

/* control.c: the "svcman" server: list and control. */
void svcman_serve_start(void);
void svcman_serve_poll(void);
