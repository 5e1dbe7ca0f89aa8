/* The CPU tree (machine -> NUMA node -> CPU) and the placement decisions that walk it.
 *
 * Pure logic over a snapshot of per-CPU loads, so it is unit-tested on the host with
 * synthetic trees. The scheduler calls it with its own locking. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CPU_TREE_MAX_CPUS  64
#define CPU_TREE_MAX_NODES 8

typedef uint64_t cpu_mask_t; /* bit n = CPU n */

struct cpu_tree {
    unsigned cpu_count;
    unsigned node_count;
    uint8_t cpu_node[CPU_TREE_MAX_CPUS];
    uint8_t distance[CPU_TREE_MAX_NODES][CPU_TREE_MAX_NODES]; /* SLIT-style, 10 = local */
};

/* Checks and completes a tree: every CPU's node < node_count, distances sane (a missing or
 * inconsistent matrix is replaced by 10 local / 20 remote). Returns false if the counts are
 * out of range (then the tree is reset to one CPU on one node). */
bool cpu_tree_validate(struct cpu_tree *tree);

/* CPUs that belong to `node`. */
cpu_mask_t cpu_tree_node_mask(const struct cpu_tree *tree, unsigned node);

/* Nodes ordered by distance from `node` (itself first, ties by index); returns the count,
 * 0 when `node` does not exist. */
unsigned cpu_tree_node_order(const struct cpu_tree *tree, unsigned node,
                             uint8_t order[CPU_TREE_MAX_NODES]);

/* Where a new or woken task goes: among the CPUs of `allowed` that exist, the least loaded;
 * ties prefer `last_cpu`, then a CPU on last_cpu's node, then the nearest node, then the
 * lowest index. A `last_cpu` that is negative or >= cpu_count means none: ties then go to
 * the lowest index. Returns -1 if no allowed CPU exists. */
int cpu_tree_select(const struct cpu_tree *tree, const unsigned load[CPU_TREE_MAX_CPUS],
                    cpu_mask_t allowed, int last_cpu);

/* Which CPU an idle `thief` should steal from: the one with the most waiting work
 * (waiting[cpu] = runnable tasks not currently running), looking first on the thief's node,
 * then node by node in distance order; only CPUs with waiting[cpu] > 0 qualify. Returns -1
 * if there is nothing to steal. */
int cpu_tree_steal_victim(const struct cpu_tree *tree, const unsigned waiting[CPU_TREE_MAX_CPUS],
                          unsigned thief);
