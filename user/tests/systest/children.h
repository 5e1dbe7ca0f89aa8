/* Child spaces for the tests: programs from the boot archive run in a child space of ours
 * (set up in steps, so handles can be given to them first), and tiny hand-made programs for
 * tasks made with TASK_CREATE in a child's own address space. */
#pragma once

#include <wingos.h>

/* A program run in a child space of ours with its own address space, set up in steps so
 * handles can be given to it before it starts. */
struct child {
    wg_handle space; /* ours */
    wg_handle task;  /* ours; 0 until child_exec */
};

bool child_create(struct child *child);
/* Copies our `handle` into the child's space; returns its handle there (0 on failure). */
wg_handle child_give(struct child *child, wg_handle handle);
/* EXEC + TASK_START of `program` with argv[0..argc-1]. */
bool child_exec(struct child *child, const char *program, int argc, const char *const *argv);
/* Waits up to timeout_ns; the exit status, or INT64_MIN (and a failure) on a timeout. */
int64_t child_wait(struct child *child, uint64_t timeout_ns);
/* Releases the task handle and destroys the space. */
void child_destroy(struct child *child);
/* child_create + child_exec + child_wait + child_destroy: the program's exit status. */
int64_t run_program(const char *program, int argc, const char *const *argv);

/* Tiny programs for tasks created with TASK_CREATE in a child space with its own address
 * space: mapped there (read + exec) at CODE_ADDRESS, the pmem and vmem left in its table. */
#define CODE_ADDRESS 0x10000000ull
enum code_kind {
    CODE_EXIT_1234,     /* TASK_EXIT(1234) */
    CODE_SLEEP_FOREVER, /* SLEEP(UINT64_MAX) in a loop, touching no memory */
};
bool child_code(wg_handle space, enum code_kind kind);

/* Writes `value` in hex into `buffer` (at least 19 bytes), for handles passed as arguments. */
const char *hex_arg(char *buffer, uint64_t value);
