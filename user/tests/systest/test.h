/* The userspace system tests' small framework: a test is a function that records failures
 * through the CHECK macros; the runner (main.c) prints one "utest: PASS name" or
 * "utest: FAIL name: first failure" line per test. Also what most tests share: system counts
 * for leak checks and memory mapped for a test; threads.h and children.h (included at the
 * end) give threads and child programs. */
#pragma once

#include <wingos.h>

#define MS_NS     1000000ull
#define SECOND_NS 1000000000ull

/* Addresses no user copy may touch: the kernel half, and two never-mapped user addresses. */
#define KERNEL_POINTER  0xffff800000000000ull
#define UNMAPPED_LOW    0x1000ull
#define UNMAPPED_HIGH   0x7000000000ull
#define NONCANONICAL    0x0000800000000000ull
#define SCRATCH_ADDRESS 0x0000500000000000ull /* where tests map memory (free in every test) */

/* A handle that is never valid: reserved bits set. */
#define RESERVED_BITS_HANDLE ((wg_handle)1 << 60)

struct test {
    const char *name;
    void (*run)(void);
    bool destructive; /* may crash the kernel when it fails: run last, announced */
};

/* For the runner: forget the last test's failures; the first failure's text and the count. */
void test_reset(void);
const char *test_first_failure(int *count);

/* Records a failure of the running test; the first one is what its FAIL line says. */
void test_fail_at(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether the running test has failed so far. */
bool test_failed(void);

/* Checks that a syscall answered `want`, with the value 0 if that is an error (the ABI
 * says so); true if both hold. */
bool test_expect_result(const char *file, int line, const char *what, struct wg_result got,
                        enum wg_error want);
/* The same for a bare error code. */
bool test_expect_err(const char *file, int line, const char *what, enum wg_error got,
                     enum wg_error want);
/* result.value if result.err is WG_ERR_OK, else 0 and a failure. */
uint64_t test_value(const char *file, int line, const char *what, struct wg_result result);

#define FAIL(...)             test_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...)      ((cond) ? true : (test_fail_at(__FILE__, __LINE__, __VA_ARGS__), false))
#define CHECK_ERR(want, call) test_expect_result(__FILE__, __LINE__, #call, (call), (want))
#define CHECK_OK(call)        CHECK_ERR(WG_ERR_OK, call)
/* For functions that return a bare enum wg_error. */
#define CHECK_CODE(want, expr) test_expect_err(__FILE__, __LINE__, #expr, (expr), (want))
#define VALUE(call)            test_value(__FILE__, __LINE__, #call, (call))

/* System-wide counts, from SYSTEM_INFO. */
struct counts {
    uint64_t free_pages, assets, tasks;
};

struct counts counts_now(void);
/* Polls SYSTEM_INFO every 10 ms for up to `timeout_ns` until assets and tasks (and free
 * pages if `pages`) are back where `start` had them (or better: other programs may free
 * things meanwhile); records a failure naming `what` if they never are. */
bool counts_settle_at(const char *file, int line, const struct counts *start, bool pages,
                      uint64_t timeout_ns, const char *what);
#define COUNTS_SETTLE(start, pages, what) \
    counts_settle_at(__FILE__, __LINE__, (start), (pages), 2 * SECOND_NS, (what))

/* Sleeps in 1 ms steps until *word != 0 or `timeout_ns` passes; returns *word. */
uint64_t wait_nonzero(volatile uint64_t *word, uint64_t timeout_ns);

/* Physical memory created for a test and mapped in our own space. */
struct mapping {
    wg_handle pmem, vmem;
    volatile uint64_t *words;
};

/* PMEM_CREATE of `pages` pages and VMEM_MAP at `address` with `flags`; false (and a failure)
 * if either fails, with nothing left behind. */
bool map_new(struct mapping *mapping, uint64_t pages, uintptr_t address, unsigned flags);
/* Releases both handles (the mapping goes with the vmem). */
void mapping_release(struct mapping *mapping);

/* The test lists, one per file. */
extern const struct test misc_tests[], handle_tests[], handle_limit_tests[], pmem_tests[],
    vmem_tests[], space_tests[], task_tests[], task_space_tests[], sched_tests[], exec_tests[],
    info_tests[], race_tests[], isolation_tests[], fault_tests[], leak_tests[];

#include "children.h"
#include "threads.h"
