/* The test fixture of the heap's host tests (test_heap.c, test_heap_cache.c).
 *
 * The page source hands out aligned_alloc() pages filled with junk, counts what is
 * outstanding, checks every run comes back whole, and can be told to run dry. Pages given
 * back are kept untouched for a while before really being freed, as in the kernel where they
 * stay mapped, so a stale free that reads a released header is reported by the heap instead
 * of tripping ASan. Corruption reports are counted, and the last one kept. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "kernel/mm/heap.h"

#define PAGE          4096
#define MAX_RUNS      8192
#define QUARANTINE    64
#define MAX_RUN_PAGES 4096 /* bigger requests fail like an empty machine would */

struct run {
    void *pages;
    size_t count;
};

struct source {
    size_t outstanding; /* pages handed out and not given back */
    size_t budget;      /* pages that may still be handed out */
    size_t errors;      /* frees of unknown runs or with the wrong count */
    struct run live[MAX_RUNS];
    struct run quarantine[QUARANTINE];
    size_t quarantine_next;
};

struct fixture {
    struct source source;
    struct heap heap;
};

extern size_t reports;
extern const void *last_report_ptr;
extern const char *last_report_what;

/* True if the last report's text contains `word`. */
bool reported(const char *word);

/* A heap over a fresh page source, reports cleared. */
struct fixture *setup(void);
/* Checks that nothing is left, then frees the fixture and everything the source still holds. */
void teardown(struct fixture *f);
