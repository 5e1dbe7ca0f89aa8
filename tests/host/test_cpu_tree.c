/* Host tests for kernel/cpu_tree.c on synthetic machines: one CPU, a QEMU-like 4 CPUs
 * on 2 nodes, and 8 CPUs on a ring of 4 nodes with non-uniform distances. Covers placement,
 * stealing, validation, node order and masks, plus random trees checked against a brute-force
 * reference. */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include "kernel/cpu_tree.h"

#define ALL_CPUS (~(cpu_mask_t)0)
#define BIT(n)   ((cpu_mask_t)1 << (n))

/* A tree of `cpus` CPUs, CPU i on node_of[i], with distances 10 local / `remote` elsewhere. */
static struct cpu_tree make_tree(unsigned cpus, unsigned nodes, const uint8_t *node_of,
                                 uint8_t remote)
{
    struct cpu_tree tree;
    memset(&tree, 0, sizeof(tree));
    tree.cpu_count = cpus;
    tree.node_count = nodes;
    for (unsigned i = 0; i < cpus; i++)
        tree.cpu_node[i] = node_of ? node_of[i] : 0;
    for (unsigned i = 0; i < CPU_TREE_MAX_NODES; i++)
        for (unsigned j = 0; j < CPU_TREE_MAX_NODES; j++)
            tree.distance[i][j] = i == j ? 10 : remote;
    return tree;
}

/* QEMU's usual NUMA setup: CPUs 0,1 on node 0 and 2,3 on node 1, distances 10/20. */
static struct cpu_tree qemu_tree(void)
{
    static const uint8_t nodes[] = {0, 0, 1, 1};
    return make_tree(4, 2, nodes, 20);
}

/* 8 CPUs, two per node, on a ring of 4 nodes 0-1-2-3-0: 10 local, 16 neighbour, 22 across. */
static struct cpu_tree ring_tree(void)
{
    static const uint8_t nodes[] = {0, 0, 1, 1, 2, 2, 3, 3};
    struct cpu_tree tree = make_tree(8, 4, nodes, 20);
    static const uint8_t by_hops[] = {10, 16, 22, 16};
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 4; j++)
            tree.distance[i][j] = by_hops[(j + 4 - i) % 4];
    return tree;
}

TEST(one_cpu_machine)
{
    struct cpu_tree tree = make_tree(1, 1, NULL, 20);
    unsigned load[CPU_TREE_MAX_CPUS] = {7};
    unsigned waiting[CPU_TREE_MAX_CPUS] = {3};
    uint8_t order[CPU_TREE_MAX_NODES];
    CHECK(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, -1), 0);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 0), 0);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0), 5), 0);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(1), 0), -1);
    CHECK_EQ(cpu_tree_select(&tree, load, 0, 0), -1);
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 0), -1); /* never itself */
    CHECK_EQ(cpu_tree_node_order(&tree, 0, order), 1u);
    CHECK_EQ(order[0], 0);
    CHECK_EQ(cpu_tree_node_mask(&tree, 0), BIT(0));
    CHECK_EQ(cpu_tree_node_mask(&tree, 1), 0u);
}

TEST(select_equal_loads_prefers_last_then_its_node)
{
    struct cpu_tree tree = qemu_tree();
    unsigned load[CPU_TREE_MAX_CPUS] = {0};
    REQUIRE(cpu_tree_validate(&tree));
    for (int last = 0; last < 4; last++)
        CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, last), last);
    /* last not allowed: the other CPU of its node, even though it has a higher index. */
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS & ~BIT(2), 2), 3);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(3), 2), 3);
    /* last's node all disallowed: the other node, lowest index there. */
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(1), 3), 0);
    /* last busier than its neighbour: the neighbour, not a remote idle CPU of lower index. */
    load[2] = 1;
    load[1] = 1;
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 2), 3);
}

