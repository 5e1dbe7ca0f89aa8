/* Helpers shared by in-kernel tests. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched/task.h"

/* Creates and starts a task (0 priority/affinity: defaults); NULL on failure (recorded). */
struct task *ktest_spawn(const char *name, void (*entry)(void *), void *arg, unsigned priority,
                         cpu_mask_t affinity);
/* Same, but not started. */
struct task *ktest_spawn_held(const char *name, void (*entry)(void *), void *arg, unsigned priority,
                              cpu_mask_t affinity);
/* Joins (10 s at most) and drops the reference: WG_ERR_OK once it has exited. */
enum wg_error ktest_join(struct task *task);
/* Reads "key=a,b,c" from the kernel command line into out[0..count); false if absent. */
bool ktest_cmdline_numbers(const char *key, unsigned *out, unsigned count);
/* Pages of RAM the allocator manages on `node`. */
uint64_t ktest_node_managed_pages(unsigned node);
/* Waits (up to 1 s) for dead tasks to be reaped, then reports whether free pages and live
 * tasks are back to the given values. */
bool ktest_settle(uint64_t free_pages, uint64_t tasks);
void ktest_set_cmdline(const char *cmdline);
/* Waits (up to 1 s) until reaping leaves free pages and the task count unchanged. */
void ktest_quiesce(void);
