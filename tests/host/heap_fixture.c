/* The heap tests' fixture (heap_fixture.h). */
#include "heap_fixture.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t reports;
const void *last_report_ptr;
const char *last_report_what;

static void on_corruption(const char *what, const void *ptr)
{
    reports++;
    last_report_ptr = ptr;
    last_report_what = what;
}

bool reported(const char *word)
{
    return last_report_what && strstr(last_report_what, word);
}

static void *source_alloc(void *ctx, size_t count)
{
    struct source *src = ctx;
    if (count == 0 || count > src->budget || count > MAX_RUN_PAGES)
        return NULL;
    for (size_t i = 0; i < MAX_RUNS; i++) {
        if (src->live[i].pages)
            continue;
        void *pages = aligned_alloc(PAGE, count * PAGE);
        if (!pages)
            return NULL;
        memset(pages, 0x77, count * PAGE); /* the heap must not expect zeroed pages */
        src->live[i] = (struct run){pages, count};
        src->budget -= count;
        src->outstanding += count;
        return pages;
    }
    return NULL;
}

static void source_free(void *ctx, void *pages, size_t count)
{
    struct source *src = ctx;
    size_t i = 0;
    while (i < MAX_RUNS && src->live[i].pages != pages)
        i++;
    if (i == MAX_RUNS || src->live[i].count != count) {
        src->errors++;
        return;
    }
    src->live[i].pages = NULL;
    src->outstanding -= count;
    struct run *slot = &src->quarantine[src->quarantine_next++ % QUARANTINE];
    free(slot->pages);
    *slot = (struct run){pages, count};
}

struct fixture *setup(void)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct heap_page_source source = {source_alloc, source_free, &f->source};
    f->source.budget = SIZE_MAX;
    heap_init(&f->heap, &source, on_corruption);
    reports = 0;
    last_report_ptr = NULL;
    last_report_what = NULL;
    return f;
}

void teardown(struct fixture *f)
{
    struct heap_stats stats = heap_stats(&f->heap);
    CHECK_EQ(stats.live_objects, 0);
    CHECK_EQ(stats.live_bytes, 0);
    CHECK_EQ(stats.pages, 0);
    CHECK_EQ(f->source.outstanding, 0);
    CHECK_EQ(f->source.errors, 0);
    for (size_t i = 0; i < MAX_RUNS; i++)
        free(f->source.live[i].pages);
    for (size_t i = 0; i < QUARANTINE; i++)
        free(f->source.quarantine[i].pages);
    free(f);
}