TEST(select_walks_nodes_nearest_first)
{
    struct cpu_tree tree = ring_tree();
    unsigned load[CPU_TREE_MAX_CPUS] = {0};
    REQUIRE(cpu_tree_validate(&tree));
    /* From node 0, nodes 1 and 3 are both 16 away: node 1 wins the tie by index. */
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS & ~0x03u, 0), 2);
    /* Node 1 excluded too: node 3 (16) beats node 2 (22) despite higher CPU numbers. */
    CHECK_EQ(cpu_tree_select(&tree, load, 0x30u | 0xC0u, 1), 6);
    CHECK_EQ(cpu_tree_select(&tree, load, 0x30u, 1), 4);
    /* From node 2 (CPU 5): nodes 1 and 3 at 16, node 0 at 22. */
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(1) | BIT(6) | BIT(7), 5), 6);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(7), 5), 7);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(1), 5), 0);
}

TEST(select_lowest_load_beats_locality)
{
    struct cpu_tree tree = ring_tree();
    unsigned load[CPU_TREE_MAX_CPUS] = {5, 5, 5, 5, 5, 5, 5, 1};
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 0), 7);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, -1), 7);
    load[4] = 1;
    /* 4 and 7 tie at load 1; from CPU 0 node 3 (16) is nearer than node 2 (22). */
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 0), 7);
    /* From CPU 5 (node 2) CPU 4 is on the same node. */
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 5), 4);
    /* Not allowed, so the lowest load doesn't count. */
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS & ~(BIT(4) | BIT(7)), 0), 0);
}

TEST(select_invalid_last_cpu_means_lowest_index)
{
    struct cpu_tree tree = ring_tree();
    unsigned load[CPU_TREE_MAX_CPUS] = {3, 3, 2, 2, 2, 2, 2, 2};
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, -1), 2);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, -100), 2);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 8), 2);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 63), 2);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS & ~BIT(2), 8), 3);
}

TEST(select_respects_affinity)
{
    struct cpu_tree tree = qemu_tree();
    unsigned load[CPU_TREE_MAX_CPUS] = {4, 3, 2, 1};
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0), 3), 0);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(1), 3), 1);
    /* Bits for CPUs that do not exist are ignored, even where load[] says 0. */
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(0) | BIT(4) | BIT(63), 3), 0);
    CHECK_EQ(cpu_tree_select(&tree, load, BIT(4) | BIT(40) | BIT(63), 3), -1);
    CHECK_EQ(cpu_tree_select(&tree, load, 0, 3), -1);
    CHECK_EQ(cpu_tree_select(&tree, load, 0, -1), -1);
}

TEST(select_on_a_full_64_cpu_machine)
{
    uint8_t nodes[CPU_TREE_MAX_CPUS];
    for (unsigned i = 0; i < CPU_TREE_MAX_CPUS; i++)
        nodes[i] = (uint8_t)(i / 8);
    struct cpu_tree tree = make_tree(64, 8, nodes, 20);
    unsigned load[CPU_TREE_MAX_CPUS];
    for (unsigned i = 0; i < CPU_TREE_MAX_CPUS; i++)
        load[i] = 9;
    REQUIRE(cpu_tree_validate(&tree));
    load[63] = 1;
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 0), 63);
    load[63] = 9;
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS, 63), 63);
    CHECK_EQ(cpu_tree_select(&tree, load, ALL_CPUS & ~BIT(63), 63), 56);
    CHECK_EQ(cpu_tree_node_mask(&tree, 7), 0xFF00000000000000u);
}

TEST(steal_prefers_own_node_then_nearest)
{
    struct cpu_tree tree = qemu_tree();
    unsigned waiting[CPU_TREE_MAX_CPUS] = {0, 1, 3, 5};
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 0), 1); /* same node beats more work */
    waiting[1] = 0;
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 0), 3); /* most waiting on node 1 */
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 3), 2);
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 2), 3);

    struct cpu_tree ring = ring_tree();
    unsigned ring_waiting[CPU_TREE_MAX_CPUS] = {0, 0, 0, 0, 9, 9, 1, 0};
    REQUIRE(cpu_tree_validate(&ring));
    CHECK_EQ(cpu_tree_steal_victim(&ring, ring_waiting, 0), 6); /* node 3 (16) before 2 (22) */
    ring_waiting[3] = 2;
    CHECK_EQ(cpu_tree_steal_victim(&ring, ring_waiting, 0), 3); /* node 1 ties node 3: index */
    CHECK_EQ(cpu_tree_steal_victim(&ring, ring_waiting, 5), 4); /* same node */
    ring_waiting[4] = 0;
    CHECK_EQ(cpu_tree_steal_victim(&ring, ring_waiting, 5), 3); /* node 1 over node 3 */
}

