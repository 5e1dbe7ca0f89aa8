/* Helpers shared by in-kernel tests. */
#include "kernel/test/ktest_util.h"
#include "kernel/cmdline.h"
#include "kernel/mm/memory.h"
#include "kernel/sched/sched.h"
#include "kernel/test/ktest.h"

static const char *test_cmdline = "";

void ktest_set_cmdline(const char *cmdline)
{
    test_cmdline = cmdline;
}

struct task *ktest_spawn_held(const char *name, void (*entry)(void *), void *arg, unsigned priority,
                              cpu_mask_t affinity)
{
    struct task_params params = {name, entry, arg, (uint8_t)priority, affinity};
    struct task_result result = task_create(&params);
    KEXPECT(result.err == WG_ERR_OK);
    return result.err == WG_ERR_OK ? result.task : NULL;
}

struct task *ktest_spawn(const char *name, void (*entry)(void *), void *arg, unsigned priority,
                         cpu_mask_t affinity)
{
    struct task *task = ktest_spawn_held(name, entry, arg, priority, affinity);
    if (task)
        task_start(task);
    return task;
}

enum wg_error ktest_join(struct task *task)
{
    if (!task)
        return WG_ERR_INVALID_ARGUMENT;
    enum wg_error err = task_join(task, 10000000000ULL, NULL);
    if (err == WG_ERR_OK)
        task_put(task);
    return err;
}

bool ktest_cmdline_numbers(const char *key, unsigned *out, unsigned count)
{
    char value[64];
    if (!cmdline_get(test_cmdline, key, value, sizeof(value)))
        return false;
    const char *p = value;
    for (unsigned i = 0; i < count; i++) {
        unsigned n = 0;
        while (*p >= '0' && *p <= '9')
            n = n * 10 + (unsigned)(*p++ - '0');
        out[i] = n;
        if (*p == ',')
            p++;
    }
    return true;
}

uint64_t ktest_node_managed_pages(unsigned node)
{
    const struct pmm *pmm = memory_pmm();
    uint64_t pages = 0;
    for (size_t i = 0; i < pmm->zone_count; i++)
        if (pmm->zones[i].node == (int)node)
            pages += pmm->zones[i].page_count;
    return pages;
}

bool ktest_settle(uint64_t free_pages, uint64_t tasks)
{
    for (int i = 0; i < 1000; i++) {
        task_reap();
        if (memory_free_page_count() == free_pages && task_count() == tasks)
            return true;
        sleep_ns(1000000);
    }
    return false;
}

void ktest_quiesce(void)
{
    uint64_t pages = 0, tasks = 0;
    for (int i = 0; i < 200; i++) {
        task_reap();
        if (i > 0 && memory_free_page_count() == pages && task_count() == tasks)
            return;
        pages = memory_free_page_count();
        tasks = task_count();
        sleep_ns(5000000);
    }
}
