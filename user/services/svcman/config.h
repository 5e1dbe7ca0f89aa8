/* The service manager's configuration (docs/services.md#the-configuration): a text file of
 * `service NAME` entries, each followed by `KEY VALUE...` lines. Pure logic, host-tested
 * (tests/host/test_svc_config.c) and fuzzed (tests/fuzz/fuzz_svc_config.c). Mistakes are
 * reported as "FILE:LINE: message"; an entry with a mistake is left out, the others stay. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SVC_MAX          32  /* entries in one configuration */
#define SVC_NAME_MAX     31  /* bytes of a service, program or IPC name */
#define SVC_ARGS_MAX     8   /* arguments after the program */
#define SVC_ARG_MAX      63  /* bytes of one argument */
#define SVC_PROVIDES_MAX 4   /* names one service registers */
#define SVC_NEEDS_MAX    8   /* names it waits for */
#define SVC_GRANTS_MAX   6   /* driver resources */
#define SVC_LINE_MAX     255 /* bytes of a line, newline excluded */
#define SVC_MESSAGE_MAX  160 /* bytes of a report, NUL included */

enum svc_restart {
    SVC_RESTART_ALWAYS,     /* whenever it ends */
    SVC_RESTART_ON_FAILURE, /* unless it exits with status 0 */
    SVC_RESTART_NEVER,
};

enum svc_grant_kind {
    SVC_GRANT_IRQ,       /* `irq N`: an ISA interrupt line (a = line) */
    SVC_GRANT_PORTS,     /* `ports FIRST-LAST`: I/O ports (a = first, b = count) */
    SVC_GRANT_PCI_ID,    /* `pci VVVV:DDDD`: one instance per function (a = vendor, b = device) */
    SVC_GRANT_PCI_CLASS, /* `pci class CC:SS:PP` (a = class, b = subclass, c = prog-if) */
    SVC_GRANT_ECAM,      /* `ecam`: PCI configuration space (the PCI service) */
};

struct svc_grant {
    enum svc_grant_kind kind;
    uint32_t a, b, c;
};

/* Space grants (`space klog introspect power`): the WG_SPACE_* bits. */
#define SVC_SPACE_INTROSPECT 2u
#define SVC_SPACE_POWER      4u
#define SVC_SPACE_KLOG       8u

struct svc_entry {
    char name[SVC_NAME_MAX + 1];
    char program[SVC_NAME_MAX + 1];
    char args[SVC_ARGS_MAX][SVC_ARG_MAX + 1];
    int argc; /* arguments after the program */
    /* A provided name ending in '#' is numbered: instance i of a PCI service registers the
     * name with i (shared by every service providing the same pattern, in PCI order). */
    char provides[SVC_PROVIDES_MAX][SVC_NAME_MAX + 1];
    int provides_count;
    char needs[SVC_NEEDS_MAX][SVC_NAME_MAX + 1];
    int needs_count;
    struct svc_grant grants[SVC_GRANTS_MAX];
    int grants_count;
    uint32_t space_flags; /* SVC_SPACE_* */
    int priority;         /* 1..31; -1: the default */
    uint64_t cpu_mask;    /* 0: any CPU */
    int node;             /* -1: any NUMA node */
    enum svc_restart restart;
    uint32_t limit_count;     /* at most this many restarts ... */
    uint32_t limit_window_ms; /* ... within this window, else stopped and reported */
    uint32_t backoff_min_ms;  /* first restart delay; doubles each time ... */
    uint32_t backoff_max_ms;  /* ... up to this */
    uint32_t heartbeat_ms;    /* 0: none; else pinged this often, restarted after 3 misses */
    /* `on-demand`: no instance at boot; ServiceManager.instance(NAME, ARG) makes NAME-ARG,
     * which provides NAME-ARG, needs ARG, and gets ARG and NAME-ARG for `$arg`/`$name`. */
    bool on_demand;
    int line; /* where its `service` line is */
};

struct svc_config {
    struct svc_entry entries[SVC_MAX];
    int count;  /* entries without mistakes */
    int errors; /* mistakes reported */
};

/* Called once per mistake with "FILE:LINE: message" (NUL-terminated). */
typedef void (*svc_report)(void *context, const char *message);

/* Parses `length` bytes of `text` (need not be NUL-terminated) into `out`. Never fails as a
 * whole: each mistake is reported and its entry left out. */
void svc_config_parse(const char *file, const char *text, size_t length, struct svc_config *out,
                      svc_report report, void *context);

/* The entry named `name`, or NULL. */
const struct svc_entry *svc_config_find(const struct svc_config *config, const char *name);