TEST(steal_most_waiting_ties_lowest_index)
{
    struct cpu_tree tree = ring_tree();
    unsigned waiting[CPU_TREE_MAX_CPUS] = {0, 0, 4, 4, 0, 0, 7, 7};
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 1), 2);
    waiting[3] = 5;
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 1), 3);
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 4), 3);
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 7), 6);
}

TEST(steal_nothing_or_bad_thief)
{
    struct cpu_tree tree = qemu_tree();
    unsigned waiting[CPU_TREE_MAX_CPUS] = {0};
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 0), -1);
    waiting[2] = 6;
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 2), -1); /* only the thief has work */
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 1), 2);
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 4), -1);
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 1000), -1);
    /* Waiting counts beyond cpu_count are ignored. */
    waiting[2] = 0;
    waiting[5] = 9;
    CHECK_EQ(cpu_tree_steal_victim(&tree, waiting, 0), -1);
}

static bool is_reset(const struct cpu_tree *tree)
{
    return tree->cpu_count == 1 && tree->node_count == 1 && tree->cpu_node[0] == 0 &&
           tree->distance[0][0] == 10;
}

TEST(validate_rejects_bad_counts)
{
    static const unsigned bad[][2] = {{0, 1}, {65, 1}, {1, 0}, {4, 9}, {1000, 2}, {0, 0}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cpu_tree tree = make_tree(4, 2, NULL, 20);
        tree.cpu_count = bad[i][0];
        tree.node_count = bad[i][1];
        tree.cpu_node[0] = 3;
        tree.distance[0][0] = 0;
        CHECK(!cpu_tree_validate(&tree));
        CHECK(is_reset(&tree));
    }
    struct cpu_tree edge = make_tree(64, 8, NULL, 20);
    CHECK(cpu_tree_validate(&edge));
    CHECK_EQ(edge.cpu_count, 64u);
    CHECK_EQ(edge.node_count, 8u);
}

TEST(validate_fixes_bad_node_ids)
{
    static const uint8_t nodes[] = {0, 1, 2, 7, 255, 1};
    struct cpu_tree tree = make_tree(6, 2, nodes, 20);
    CHECK(cpu_tree_validate(&tree));
    static const uint8_t fixed[] = {0, 1, 0, 0, 0, 1};
    for (unsigned i = 0; i < 6; i++)
        CHECK_EQ(tree.cpu_node[i], fixed[i]);
    CHECK_EQ(cpu_tree_node_mask(&tree, 0), 0x1Du);
    CHECK_EQ(cpu_tree_node_mask(&tree, 1), 0x22u);
}

/* True when the whole matrix holds the 10/20 defaults. */
static bool has_default_distances(const struct cpu_tree *tree)
{
    for (unsigned i = 0; i < CPU_TREE_MAX_NODES; i++)
        for (unsigned j = 0; j < CPU_TREE_MAX_NODES; j++)
            if (tree->distance[i][j] != (i == j ? 10 : 20))
                return false;
    return true;
}

TEST(validate_fixes_bad_matrices)
{
    struct cpu_tree tree = ring_tree();
    memset(tree.distance, 0, sizeof(tree.distance)); /* missing matrix */
    CHECK(cpu_tree_validate(&tree));
    CHECK(has_default_distances(&tree));

    tree = ring_tree();
    tree.distance[2][2] = 11; /* local distance must be 10 */
    CHECK(cpu_tree_validate(&tree));
    CHECK(has_default_distances(&tree));

    tree = ring_tree();
    tree.distance[3][1] = 10; /* remote as near as local */
    CHECK(cpu_tree_validate(&tree));
    CHECK(has_default_distances(&tree));

    tree = ring_tree();
    tree.distance[0][3] = 4;
    CHECK(cpu_tree_validate(&tree));
    CHECK(has_default_distances(&tree));

    /* Sane but asymmetric: kept as is; entries past node_count are not looked at. */
    tree = ring_tree();
    tree.distance[0][1] = 12;
    tree.distance[1][0] = 30;
    tree.distance[5][5] = 0;
    struct cpu_tree before = tree;
    CHECK(cpu_tree_validate(&tree));
    CHECK(memcmp(&tree, &before, sizeof(tree)) == 0);
}

