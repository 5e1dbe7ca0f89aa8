/* ps, mem and cpus (see sysinfo.h). */
#include <wingos.h>
#include "args.h"
#include "sysinfo.h"
#include "term.h"

#define PS_TASKS_MAX 512
#define PS_DEPTH_MAX 32 /* deeper spaces are listed at this depth */
#define PAGE_KIB     4

struct space_node {
    uint64_t id, parent;
};

static const char *state_name(uint32_t state)
{
    static const char *const names[] = {"new", "ready", "running", "blocked", "dead", "stopped"};
    return state < sizeof names / sizeof names[0] ? names[state] : "?";
}

/* The distinct spaces of the tasks, with their parents; their count. */
static size_t collect_spaces(const struct wg_task_info *tasks, size_t count,
                             struct space_node *spaces)
{
    size_t found = 0;
    for (size_t t = 0; t < count; t++) {
        size_t s = 0;
        while (s < found && spaces[s].id != tasks[t].space)
            s++;
        if (s == found && tasks[t].space != 0)
            spaces[found++] = (struct space_node){tasks[t].space, tasks[t].parent_space};
    }
    return found;
}

static void print_tasks(const struct wg_task_info *tasks, size_t count, uint64_t space,
                        unsigned depth)
{
    for (size_t t = 0; t < count; t++)
        if (tasks[t].space == space)
            term_printf("%*stask %-4llu %-16.24s prio %-2u cpu %-2u %s\n", (int)depth * 2, "",
                        (unsigned long long)tasks[t].id, tasks[t].name, tasks[t].priority,
                        tasks[t].cpu, state_name(tasks[t].state));
}

struct ps_view {
    const struct wg_task_info *tasks;
    size_t task_count;
    const struct space_node *spaces;
    size_t space_count;
};

/* Prints space `index`, its tasks, then the spaces below it. */
static void print_space(const struct ps_view *view, size_t index, unsigned depth)
{
    const struct space_node *space = &view->spaces[index];
    term_printf("%*sspace %llu\n", (int)depth * 2, "", (unsigned long long)space->id);
    print_tasks(view->tasks, view->task_count, space->id, depth + 1);
    for (size_t s = 0; s < view->space_count; s++)
        if (view->spaces[s].parent == space->id && s != index)
            print_space(view, s, depth < PS_DEPTH_MAX ? depth + 1 : depth);
}

/* True if space `index` has no parent among the listed spaces: a root of the tree. */
static bool is_root(const struct ps_view *view, size_t index)
{
    for (size_t s = 0; s < view->space_count; s++)
        if (view->spaces[s].id == view->spaces[index].parent)
            return false;
    return true;
}

void sysinfo_ps(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    struct wg_task_info *tasks = malloc(PS_TASKS_MAX * sizeof *tasks);
    struct space_node *spaces = malloc(PS_TASKS_MAX * sizeof *spaces);
    struct wg_result listed = {WG_ERR_NO_MEMORY, 0};
    if (tasks && spaces)
        listed = wg_system_tasks(tasks, PS_TASKS_MAX);
    if (wg_ok(listed)) {
        struct ps_view view = {tasks, listed.value, spaces, 0};
        view.space_count = collect_spaces(tasks, view.task_count, spaces);
        term_puts("kernel\n");
        print_tasks(tasks, view.task_count, 0, 1);
        for (size_t s = 0; s < view.space_count; s++)
            if (is_root(&view, s))
                print_space(&view, s, 0);
    } else {
        term_printf("error: SYSTEM_TASKS: %s\n", wg_error_name(listed.err));
    }
    free(spaces);
    free(tasks);
}

static bool read_cpu_info(struct wg_cpu_info *info)
{
    struct wg_result got = wg_cpu_info(info);
    if (!wg_ok(got))
        term_printf("error: CPU_INFO: %s\n", wg_error_name(got.err));
    if (info->node_count > WG_MAX_NODES)
        info->node_count = WG_MAX_NODES;
    if (info->cpu_count > WG_MAX_CPUS)
        info->cpu_count = WG_MAX_CPUS;
    return wg_ok(got);
}

void sysinfo_mem(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    static struct wg_cpu_info info;
    if (!read_cpu_info(&info))
        return;
    uint64_t free_total = 0, all_total = 0;
    for (uint64_t n = 0; n < info.node_count; n++) {
        term_printf("node %llu: %llu KiB free of %llu KiB\n", (unsigned long long)n,
                    (unsigned long long)(info.node_free_pages[n] * PAGE_KIB),
                    (unsigned long long)(info.node_total_pages[n] * PAGE_KIB));
        free_total += info.node_free_pages[n];
        all_total += info.node_total_pages[n];
    }
    term_printf("total: %llu KiB free of %llu KiB\n", (unsigned long long)(free_total * PAGE_KIB),
                (unsigned long long)(all_total * PAGE_KIB));
}

static void print_distances(const struct wg_cpu_info *info)
{
    term_puts("distances:\n       ");
    for (uint64_t to = 0; to < info->node_count; to++)
        term_printf(" node %-2llu", (unsigned long long)to);
    term_puts("\n");
    for (uint64_t from = 0; from < info->node_count; from++) {
        term_printf("node %-2llu", (unsigned long long)from);
        for (uint64_t to = 0; to < info->node_count; to++)
            term_printf(" %7u", info->distance[from][to]);
        term_puts("\n");
    }
}

void sysinfo_cpus(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    static struct wg_cpu_info info;
    if (!read_cpu_info(&info))
        return;
    term_printf("%llu CPUs in %llu NUMA node%s\n", (unsigned long long)info.cpu_count,
                (unsigned long long)info.node_count, info.node_count == 1 ? "" : "s");
    for (uint64_t n = 0; n < info.node_count; n++) {
        term_printf("node %llu:", (unsigned long long)n);
        for (uint64_t c = 0; c < info.cpu_count; c++)
            if (info.cpu_node[c] == n)
                term_printf(" cpu %llu (APIC %u)", (unsigned long long)c, info.apic_id[c]);
        term_puts("\n");
    }
    print_distances(&info);
}
