/* Snapshots of the system's counts (snapshot.h). */
#include "test.h"

struct snapshot snapshot_take(void)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    return (struct snapshot){info.free_pages, info.assets, info.tasks};
}

static bool snapshot_matches(const struct snapshot *now, const struct snapshot *start,
                             enum snapshot_match match)
{
    if (match == SNAPSHOT_SAME)
        return now->free_pages == start->free_pages && now->assets == start->assets &&
               now->tasks == start->tasks;
    return now->assets <= start->assets && now->tasks <= start->tasks &&
           (match == SNAPSHOT_NO_MORE || now->free_pages >= start->free_pages);
}

bool snapshot_settle_at(const char *file, int line, const struct snapshot *start,
                        enum snapshot_match match, uint64_t timeout_ns, const char *what)
{
    uint64_t deadline = wg_clock().value + timeout_ns;
    struct snapshot now = snapshot_take();
    while (!snapshot_matches(&now, start, match) && wg_clock().value < deadline) {
        wg_sleep(10 * MS_NS);
        now = snapshot_take();
    }
    if (snapshot_matches(&now, start, match))
        return true;
    test_fail_at(file, line, "%s: free pages %llu -> %llu, assets %llu -> %llu, tasks %llu -> %llu",
                 what, (unsigned long long)start->free_pages, (unsigned long long)now.free_pages,
                 (unsigned long long)start->assets, (unsigned long long)now.assets,
                 (unsigned long long)start->tasks, (unsigned long long)now.tasks);
    return false;
}

void snapshot_wait_quiet(void)
{
    uint64_t deadline = wg_clock().value + 2 * SECOND_NS;
    struct snapshot last = snapshot_take();
    int still = 0;
    while (still < 5 && wg_clock().value < deadline) {
        wg_sleep(10 * MS_NS);
        struct snapshot now = snapshot_take();
        still = now.assets == last.assets && now.tasks == last.tasks ? still + 1 : 0;
        last = now;
    }
}
