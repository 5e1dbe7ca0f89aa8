/* Placement decisions over the CPU tree (machine -> NUMA node -> CPU): validating a tree
 * from firmware, ordering nodes by distance, choosing a CPU for a waking task and a victim
 * for an idle CPU to steal from.
 *
 * Pure logic over snapshots the scheduler passes in; no locks are taken here. The functions
 * stay memory-safe on an unvalidated tree (counts are clamped, a bad node id reads as 0), but
 * only a validated tree gives meaningful answers. */
#include "kernel/cpu_tree.h"

#define DISTANCE_LOCAL  10
#define DISTANCE_REMOTE 20

static unsigned tree_cpus(const struct cpu_tree *tree)
{
    return tree->cpu_count < CPU_TREE_MAX_CPUS ? tree->cpu_count : CPU_TREE_MAX_CPUS;
}

static unsigned tree_nodes(const struct cpu_tree *tree)
{
    return tree->node_count < CPU_TREE_MAX_NODES ? tree->node_count : CPU_TREE_MAX_NODES;
}

/* The node of an existing CPU; an out-of-range node id counts as node 0, as validation
 * would make it. */
static unsigned node_of(const struct cpu_tree *tree, unsigned cpu)
{
    unsigned node = tree->cpu_node[cpu];
    return node < tree_nodes(tree) ? node : 0;
}

/* Every CPU that exists. */
static cpu_mask_t existing_cpus(const struct cpu_tree *tree)
{
    unsigned cpus = tree_cpus(tree);
    return cpus >= 64 ? ~(cpu_mask_t)0 : ((cpu_mask_t)1 << cpus) - 1;
}

/* Pops the lowest CPU out of a non-empty mask. */
static unsigned take_lowest(cpu_mask_t *mask)
{
    unsigned cpu = (unsigned)__builtin_ctzll(*mask);
    *mask &= *mask - 1;
    return cpu;
}

static void default_distances(struct cpu_tree *tree)
{
    for (unsigned i = 0; i < CPU_TREE_MAX_NODES; i++)
        for (unsigned j = 0; j < CPU_TREE_MAX_NODES; j++)
            tree->distance[i][j] = i == j ? DISTANCE_LOCAL : DISTANCE_REMOTE;
}

/* Local distance exactly 10, every remote one above it; asymmetry is allowed (ACPI SLIT
 * permits it). */
static bool distances_sane(const struct cpu_tree *tree)
{
    for (unsigned i = 0; i < tree->node_count; i++) {
        for (unsigned j = 0; j < tree->node_count; j++) {
            uint8_t d = tree->distance[i][j];
            if (i == j ? d != DISTANCE_LOCAL : d <= DISTANCE_LOCAL)
                return false;
        }
    }
    return true;
}

bool cpu_tree_validate(struct cpu_tree *tree)
{
    if (tree->cpu_count < 1 || tree->cpu_count > CPU_TREE_MAX_CPUS || tree->node_count < 1 ||
        tree->node_count > CPU_TREE_MAX_NODES) {
        tree->cpu_count = 1;
        tree->node_count = 1;
        for (unsigned cpu = 0; cpu < CPU_TREE_MAX_CPUS; cpu++)
            tree->cpu_node[cpu] = 0;
        default_distances(tree);
        return false;
    }
    for (unsigned cpu = 0; cpu < tree->cpu_count; cpu++)
        if (tree->cpu_node[cpu] >= tree->node_count)
            tree->cpu_node[cpu] = 0;
    if (!distances_sane(tree))
        default_distances(tree);
    return true;
}

cpu_mask_t cpu_tree_node_mask(const struct cpu_tree *tree, unsigned node)
{
    cpu_mask_t mask = 0;
    if (node >= tree_nodes(tree))
        return 0;
    for (unsigned cpu = 0; cpu < tree_cpus(tree); cpu++)
        if (node_of(tree, cpu) == node)
            mask |= (cpu_mask_t)1 << cpu;
    return mask;
}

