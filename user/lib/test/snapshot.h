/* Snapshots of the system's counts (free pages, live assets, tasks; from SYSTEM_INFO), for
 * checking that a test gave back everything it took. */
#pragma once

#include <wingos.h>

struct snapshot {
    uint64_t free_pages, assets, tasks;
};

/* How a later snapshot must compare with the one taken at the start. */
enum snapshot_match {
    /* No more assets or tasks (fewer is fine: other programs may free things meanwhile);
     * free pages are not compared (heaps and page tables may grow and stay). */
    SNAPSHOT_NO_MORE,
    /* SNAPSHOT_NO_MORE, and no fewer free pages. */
    SNAPSHOT_NO_MORE_PAGES,
    /* All three exactly as they were (nothing else may run meanwhile). */
    SNAPSHOT_SAME,
};

struct snapshot snapshot_take(void);
/* Polls every 10 ms for up to `timeout_ns` until the counts match `start` as `match` says;
 * records a failure naming `what` (and the counts) if they never do. */
bool snapshot_settle_at(const char *file, int line, const struct snapshot *start,
                        enum snapshot_match match, uint64_t timeout_ns, const char *what);
#define SNAPSHOT_SETTLE(start, match, what) \
    snapshot_settle_at(__FILE__, __LINE__, (start), (match), 2 * SECOND_NS, (what))

/* Waits (up to 2 s) until assets and tasks hold still for 50 ms: a suite's start, while the
 * programs that started it may still be settling. */
void snapshot_wait_quiet(void);
