/* The shell's introspection commands: tasks (SYSTEM_TASKS), memory and CPUs (CPU_INFO). */
#pragma once

/* ps: the spaces as a tree, each with its tasks' id, name, priority, CPU and state. */
void sysinfo_ps(int argc, char **argv);

/* mem: free and total memory of each NUMA node, in KiB. */
void sysinfo_mem(int argc, char **argv);

/* cpus: the NUMA nodes, their CPUs with APIC ids, and the node distance matrix. */
void sysinfo_cpus(int argc, char **argv);
