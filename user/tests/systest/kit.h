/* The kit for handle tests: every syscall that takes a space or an asset handle, callable
 * with any handle in that place and valid arguments elsewhere, and a set of valid assets of
 * each kind to fill the places not under test. */
#pragma once

#include "systest.h"

enum kit_call {
    KIT_SPACE_CREATE,
    KIT_SPACE_DESTROY,
    KIT_ASSET_LIST,
    KIT_ASSET_INFO,
    KIT_ASSET_RELEASE,
    KIT_ASSET_MOVE,
    KIT_ASSET_COPY,
    KIT_COPY_TO, /* ASSET_COPY's destination space */
    KIT_PMEM_CREATE,
    KIT_PMEM_PHYS_ADDR,
    KIT_VMEM_MAP,
    KIT_TASK_CREATE,
    KIT_TASK_START,
    KIT_TASK_WAIT,
    KIT_TASK_KILL,
    KIT_TASK_SET_PRIORITY,
    KIT_TASK_SET_AFFINITY,
    KIT_EXEC,
    KIT_COUNT
};

/* Each call's name, and the kind its asset handle must be (WG_ASSET_NONE: any), or -1 if it
 * takes no asset handle. */
struct kit_call_info {
    const char *name;
    int kind;
};
extern const struct kit_call_info kit_calls[KIT_COUNT];

/* Valid assets of every kind, in our space, for the arguments that are not under test. */
struct kit {
    wg_handle space, pmem, vmem;
    struct thread thread;
};

/* Makes the assets (false, with a failure recorded, if one could not be made). */
bool kit_create(struct kit *kit);
/* Kills the thread and releases the rest. */
void kit_destroy(struct kit *kit);
/* A handle of the right kind for `call`'s asset argument. */
wg_handle kit_handle(const struct kit *kit, enum kit_call call);

/* Issues `call` with `space` as its space argument (the destination for KIT_COPY_TO) and
 * `handle` as its asset handle (the copied handle for KIT_COPY_TO); all else valid. */
struct wg_result kit_issue(enum kit_call call, wg_handle space, wg_handle handle);
/* kit_issue, then a failure naming `why` unless it answered `want` (with the value 0). */
void kit_expect(enum kit_call call, wg_handle space, wg_handle handle, enum wg_error want,
                const char *why);
