/* systest's shared header: the test library, the test lists (one per file), and the tiny
 * hand-made programs some tests run in child spaces (code.c). */
#pragma once

#include <test/test.h>

/* The test lists, one per file. */
extern const struct test misc_tests[], handle_tests[], handle_limit_tests[], pmem_tests[],
    vmem_tests[], space_tests[], task_tests[], task_space_tests[], sched_tests[], exec_tests[],
    info_tests[], race_tests[], isolation_tests[], fault_tests[], leak_tests[], rights_tests[],
    teardown_tests[], control_tests[];

/* Tiny programs for tasks created with TASK_CREATE in a child space with its own address
 * space: mapped there (read + exec) at CODE_ADDRESS, the pmem and vmem left in its table. */
#define CODE_ADDRESS 0x10000000ull
enum code_kind {
    CODE_EXIT_1234,     /* TASK_EXIT(1234) */
    CODE_SLEEP_FOREVER, /* SLEEP(UINT64_MAX) in a loop, touching no memory */
};
bool code_map(wg_handle space, enum code_kind kind);
