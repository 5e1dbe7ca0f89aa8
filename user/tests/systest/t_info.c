/* Introspection syscalls (SYSTEM_TASKS, CPU_INFO, ARCHIVE_LIST) and the driver syscalls,
 * which only the root space may use to create assets: seen from systest, a child space. */
#include "systest.h"

static const struct wg_task_info read_only_tasks[2] = {{.id = 0x5a5a}};

static void test_system_tasks(void)
{
    enum { MAX = 1024 };
    static struct wg_task_info tasks[MAX];
    struct wg_result all = wg_system_tasks(tasks, MAX);
    if (!CHECK_OK(all))
        return;
    bool found_us = false;
    for (uint64_t i = 0; i < all.value && i < MAX; i++) {
        CHECK(tasks[i].priority <= WG_PRIORITY_MAX && tasks[i].state <= 4,
              "task %llu: priority %u, state %u", (unsigned long long)tasks[i].id,
              tasks[i].priority, tasks[i].state);
        CHECK(tasks[i].name[sizeof tasks[i].name - 1] == '\0', "a task name is not terminated");
        if (strcmp(tasks[i].name, "systest") == 0 && tasks[i].state == 2)
            found_us = true;
    }
    CHECK(all.value >= 1 && all.value <= snapshot_take().tasks + 8, "%llu tasks listed",
          (unsigned long long)all.value);
    CHECK(found_us, "no running task named systest in the list");
    memset(tasks, 0x77, 2 * sizeof tasks[0]);
    struct wg_result one = wg_system_tasks(tasks, 1);
    CHECK(one.err == WG_ERR_OK && one.value == 1, "max 1 listed %llu",
          (unsigned long long)one.value);
    CHECK(tasks[1].id == 0x7777777777777777ull, "SYSTEM_TASKS wrote past max");
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_system_tasks(tasks, MAX + 1));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_system_tasks(tasks, UINT64_MAX));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_tasks((void *)KERNEL_POINTER, 4));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_tasks((void *)UNMAPPED_LOW, 4));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_tasks((void *)UNMAPPED_HIGH, 4));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_tasks((void *)(NONCANONICAL - 8), 4));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_tasks((void *)read_only_tasks, 2));
    CHECK(*(volatile uint64_t *)&read_only_tasks[0].id == 0x5a5a,
          "SYSTEM_TASKS wrote into read-only data");
}

static void test_cpu_info(void)
{
    static struct wg_cpu_info info;
    struct wg_system_info system;
    wg_system_info(&system);
    if (!CHECK_OK(wg_cpu_info(&info)))
        return;
    CHECK(info.cpu_count == system.cpus && info.node_count == system.nodes,
          "CPU_INFO says %llu cpus / %llu nodes, SYSTEM_INFO %llu / %llu",
          (unsigned long long)info.cpu_count, (unsigned long long)info.node_count,
          (unsigned long long)system.cpus, (unsigned long long)system.nodes);
    uint64_t total = 0, free_pages = 0;
    for (uint64_t n = 0; n < info.node_count && n < WG_MAX_NODES; n++) {
        CHECK(info.distance[n][n] == 10, "distance %llu -> itself is %u", (unsigned long long)n,
              info.distance[n][n]);
        total += info.node_total_pages[n];
        free_pages += info.node_free_pages[n];
    }
    for (uint64_t c = 0; c < info.cpu_count && c < WG_MAX_CPUS; c++)
        CHECK(info.cpu_node[c] < info.node_count, "cpu %llu on node %u", (unsigned long long)c,
              info.cpu_node[c]);
    CHECK(total > 0 && free_pages <= total && total <= system.total_pages + 4096,
          "node pages: %llu free of %llu (system: %llu)", (unsigned long long)free_pages,
          (unsigned long long)total, (unsigned long long)system.total_pages);
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_cpu_info((void *)KERNEL_POINTER));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_cpu_info((void *)UNMAPPED_LOW));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_cpu_info((void *)UNMAPPED_HIGH));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_cpu_info((void *)(NONCANONICAL - 64)));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_cpu_info((void *)(uintptr_t)test_cpu_info));
}

