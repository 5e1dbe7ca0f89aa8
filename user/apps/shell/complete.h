/* Tab completion of the word before the cursor: command and program names in the first
 * word (and after run), paths elsewhere through complete_paths, which file commands provide
 * (the default offers none). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define COMPLETE_NAME_MAX 64
#define COMPLETE_MAX      64 /* candidates considered */

typedef void (*complete_each)(void *context, const char *name);

/* Calls each(context, name) for every path that starts with `prefix`. Weak: a file system
 * command file may define it. */
void complete_paths(const char *prefix, complete_each each, void *context);

struct complete_result {
    char insert[COMPLETE_NAME_MAX + 2]; /* bytes to insert at the cursor (NUL-terminated) */
    bool listed;                        /* several candidates were printed: redraw the line */
};

/* Completes the word of `line` (length `length`) that ends at `cursor`. */
void complete_word(const char *line, size_t cursor, struct complete_result *out);