TEST(node_order_by_distance_ties_by_index)
{
    struct cpu_tree tree = ring_tree();
    uint8_t order[CPU_TREE_MAX_NODES];
    REQUIRE(cpu_tree_validate(&tree));
    static const uint8_t expect[4][4] = {{0, 1, 3, 2}, {1, 0, 2, 3}, {2, 1, 3, 0}, {3, 0, 2, 1}};
    for (unsigned n = 0; n < 4; n++) {
        CHECK_EQ(cpu_tree_node_order(&tree, n, order), 4u);
        for (unsigned i = 0; i < 4; i++)
            CHECK_EQ(order[i], expect[n][i]);
    }
    CHECK_EQ(cpu_tree_node_order(&tree, 4, order), 0u);

    /* Asymmetric row: 0 -> {10, 30, 20, 20, 15}. */
    static const uint8_t nodes[] = {0, 1, 2, 3, 4};
    struct cpu_tree asym = make_tree(5, 5, nodes, 20);
    asym.distance[0][1] = 30;
    asym.distance[0][4] = 15;
    REQUIRE(cpu_tree_validate(&asym));
    static const uint8_t asym_expect[] = {0, 4, 2, 3, 1};
    CHECK_EQ(cpu_tree_node_order(&asym, 0, order), 5u);
    for (unsigned i = 0; i < 5; i++)
        CHECK_EQ(order[i], asym_expect[i]);
}

TEST(node_masks)
{
    struct cpu_tree tree = qemu_tree();
    REQUIRE(cpu_tree_validate(&tree));
    CHECK_EQ(cpu_tree_node_mask(&tree, 0), 0x3u);
    CHECK_EQ(cpu_tree_node_mask(&tree, 1), 0xCu);
    CHECK_EQ(cpu_tree_node_mask(&tree, 2), 0u);
    CHECK_EQ(cpu_tree_node_mask(&tree, 100), 0u);
    struct cpu_tree ring = ring_tree();
    REQUIRE(cpu_tree_validate(&ring));
    cpu_mask_t all = 0;
    for (unsigned n = 0; n < 4; n++) {
        cpu_mask_t m = cpu_tree_node_mask(&ring, n);
        CHECK_EQ(m, (cpu_mask_t)0x3 << (2 * n));
        CHECK_EQ(all & m, 0u);
        all |= m;
    }
    CHECK_EQ(all, 0xFFu);
}

/* ---- Random trees against a brute-force reference ---- */

static uint64_t rng_state;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* A random validated tree: sometimes bad node ids, sometimes a random (maybe bad) matrix. */
static struct cpu_tree random_tree(void)
{
    struct cpu_tree tree;
    memset(&tree, 0, sizeof(tree));
    tree.cpu_count = 1 + rng() % CPU_TREE_MAX_CPUS;
    tree.node_count = 1 + rng() % CPU_TREE_MAX_NODES;
    for (unsigned i = 0; i < tree.cpu_count; i++)
        tree.cpu_node[i] = (uint8_t)(rng() % (tree.node_count + (rng() % 8 == 0)));
    for (unsigned i = 0; i < CPU_TREE_MAX_NODES; i++)
        for (unsigned j = 0; j < CPU_TREE_MAX_NODES; j++)
            tree.distance[i][j] = i == j ? 10 : (uint8_t)(11 + rng() % 6);
    if (rng() % 10 == 0)
        tree.distance[rng() % 8][rng() % 8] = (uint8_t)(rng() % 12);
    cpu_tree_validate(&tree);
    return tree;
}