static void test_archive_list(void)
{
    static const char *const wanted[] = {"init", "hello", "probe", "faulter", "systest"};
    bool seen[5] = {false};
    char name[WG_EXEC_NAME_MAX + 1];
    uint64_t index = 0;
    for (; index < 256; index++) {
        memset(name, 0x55, sizeof name);
        struct wg_result r = wg_archive_list(name, sizeof name, index);
        if (r.err == WG_ERR_NOT_FOUND)
            break;
        if (!CHECK_OK(r))
            return;
        CHECK(r.value == strnlen(name, sizeof name) && r.value > 0,
              "entry %llu: length %llu for \"%.64s\"", (unsigned long long)index,
              (unsigned long long)r.value, name);
        for (int w = 0; w < 5; w++)
            seen[w] |= strcmp(name, wanted[w]) == 0;
    }
    for (int w = 0; w < 5; w++)
        CHECK(seen[w], "the archive list lacks %s", wanted[w]);
    CHECK_REFUSED(WG_ERR_NOT_FOUND, wg_archive_list(name, sizeof name, index));
    CHECK_REFUSED(WG_ERR_NOT_FOUND, wg_archive_list(name, sizeof name, UINT64_MAX));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_archive_list((char *)KERNEL_POINTER, 64, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_archive_list((char *)UNMAPPED_HIGH, 64, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_archive_list((char *)(NONCANONICAL - 2), 64, 0));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_archive_list((char *)wanted[0], 64, 0)); /* read-only */
    CHECK_OK(wg_archive_list(name, 1ull << 40, 0)); /* only the name's bytes are written */
}

/* A buffer too small for the name: OUT_OF_RANGE, with the value 0 as for every error (the
 * length needed could be told some other way). */
static void test_archive_list_small_buffer(void)
{
    char name[4] = "abc";
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_archive_list(name, 0, 0));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_archive_list(name, 1, 0));
    CHECK(strcmp(name, "abc") == 0, "a refused ARCHIVE_LIST wrote into the buffer");
}

/* Interrupts, I/O ports, device and DMA memory are the root space's to hand out. */
static void test_driver_syscalls_refused(void)
{
    wg_handle pmem = VALUE(wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE));
    wg_handle child = VALUE(wg_space_create(WG_SELF, 0));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_irq_create(WG_SELF, 4));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_irq_create(child, 4));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_ioport_create(WG_SELF, 0x80, 1));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_ioport_create(child, 0x3f8, 8));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_mmio_create(WG_SELF, 0xfee00000, 1));
    CHECK_REFUSED(WG_ERR_ACCESS_DENIED, wg_mmio_create(WG_SELF, 0, 1));
    CHECK_REFUSED(WG_ERR_WRONG_KIND, wg_irq_bind(WG_SELF, pmem, pmem));
    CHECK_REFUSED(WG_ERR_WRONG_KIND, wg_irq_ack(WG_SELF, pmem));
    CHECK_REFUSED(WG_ERR_WRONG_KIND, wg_ioport_enable(WG_SELF, pmem));
    CHECK_REFUSED(WG_ERR_WRONG_KIND, wg_ioport_enable(WG_SELF, child));
    CHECK_REFUSED(WG_ERR_BAD_HANDLE, wg_irq_bind(WG_SELF, 0, 0));
    CHECK_REFUSED(WG_ERR_BAD_HANDLE, wg_irq_ack(WG_SELF, RESERVED_BITS_HANDLE));
    CHECK_REFUSED(WG_ERR_BAD_HANDLE, wg_ioport_enable(WG_SELF, 0));
    CHECK_REFUSED(WG_ERR_BAD_HANDLE, wg_irq_ack(0x123456789abcdef0ull, pmem));
    CHECK_REFUSED(WG_ERR_WRONG_KIND, wg_ioport_enable(pmem, pmem));
    if (child)
        CHECK_OK(wg_space_destroy(WG_SELF, child));
    if (pmem)
        CHECK_OK(wg_asset_release(WG_SELF, pmem));
}

const struct test info_tests[] = {
    {"system_tasks", test_system_tasks, false},
    {"cpu_info", test_cpu_info, false},
    {"archive_list", test_archive_list, false},
    {"archive_list_small_buffer", test_archive_list_small_buffer, false},
    {"driver_syscalls_refused", test_driver_syscalls_refused, false},
    {NULL, NULL, false},
};
