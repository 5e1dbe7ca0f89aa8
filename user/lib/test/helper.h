/* Helper processes for tests: a program from the boot archive run in a child space of the
 * test's, set up in steps so handles can be given to it before it starts, and optionally
 * pinned to CPUs. Handles and numbers travel as hex arguments (helper_hex, helper_parse_hex). */
#pragma once

#include <wingos.h>

struct helper {
    wg_handle space; /* ours */
    wg_handle task;  /* ours; 0 until helper_exec */
};

/* SPACE_CREATE of its child space; false (and a failure) if refused. */
bool helper_create(struct helper *helper);
/* Copies our `handle` into the helper's space; its handle there (0 and a failure if not). */
wg_handle helper_give(struct helper *helper, wg_handle handle);
/* EXEC of `program` with argv[0..argc-1], pinned to `cpu_mask` unless that is 0, and
 * TASK_START; false (and a failure) if a step fails. */
bool helper_exec(struct helper *helper, const char *program, int argc, const char *const *argv,
                 uint64_t cpu_mask);
/* Waits up to timeout_ns; the exit status, or INT64_MIN (and a failure) if it does not end. */
int64_t helper_wait(struct helper *helper, uint64_t timeout_ns);
/* Releases the task handle and destroys the space (ending the helper if it still runs). */
void helper_end(struct helper *helper);
/* helper_create + helper_exec + helper_wait (10 s) + helper_end: the program's exit status
 * (INT64_MIN if it could not be had). */
int64_t helper_run(const char *program, int argc, const char *const *argv);

/* Writes `value` in hex into `buffer` (at least HELPER_HEX_SIZE bytes); returns buffer. */
#define HELPER_HEX_SIZE 19
const char *helper_hex(char *buffer, uint64_t value);
/* Parses a hex number as helper_hex writes them; 0 for anything else. */
uint64_t helper_parse_hex(const char *text);
