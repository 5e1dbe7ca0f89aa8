/* Dependencies between services (docs/services.md#dependencies): which entry provides a name,
 * and which entries can never start (a need nobody provides, a cycle, or a need on such an
 * entry). Pure logic, host-tested with the parser. */
#pragma once

#include "config.h"

/* True if `entry` provides `name`: the same name, or "blk3" for a numbered "blk#". */
bool svc_deps_provides(const struct svc_entry *entry, const char *name);

/* The index of the entry that provides `name`, or -1. */
int svc_deps_provider(const struct svc_config *config, const char *name);

/* Sets blocked[i] for every entry that can never start, reporting each as
 * "FILE:LINE: service NAME: why"; returns how many. */
int svc_deps_check(const struct svc_config *config, const char *file, bool blocked[SVC_MAX],
                   svc_report report, void *context);
