/* The userspace test library, used by every suite (systest, ipctest, drvtest, roottest).
 * A test is a function that records failures through the checks below; suite.h runs the
 * tests and prints one "utest: PASS name" or "utest: FAIL name: first failure" line each.
 * Also here: snapshots of the system's counts (snapshot.h), threads (thread.h), helper
 * processes (helper.h) and memory mapped for a test (mapping.h). docs/testing.md shows how
 * to write a test.
 *
 * Checks record a failure only from the test's own task: threads and helper processes
 * report through their exit status. Every check says what it checks and nothing more:
 *   CHECK(cond, fmt, ...)      cond holds
 *   CHECK_OK(call)             the call's error is WG_ERR_OK
 *   CHECK_ERR(want, call)      the call's error is `want` (its value is not looked at)
 *   CHECK_REFUSED(want, call)  the call's error is `want` and its value 0 (a failed call
 *                              must give nothing back)
 *   CHECK_CODE(want, expr)     a bare enum wg_error is `want`
 *   VALUE(call)                the call's value if its error is WG_ERR_OK, else 0 and a
 *                              failure
 * All but VALUE return whether they held. */
#pragma once

#include <wingos.h>

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull

/* Addresses no user copy may touch: the kernel half, two never-mapped user addresses, a
 * non-canonical one. */
#define KERNEL_POINTER 0xffff800000000000ull
#define UNMAPPED_LOW   0x1000ull
#define UNMAPPED_HIGH  0x7000000000ull
#define NONCANONICAL   0x0000800000000000ull
/* Where tests and their helpers map memory (nothing else lives there). */
#define SCRATCH_ADDRESS 0x0000500000000000ull

/* A handle that is never valid: reserved bits set. */
#define RESERVED_BITS_HANDLE ((wg_handle)1 << 60)

/* For the runner: forget the last test's failures; the first failure's text and the count. */
void test_reset(void);
const char *test_first_failure(int *count);

/* Records a failure of the running test; the first one is what its FAIL line says. */
void test_fail_at(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether the running test has failed so far. */
bool test_failed(void);

/* true if `got` is `want`, else a failure naming `what`. */
bool test_expect_err(const char *file, int line, const char *what, enum wg_error got,
                     enum wg_error want);
/* test_expect_err of got.err, and if that is an error, that got.value is 0. */
bool test_expect_refused(const char *file, int line, const char *what, struct wg_result got,
                         enum wg_error want);
/* result.value if result.err is WG_ERR_OK, else 0 and a failure. */
uint64_t test_value(const char *file, int line, const char *what, struct wg_result result);

#define FAIL(...)                 test_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...)          ((cond) ? true : (FAIL(__VA_ARGS__), false))
#define CHECK_ERR(want, call)     test_expect_err(__FILE__, __LINE__, #call, (call).err, (want))
#define CHECK_OK(call)            CHECK_ERR(WG_ERR_OK, call)
#define CHECK_REFUSED(want, call) test_expect_refused(__FILE__, __LINE__, #call, (call), (want))
#define CHECK_CODE(want, expr)    test_expect_err(__FILE__, __LINE__, #expr, (expr), (want))
#define VALUE(call)               test_value(__FILE__, __LINE__, #call, (call))

/* Sleeps in 1 ms steps until *word != 0 or `timeout_ns` passes; returns *word. */
uint64_t test_wait_nonzero(volatile uint64_t *word, uint64_t timeout_ns);

#include "helper.h"
#include "mapping.h"
#include "snapshot.h"
#include "suite.h"
#include "thread.h"