/* How strongly `cpu` is preferred as a place for equal loads (lower is better). */
static uint64_t place_rank(const struct cpu_tree *tree, int last, unsigned cpu)
{
    if (last < 0 || (unsigned)last >= tree->cpu_count)
        return cpu;
    unsigned from = tree->cpu_node[last], node = tree->cpu_node[cpu];
    uint64_t not_last = (unsigned)last != cpu, not_local = node != from;
    return not_last << 40 | not_local << 32 | (uint64_t)tree->distance[from][node] << 16 |
           node << 8 | cpu;
}

static int reference_select(const struct cpu_tree *tree, const unsigned *load, cpu_mask_t allowed,
                            int last)
{
    int best = -1;
    for (unsigned cpu = 0; cpu < tree->cpu_count; cpu++) {
        if (!(allowed & BIT(cpu)))
            continue;
        if (best < 0 || load[cpu] < load[best] ||
            (load[cpu] == load[best] &&
             place_rank(tree, last, cpu) < place_rank(tree, last, (unsigned)best)))
            best = (int)cpu;
    }
    return best;
}

/* Steal preference (lower is better): nearest node, then most waiting, then lowest index. */
static uint64_t steal_rank(const struct cpu_tree *tree, const unsigned *waiting, unsigned thief,
                           unsigned cpu)
{
    unsigned from = tree->cpu_node[thief], node = tree->cpu_node[cpu];
    uint64_t not_local = node != from;
    return not_local << 56 | (uint64_t)tree->distance[from][node] << 48 | (uint64_t)node << 40 |
           (uint64_t)(0xFFFFFFu - waiting[cpu]) << 8 | cpu;
}

static int reference_steal(const struct cpu_tree *tree, const unsigned *waiting, unsigned thief)
{
    int best = -1;
    for (unsigned cpu = 0; cpu < tree->cpu_count; cpu++) {
        if (cpu == thief || waiting[cpu] == 0)
            continue;
        if (best < 0 || steal_rank(tree, waiting, thief, cpu) <
                            steal_rank(tree, waiting, thief, (unsigned)best))
            best = (int)cpu;
    }
    return best;
}

static cpu_mask_t random_mask(void)
{
    switch (rng() % 4) {
    case 0:
        return ALL_CPUS;
    case 1:
        return BIT(rng() % 64);
    default:
        return (cpu_mask_t)rng() << 32 ^ rng() ^ (cpu_mask_t)rng() << 16;
    }
}

/* One random tree and snapshot; false when select or steal misbehave. */
static bool random_case(void)
{
    struct cpu_tree tree = random_tree();
    unsigned load[CPU_TREE_MAX_CPUS], waiting[CPU_TREE_MAX_CPUS];
    for (unsigned i = 0; i < CPU_TREE_MAX_CPUS; i++) {
        load[i] = rng() % 4;
        waiting[i] = rng() % 3 == 0 ? rng() % 4 : 0;
    }
    cpu_mask_t allowed = random_mask();
    int last = (int)(rng() % (tree.cpu_count + 4)) - 2;
    int got = cpu_tree_select(&tree, load, allowed, last);
    cpu_mask_t real = allowed & (tree.cpu_count == 64 ? ALL_CPUS : BIT(tree.cpu_count) - 1);
    if (got < 0) {
        if (real != 0)
            return false;
    } else {
        if (!(real & BIT(got)))
            return false; /* not allowed or does not exist */
        for (unsigned cpu = 0; cpu < tree.cpu_count; cpu++)
            if ((real & BIT(cpu)) && load[cpu] < load[got])
                return false; /* not minimal */
    }
    if (got != reference_select(&tree, load, allowed, last))
        return false;
    unsigned thief = rng() % tree.cpu_count;
    return cpu_tree_steal_victim(&tree, waiting, thief) == reference_steal(&tree, waiting, thief);
}

TEST(random_trees_against_reference)
{
    rng_state = 0xC0FFEE12345ULL;
    for (int i = 0; i < 5000; i++)
        REQUIRE(random_case());
}
