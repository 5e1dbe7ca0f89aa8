/* Starting programs from the initrd as new processes: a child space with its own address
 * space, the program loaded into it by EXEC, and its main task started. */
#pragma once

#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>
#include "syscall.h"

/* A started program, as seen from the space that spawned it: both handles are in the
 * caller's space. */
struct wg_process {
    wg_handle space; /* the child space; destroying it ends the program and frees all of it */
    wg_handle task;  /* the program's main task */
};

/* Runs `program` (its name in the initrd) with argv[0..argc-1] as its arguments; argv[0] is
 * by convention the program's name, and argc == 0 (argv may then be NULL) passes just
 * `program` as argv[0]. On success *out holds the new process; on failure nothing is left
 * behind and the error says why: WG_ERR_INVALID_ARGUMENT (no program or out, argc < 0),
 * WG_ERR_OUT_OF_RANGE (more than WG_EXEC_MAX_ARGS arguments, or more than
 * WG_EXEC_ARG_MAX_SIZE bytes of them), or what SPACE_CREATE, EXEC or TASK_START answered
 * (WG_ERR_NOT_FOUND: no such program; WG_ERR_BAD_FORMAT: not a valid executable...).
 * The child gets the caller's standard input and output (conio.h), if it has one. */
enum wg_error wg_spawn(const char *program, int argc, const char *const *argv,
                       struct wg_process *out);
/* wg_spawn with SPACE_CREATE flags for the child space (WG_SPACE_INTROSPECT: it may list
 * every task in the system; only a space that may do so itself can give it). */
enum wg_error wg_spawn_with(const char *program, int argc, const char *const *argv,
                            uint32_t space_flags, struct wg_process *out);

/* wg_spawn_with, the child's standard input and output being `stdio` (a console connection
 * of the caller's space, copied into the child; 0: none) instead of the caller's own. */
enum wg_error wg_spawn_stdio(const char *program, int argc, const char *const *argv,
                             uint32_t space_flags, wg_handle stdio, struct wg_process *out);

/* Like wg_spawn into an existing child `space` (one the caller has filled with assets first,
 * e.g. a driver's); argc >= 1. The new task's handle (in the caller's space) in *task. On
 * failure the space is left as it was, for the caller to destroy. */
enum wg_error wg_spawn_in(wg_handle space, const char *program, int argc, const char *const *argv,
                          wg_handle *task);

/* Waits up to timeout_ns (WG_WAIT_FOREVER: no limit) for the process's main task to end;
 * value = its exit status as an int64_t (WG_EXIT_KILLED, WG_EXIT_FAULT(vector) for those
 * ends). */
/* Packs argv into `buffer` (WG_EXEC_ARG_MAX_SIZE bytes) as EXEC wants it, described in *args;
 * OUT_OF_RANGE when it does not fit, INVALID_ARGUMENT for a NULL string. */
enum wg_error wg_pack_args(int argc, const char *const *argv, char *buffer,
                           struct wg_exec_args *args);
/* Copies our `stdio` (0: none) into `space` and makes it args->startup, the value the new
 * program finds in rdx (crt0 keeps it as its console connection). */
enum wg_error wg_give_stdio(wg_handle space, wg_handle stdio, struct wg_exec_args *args);
struct wg_result wg_process_wait(const struct wg_process *process, uint64_t timeout_ns);

/* Releases the task handle and destroys the child space, ending the program if it still
 * runs. Returns the first error met. */
enum wg_error wg_process_destroy(struct wg_process *process);
