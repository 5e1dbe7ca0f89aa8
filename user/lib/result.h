/* Helpers over struct wg_result: test it, or take its value and end the task with a message
 * naming the error ("what: NO_MEMORY") when there is none. Plus exit and panic. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/error.h>
#include "syscall.h"

/* Exit status of a task ended by wg_panic (wg_unwrap and wg_check exit with -err instead, so
 * the status names the error: -WG_ERR_BAD_HANDLE, ...). */
#define WG_EXIT_PANIC (-999)

static inline bool wg_ok(struct wg_result result)
{
    return result.err == WG_ERR_OK;
}

/* Logs "what: ERROR_NAME", flushes printf and ends the task with status -err. */
__attribute__((noreturn)) void wg_fail(const char *what, enum wg_error err);

/* Logs "message", flushes printf and ends the task with WG_EXIT_PANIC. */
__attribute__((noreturn)) void wg_panic(const char *message);

/* result.value, or the end of the task (wg_fail) if result.err is not WG_ERR_OK. */
static inline uint64_t wg_unwrap(struct wg_result result, const char *what)
{
    if (result.err != WG_ERR_OK)
        wg_fail(what, result.err);
    return result.value;
}

/* The same for functions that return only an error. */
static inline void wg_check(enum wg_error err, const char *what)
{
    if (err != WG_ERR_OK)
        wg_fail(what, err);
}

/* Flushes printf's pending line and ends the task with `status` (what main's return does). */
__attribute__((noreturn)) void exit(int status);