unsigned cpu_tree_node_order(const struct cpu_tree *tree, unsigned node,
                             uint8_t order[CPU_TREE_MAX_NODES])
{
    unsigned nodes = tree_nodes(tree);
    if (node >= nodes)
        return 0;
    const uint8_t *from = tree->distance[node];
    unsigned count = 0;
    order[count++] = (uint8_t)node;
    /* Insertion sort of the others after order[0]; visiting them in index order and moving
     * only past strictly farther nodes keeps equal distances in index order. */
    for (unsigned other = 0; other < nodes; other++) {
        if (other == node)
            continue;
        unsigned i = count++;
        while (i > 1 && from[order[i - 1]] > from[other]) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = (uint8_t)other;
    }
    return count;
}

/* The CPUs of `mask` that share its lowest load. */
static cpu_mask_t least_loaded(const unsigned load[CPU_TREE_MAX_CPUS], cpu_mask_t mask)
{
    cpu_mask_t best = 0;
    unsigned best_load = 0;
    while (mask != 0) {
        unsigned cpu = take_lowest(&mask);
        if (best == 0 || load[cpu] < best_load) {
            best = 0;
            best_load = load[cpu];
        }
        if (load[cpu] == best_load)
            best |= (cpu_mask_t)1 << cpu;
    }
    return best;
}

/* The lowest CPU of `cands` on the node nearest `node` (itself first). */
static int nearest_candidate(const struct cpu_tree *tree, cpu_mask_t cands, unsigned node)
{
    uint8_t order[CPU_TREE_MAX_NODES];
    unsigned count = cpu_tree_node_order(tree, node, order);
    for (unsigned i = 0; i < count; i++) {
        cpu_mask_t here = cands & cpu_tree_node_mask(tree, order[i]);
        if (here != 0)
            return (int)take_lowest(&here);
    }
    return (int)take_lowest(&cands); /* not reached: every CPU is on some node */
}

int cpu_tree_select(const struct cpu_tree *tree, const unsigned load[CPU_TREE_MAX_CPUS],
                    cpu_mask_t allowed, int last_cpu)
{
    cpu_mask_t cands = least_loaded(load, allowed & existing_cpus(tree));
    if (cands == 0)
        return -1;
    if (last_cpu < 0 || (unsigned)last_cpu >= tree_cpus(tree))
        return (int)take_lowest(&cands);
    if (cands & ((cpu_mask_t)1 << last_cpu))
        return last_cpu;
    return nearest_candidate(tree, cands, node_of(tree, (unsigned)last_cpu));
}

/* The CPU of a non-empty `mask` with the most waiting work, the lowest index on ties. */
static int busiest(const unsigned waiting[CPU_TREE_MAX_CPUS], cpu_mask_t mask)
{
    unsigned best = take_lowest(&mask);
    while (mask != 0) {
        unsigned cpu = take_lowest(&mask);
        if (waiting[cpu] > waiting[best])
            best = cpu;
    }
    return (int)best;
}

int cpu_tree_steal_victim(const struct cpu_tree *tree, const unsigned waiting[CPU_TREE_MAX_CPUS],
                          unsigned thief)
{
    unsigned cpus = tree_cpus(tree);
    if (thief >= cpus)
        return -1;
    cpu_mask_t cands = 0;
    for (unsigned cpu = 0; cpu < cpus; cpu++)
        if (cpu != thief && waiting[cpu] > 0)
            cands |= (cpu_mask_t)1 << cpu;
    if (cands == 0)
        return -1;
    uint8_t order[CPU_TREE_MAX_NODES];
    unsigned count = cpu_tree_node_order(tree, node_of(tree, thief), order);
    for (unsigned i = 0; i < count; i++) {
        cpu_mask_t here = cands & cpu_tree_node_mask(tree, order[i]);
        if (here != 0)
            return busiest(waiting, here);
    }
    return busiest(waiting, cands); /* not reached: every CPU is on some node */
}
